// Texts in Swedish (default) and English. Each page area keeps its strings in
// its own file under src/strings/ and registers them with addStrings() when
// imported; components call t('key', { var: value }) while rendering.

export type Lang = 'sv' | 'en';

/** One area's strings: the same keys in both languages. */
export type Strings = Record<string, string>;

const tables: Record<Lang, Strings> = { sv: {}, en: {} };
let current: Lang = 'sv';
const listeners = new Set<(lang: Lang) => void>();

/** Registers an area's strings. Keys must be unique over all areas. */
export function addStrings(sv: Strings, en: Strings): void {
  for (const key of Object.keys(sv)) {
    if (key in tables.sv) console.warn(`i18n: key ${key} registered twice`);
    if (!(key in en)) console.warn(`i18n: key ${key} has no English text`);
  }
  Object.assign(tables.sv, sv);
  Object.assign(tables.en, en);
}

/**
 * The text for `key` in the current language, with each `{name}` replaced by
 * vars.name. A key without a text shows as the key (and warns).
 */
export function t(key: string, vars?: Record<string, string | number>): string {
  let text = tables[current][key] ?? tables.sv[key];
  if (text === undefined) {
    console.warn(`i18n: no text for ${key}`);
    return key;
  }
  if (vars) {
    text = text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      (name in vars ? String(vars[name]) : whole));
  }
  return text;
}

/** Whether a text exists for key (for optional labels, e.g. enum values). */
export function hasText(key: string): boolean {
  return key in tables.sv;
}

/** The current language. */
export function lang(): Lang {
  return current;
}

/** Switches the language; listeners re-render. Remembered across reloads. */
export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem('placement.lang', next);
  } catch {
    // storage may be disabled; the switch still works for this page
  }
  listeners.forEach((l) => l(next));
}

/** Calls listener after every language switch. Returns a function that stops it. */
export function onLangChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Restores the remembered language (only the language is ever stored). */
export function initLang(): void {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem('placement.lang');
  } catch {
    saved = null;
  }
  current = saved === 'en' ? 'en' : 'sv';
  document.documentElement.lang = current;
}

/** A LocalizedText from the API in the current language (falls back to the other). */
export function localized(text: { sv?: string; en?: string } | undefined): string {
  if (!text) return '';
  const own = current === 'sv' ? text.sv : text.en;
  const other = current === 'sv' ? text.en : text.sv;
  return own || other || '';
}

/** The API's Language enum value for the current language. */
export function apiLanguage(): 'LANGUAGE_SV' | 'LANGUAGE_EN' {
  return current === 'sv' ? 'LANGUAGE_SV' : 'LANGUAGE_EN';
}

/** A number in the current language's style, with at most `digits` decimals. */
export function formatNumber(value: number, digits = 0): string {
  return new Intl.NumberFormat(current === 'sv' ? 'sv-SE' : 'en-GB', {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(value);
}

/** An instant (RFC 3339 from the API) as local date and time. */
export function formatInstant(value: string | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(current === 'sv' ? 'sv-SE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Stockholm',
  }).format(date);
}
