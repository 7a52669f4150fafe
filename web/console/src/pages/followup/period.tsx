// The period picker of the follow-up pages: the first and last day (both
// included), or a ready period (this year, last year, the last 30 days),
// checked before anything is sent; an error summary links to the field.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { FormErrorSummary, type SummaryError } from '../../components/form-error-summary';
import { dateFromIso, todayIso } from '../../dates';
import { t } from '../../i18n';
import type { DateValue } from '../../types';

export interface Period {
  from: DateValue;
  to: DateValue;
}

/** This year so far: 1 January to today (Swedish time). */
export function thisYear(): { from: string; to: string } {
  const today = todayIso();
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

function lastYear(): { from: string; to: string } {
  const year = Number(todayIso().slice(0, 4)) - 1;
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

function last30(): { from: string; to: string } {
  const today = todayIso();
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 29);
  return { from: d.toISOString().slice(0, 10), to: today };
}

interface Props {
  /** Ids of the fields start with this. */
  idPrefix: string;
  busy: boolean;
  onSubmit: (period: Period) => void;
  /** More fields (filters) after the period. */
  children?: ComponentChildren;
  /** Problems with the other fields, checked on submit; none = []. */
  extraErrors?: () => SummaryError[];
  /** The longest period the server takes, in days (both ends included). */
  maxDays?: number;
}

export function PeriodForm({ idPrefix, busy, onSubmit, children, extraErrors, maxDays }: Props) {
  const start = thisYear();
  const [from, setFrom] = useState(start.from);
  const [to, setTo] = useState(start.to);
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [submits, setSubmits] = useState(0);
  const fromId = `${idPrefix}-from`;
  const toId = `${idPrefix}-to`;

  const submit = (event: Event) => {
    event.preventDefault();
    const found: SummaryError[] = [];
    const a = dateFromIso(from);
    const b = dateFromIso(to);
    if (!a) found.push({ fieldId: fromId, message: t('followup.error.from') });
    if (!b) found.push({ fieldId: toId, message: t('followup.error.to') });
    if (a && b && to < from) found.push({ fieldId: toId, message: t('followup.error.order') });
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
    if (a && b && maxDays !== undefined && days > maxDays) found.push({ fieldId: fromId, message: t('followup.error.tooLong') });
    found.push(...(extraErrors?.() ?? []));
    setErrors(found);
    setSubmits((n) => n + 1);
    if (found.length === 0 && a && b) onSubmit({ from: a, to: b });
  };
  const errorOf = (id: string) => errors.find((e) => e.fieldId === id)?.message;
  const field = (id: string, label: string, value: string, set: (v: string) => void) => (
    <div class={`field${errorOf(id) ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      {errorOf(id) && <p id={`${id}-error`} class="field-error">{errorOf(id)}</p>}
      <input id={id} type="date" value={value} aria-invalid={errorOf(id) ? true : undefined}
        aria-describedby={`${idPrefix}-period-help${errorOf(id) ? ` ${id}-error` : ''}`}
        onInput={(e) => set((e.target as HTMLInputElement).value)} />
    </div>
  );
  const quick = (pick: () => { from: string; to: string }) => () => {
    const p = pick();
    setFrom(p.from);
    setTo(p.to);
  };

  return (
    <form class="period-form filters" onSubmit={submit} noValidate aria-label={t('followup.period.legend')}>
      <FormErrorSummary title={t('followup.error.summary')} errors={errors} focusKey={submits} />
      <fieldset>
        <legend>{t('followup.period.legend')}</legend>
        <p id={`${idPrefix}-period-help`} class="help">{t('followup.period.help')}</p>
        <div class="period-fields">
          {field(fromId, t('followup.period.from'), from, setFrom)}
          {field(toId, t('followup.period.to'), to, setTo)}
        </div>
        <div class="button-row" role="group" aria-label={t('followup.period.quick')}>
          <button type="button" onClick={quick(thisYear)}>{t('followup.period.thisYear')}</button>
          <button type="button" onClick={quick(lastYear)}>{t('followup.period.lastYear')}</button>
          <button type="button" onClick={quick(last30)}>{t('followup.period.last30')}</button>
        </div>
      </fieldset>
      {children}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>{t('followup.show')}</button>
      </div>
    </form>
  );
}
