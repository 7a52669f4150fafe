// Pickers for codes, fed by the reference data: people choose by name, the
// record keeps the code. Native controls (select, checkbox) so they work with
// the keyboard and screen readers as people expect.
import { useMemo, useState } from 'preact/hooks';
import { lang, localized, t } from '../i18n';
import type { ReferenceCode } from '../types';

export interface Choice {
  code: string;
  label: string;
  /** Shown after the label in the list, e.g. the skill's field. */
  hint?: string;
}

/** Reference codes as choices, sorted by label in the current language. */
export function choicesOf(codes: ReferenceCode[]): Choice[] {
  return codes
    .map((c) => ({ code: c.code, label: localized(c.label) || c.code }))
    .sort((a, b) => a.label.localeCompare(b.label, lang()));
}

interface CheckListProps {
  id: string;
  legend: string;
  choices: Choice[];
  selected: string[];
  onChange: (next: string[]) => void;
  /** Codes that may not be chosen here, with the reason as help text. */
  disabled?: Set<string>;
  help?: string;
}

/** A fieldset of checkboxes: for short lists such as occupation fields. */
export function CheckList({ id, legend, choices, selected, onChange, disabled, help }: CheckListProps) {
  const chosen = new Set(selected);
  const toggle = (code: string) => (event: Event) => {
    const on = (event.target as HTMLInputElement).checked;
    const next = choices.map((c) => c.code).filter((c) => (c === code ? on : chosen.has(c)));
    // Keep codes not in the choice list (unknown to the tables) as they were.
    onChange([...next, ...selected.filter((c) => !choices.some((x) => x.code === c))]);
  };
  return (
    <fieldset id={id} aria-describedby={help ? `${id}-help` : undefined}>
      <legend>{legend}</legend>
      {help && <p id={`${id}-help`} class="help">{help}</p>}
      <div class="checks">
        {choices.map((c) => (
          <label key={c.code} class="check">
            <input type="checkbox" checked={chosen.has(c.code)} disabled={disabled?.has(c.code) && !chosen.has(c.code)}
              onChange={toggle(c.code)} />
            {c.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

interface AddPickerProps {
  id: string;
  /** Label of the select. */
  label: string;
  choices: Choice[];
  /** Codes already chosen (left out of the select). */
  taken: string[];
  onAdd: (code: string) => void;
  /** Show a filter box above the select (long lists such as skills). */
  filterable?: boolean;
  /** Extra controls between the select and the Add button (e.g. a level). */
  extra?: preact.ComponentChildren;
}

/** A select (optionally with a filter box) and an Add button, for long lists. */
export function AddPicker({ id, label, choices, taken, onAdd, filterable, extra }: AddPickerProps) {
  const [filter, setFilter] = useState('');
  const [code, setCode] = useState('');
  const free = useMemo(() => {
    const q = filter.trim().toLocaleLowerCase(lang());
    const used = new Set(taken);
    return choices.filter((c) => !used.has(c.code) && (!q
      || c.label.toLocaleLowerCase(lang()).includes(q)
      || (c.hint ?? '').toLocaleLowerCase(lang()).includes(q)));
  }, [choices, taken, filter]);
  const current = free.some((c) => c.code === code) ? code : '';
  const add = () => {
    if (!current) return;
    onAdd(current);
    setCode('');
  };
  return (
    <div class="picker-add">
      {filterable && (
        <div class="field">
          <label for={`${id}-filter`}>{t('picker.filter', { what: label.toLocaleLowerCase(lang()) })}</label>
          <input id={`${id}-filter`} type="search" value={filter}
            onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        </div>
      )}
      <div class="field">
        <label for={`${id}-select`}>{label}</label>
        <select id={`${id}-select`} value={current} onChange={(e) => setCode((e.target as HTMLSelectElement).value)}>
          <option value="">{t('picker.choose', { count: free.length })}</option>
          {free.map((c) => <option key={c.code} value={c.code}>{c.hint ? `${c.label} (${c.hint})` : c.label}</option>)}
        </select>
      </div>
      {extra}
      <button type="button" onClick={add} disabled={!current}>{t('picker.add')}</button>
    </div>
  );
}
