// A picker for a list of codes (skills, for instance) from a long table:
// people search by name, add matches with a button and remove chosen ones
// with a button; codes are never shown as the thing to read. Works with the
// keyboard alone: the search field, then a list of buttons.

import { useId, useRef, useState } from 'preact/hooks';

export interface PickerOption {
  code: string;
  label: string;
  // A second line, e.g. the skill's group.
  hint?: string;
}

export interface CodeMultiPickerProps {
  // Visible name of the whole question, e.g. "Krav på kompetens".
  legend: string;
  // Help under the legend.
  hint?: string;
  options: PickerOption[];
  value: string[];
  onChange: (codes: string[]) => void;
  // Codes that may not be chosen here (chosen in a sibling picker).
  excluded?: string[];
  // id of the search field (the error summary links to it).
  inputId: string;
  error?: string;
  strings: {
    search: string;
    // Read before each match by screen readers, e.g. "Lägg till ".
    add: string;
    remove: (label: string) => string;
    chosen: string;
    noneChosen: string;
    noMatch: string;
    moreMatches: (n: number) => string;
  };
}

const kShown = 12;

export function CodeMultiPicker(props: CodeMultiPickerProps) {
  const id = useId();
  const [query, setQuery] = useState('');
  // Adding or removing takes away the button that had focus; focus goes
  // back to the search field so keyboard users keep their place.
  const input = useRef<HTMLInputElement>(null);
  const byCode = new Map(props.options.map((o) => [o.code, o]));
  const taken = new Set([...props.value, ...(props.excluded ?? [])]);
  const q = query.trim().toLocaleLowerCase('sv');
  const matches =
    q.length === 0
      ? []
      : props.options.filter(
          (o) =>
            !taken.has(o.code) &&
            (o.label.toLocaleLowerCase('sv').includes(q) ||
              (o.hint ?? '').toLocaleLowerCase('sv').includes(q)),
        );
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy =
    [props.hint ? hintId : '', props.error ? errorId : '']
      .filter(Boolean)
      .join(' ') || undefined;

  return (
    <fieldset class={`code-picker${props.error ? ' has-error' : ''}`}>
      <legend>{props.legend}</legend>
      {props.hint && (
        <p class="help" id={hintId}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      )}
      <h4 class="code-picker-chosen-heading">{props.strings.chosen}</h4>
      {props.value.length === 0 ? (
        <p class="code-picker-none">{props.strings.noneChosen}</p>
      ) : (
        <ul class="chips">
          {props.value.map((code) => {
            const label = byCode.get(code)?.label ?? code;
            return (
              <li key={code} class="chip" data-code={code}>
                <span>{label}</span>
                <button
                  type="button"
                  class="chip-remove"
                  aria-label={props.strings.remove(label)}
                  onClick={() => {
                    props.onChange(props.value.filter((c) => c !== code));
                    input.current?.focus();
                  }}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div class="field">
      <label for={props.inputId}>{props.strings.search}</label>
      <input
        id={props.inputId}
        ref={input}
        type="search"
        autocomplete="off"
        value={query}
        aria-describedby={describedBy}
        onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
      />
      </div>
      {q.length > 0 && (
        <div class="code-picker-results" aria-live="polite">
          {matches.length === 0 ? (
            <p>{props.strings.noMatch}</p>
          ) : (
            <ul>
              {matches.slice(0, kShown).map((o) => (
                <li key={o.code}>
                  <button
                    type="button"
                    class="link-button"
                    data-code={o.code}
                    onClick={() => {
                      props.onChange([...props.value, o.code]);
                      input.current?.focus();
                    }}
                  >
                    <span class="visually-hidden">{props.strings.add}</span>
                    {o.label}
                    {o.hint && <span class="help"> — {o.hint}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {matches.length > kShown && (
            <p class="help">{props.strings.moreMatches(matches.length - kShown)}</p>
          )}
        </div>
      )}
    </fieldset>
  );
}
