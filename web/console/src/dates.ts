// Calendar days as the API carries them (placement.v1.Date: year, month,
// day) and as a date field holds them ("2026-12-01"), and days shown in
// words. "Today" is Swedish time, as the server counts it.
import { lang } from './i18n';
import type { DateValue } from './types';

/** Today in Europe/Stockholm as "YYYY-MM-DD". */
export function todayIso(): string {
  // sv-SE formats a date as ISO 8601 (2026-12-01).
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
}

/** "2026-12-01" → { year, month, day }; undefined when it is not such a date. */
export function dateFromIso(text: string): DateValue | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  return { year, month, day };
}

/** { year, month, day } → "2026-12-01"; '' when unset. */
export function isoFromDate(date: DateValue | undefined): string {
  if (!date?.year) return '';
  const pad = (n: number | undefined) => String(n ?? 0).padStart(2, '0');
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

/** A day in words in the current language, e.g. "1 december 2026". */
export function formatDay(date: DateValue | undefined): string {
  if (!date?.year) return '';
  return new Intl.DateTimeFormat(lang() === 'sv' ? 'sv-SE' : 'en-GB', {
    dateStyle: 'long', timeZone: 'UTC',
  }).format(new Date(Date.UTC(date.year, (date.month ?? 1) - 1, date.day ?? 1)));
}

/**
 * The end of a period (RFC 3339 from the API) in words. A period that ends
 * at midnight Swedish time (a hold's expiry: the end of its last working
 * day) is told by that last day, e.g. "fredag 4 december 2026"; any other
 * instant with its time of day.
 */
export function formatUntil(value: string | undefined): string {
  if (!value) return '';
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  const locale = lang() === 'sv' ? 'sv-SE' : 'en-GB';
  const parts = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Stockholm',
  }).formatToParts(instant);
  const at = (type: string) => parts.find((p) => p.type === type)?.value;
  if (at('hour') === '00' && at('minute') === '00' && at('second') === '00') {
    return new Intl.DateTimeFormat(locale, {
      weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Stockholm',
    }).format(new Date(instant.getTime() - 1));
  }
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Stockholm',
  }).format(instant);
}
