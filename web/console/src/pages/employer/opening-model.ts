// The opening as the API's JSON carries it (placement.v1.Opening, canonical
// proto JSON), the form's editable copy of it, and the conversions between
// them: which fields a change touched (the update mask) and which form field
// a server error names.

import type { DateValue, Opening, OpeningKind, SwedishLevel } from '../../types';

/** An opening being written: placement.v1.Opening (src/types.ts) before the server gave it an id. */
export type OpeningDraft = Omit<Opening, 'id'> & { id?: string };

export const kOpeningKinds = [
  'OPENING_KIND_EMPLOYER_INTERNSHIP',
  'OPENING_KIND_WORK_TRAINING',
  'OPENING_KIND_ENHANCED_WORK_TRAINING',
  'OPENING_KIND_SOCIAL_ENTERPRISE',
  'OPENING_KIND_SUPPORTED_EMPLOYMENT',
];

export const kOpeningStatuses = [
  'OPENING_STATUS_DRAFT',
  'OPENING_STATUS_OPEN',
  'OPENING_STATUS_PAUSED',
  'OPENING_STATUS_CLOSED',
];

export const kTargetGroups = [
  'TARGET_GROUP_LONG_TERM_UNEMPLOYED',
  'TARGET_GROUP_OUTSIDE_LABOUR_MARKET',
  'TARGET_GROUP_DISABILITY',
  'TARGET_GROUP_SICK_LEAVE_RETURN',
  'TARGET_GROUP_ACTIVITY_COMPENSATION',
  'TARGET_GROUP_NO_UPPER_SECONDARY',
  'TARGET_GROUP_NEWLY_ARRIVED',
  'TARGET_GROUP_FINANCIAL_ASSISTANCE',
];

export const kSwedishLevels = [
  'SWEDISH_LEVEL_UNSPECIFIED',
  'SWEDISH_LEVEL_NONE',
  'SWEDISH_LEVEL_BASIC',
  'SWEDISH_LEVEL_INTERMEDIATE',
  'SWEDISH_LEVEL_GOOD',
  'SWEDISH_LEVEL_FLUENT',
];

// The form's state: text fields hold what was typed, so a half-typed number
// is not lost; conversion happens on submit.
export interface OpeningForm {
  kind: string;
  title: string;
  organisationName: string;
  organisationId: string;
  occupationField: string;
  municipalityCode: string;
  essentialSkills: string[];
  optionalSkills: string[];
  supportsOffered: string[];
  capacity: string;
  minHours: string;
  maxHours: string;
  startDate: string; // yyyy-mm-dd
  endDate: string; // yyyy-mm-dd or ''
  step: string;
  minSwedishLevel: string;
  minAge: string;
  maxAge: string;
  targetGroups: string[];
}

export function emptyForm(): OpeningForm {
  return {
    kind: '',
    title: '',
    organisationName: '',
    organisationId: '',
    occupationField: '',
    municipalityCode: '',
    essentialSkills: [],
    optionalSkills: [],
    supportsOffered: [],
    capacity: '1',
    minHours: '',
    maxHours: '',
    startDate: '',
    endDate: '',
    step: '',
    minSwedishLevel: 'SWEDISH_LEVEL_UNSPECIFIED',
    minAge: '',
    maxAge: '',
    targetGroups: [],
  };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function dateToText(date: DateValue | undefined): string {
  if (!date || !date.year) return '';
  return `${pad(date.year, 4)}-${pad(date.month ?? 0, 2)}-${pad(date.day ?? 0, 2)}`;
}

export function textToDate(text: string): DateValue | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

function numberText(n: number | undefined, zeroIsEmpty: boolean): string {
  if (n === undefined || (zeroIsEmpty && n === 0)) return '';
  return String(n);
}

export function formFromOpening(o: OpeningDraft): OpeningForm {
  return {
    kind: o.kind ?? '',
    title: o.title ?? '',
    organisationName: o.organisationName ?? '',
    organisationId: o.organisationId ?? '',
    occupationField: o.occupationField ?? '',
    municipalityCode: o.location?.municipalityCode ?? '',
    essentialSkills: [...(o.essentialSkills ?? [])],
    optionalSkills: [...(o.optionalSkills ?? [])],
    supportsOffered: [...(o.supportsOffered ?? [])],
    capacity: numberText(o.capacity, false),
    minHours: numberText(o.minHoursPerWeek, false),
    maxHours: numberText(o.maxHoursPerWeek, false),
    startDate: dateToText(o.startDate),
    endDate: dateToText(o.endDate),
    step: o.step === undefined ? '' : String(o.step),
    minSwedishLevel: o.minSwedishLevel ?? 'SWEDISH_LEVEL_UNSPECIFIED',
    minAge: numberText(o.eligibility?.minAge, true),
    maxAge: numberText(o.eligibility?.maxAge, true),
    targetGroups: [...(o.eligibility?.targetGroups ?? [])],
  };
}

// One problem with the form: the form field's id (for the link in the
// error summary) and the text to show.
export interface FieldError {
  fieldId: string;
  message: string;
}

// Ids of the form's controls; the error summary links to them.
export const kFieldIds: Record<string, string> = {
  kind: 'opening-kind',
  title: 'opening-title',
  organisationName: 'opening-organisation-name',
  organisationId: 'opening-organisation-id',
  occupationField: 'opening-occupation-field',
  location: 'opening-municipality',
  essentialSkills: 'opening-essential-skills',
  optionalSkills: 'opening-optional-skills',
  supportsOffered: 'opening-supports',
  capacity: 'opening-capacity',
  minHoursPerWeek: 'opening-min-hours',
  maxHoursPerWeek: 'opening-max-hours',
  startDate: 'opening-start-date',
  endDate: 'opening-end-date',
  step: 'opening-step',
  minSwedishLevel: 'opening-swedish',
  'eligibility.minAge': 'opening-min-age',
  'eligibility.maxAge': 'opening-max-age',
  'eligibility.targetGroups': 'opening-target-groups',
};

// Checks what the browser can check before the server does (the server
// checks everything again). `label(path)` names a field for people;
// `text(key, vars)` is the i18n lookup.
export function validateForm(
  form: OpeningForm,
  label: (path: string) => string,
  text: (key: string, vars?: Record<string, string | number>) => string,
): FieldError[] {
  const errors: FieldError[] = [];
  const add = (path: string, message: string) =>
    errors.push({ fieldId: kFieldIds[path], message });
  const choose = (path: string, value: string) => {
    if (!value) add(path, text('employer.form.errChoose', { field: label(path).toLocaleLowerCase() }));
  };
  const required = (path: string, value: string) => {
    if (!value.trim()) add(path, text('employer.form.errRequired', { field: label(path).toLocaleLowerCase() }));
  };
  const integer = (path: string, value: string, min: number, max: number, optional: boolean) => {
    if (optional && value.trim() === '') return;
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      add(path, text('employer.form.errNumber', { field: label(path), min, max }));
    }
  };
  const decimal = (path: string, value: string, min: number, max: number) => {
    const n = Number(value.replace(',', '.'));
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      add(path, text('employer.form.errDecimal', { field: label(path), min, max }));
    }
  };
  choose('kind', form.kind);
  required('title', form.title);
  required('organisationName', form.organisationName);
  if (!/^ORG\d{5}$/.test(form.organisationId.trim())) {
    add('organisationId', text('employer.form.errOrganisationId'));
  }
  choose('occupationField', form.occupationField);
  choose('location', form.municipalityCode);
  integer('capacity', form.capacity, 1, 1000, false);
  decimal('minHoursPerWeek', form.minHours, 1, 60);
  decimal('maxHoursPerWeek', form.maxHours, 1, 60);
  if (Number(form.maxHours.replace(',', '.')) < Number(form.minHours.replace(',', '.'))) {
    add('maxHoursPerWeek', text('employer.form.errHoursOrder'));
  }
  if (!textToDate(form.startDate)) {
    add('startDate', text('employer.form.errRequired', { field: label('startDate').toLocaleLowerCase() }));
  }
  if (form.endDate && form.startDate && form.endDate < form.startDate) {
    add('endDate', text('employer.form.errDateOrder'));
  }
  choose('step', form.step);
  integer('eligibility.minAge', form.minAge, 0, 100, true);
  integer('eligibility.maxAge', form.maxAge, 0, 100, true);
  if (form.minAge && form.maxAge && Number(form.maxAge) < Number(form.minAge)) {
    add('eligibility.maxAge', text('employer.form.errAgeOrder'));
  }
  return errors;
}

// The opening a valid form describes, without the server's fields.
// `original` keeps what the form does not edit (the location's point).
export function openingFromForm(form: OpeningForm, original?: OpeningDraft): OpeningDraft {
  const sameMunicipality = original?.location?.municipalityCode === form.municipalityCode;
  const opening: OpeningDraft = {
    // validateForm has checked that both are chosen from their lists.
    kind: form.kind as OpeningKind,
    title: form.title.trim(),
    organisationName: form.organisationName.trim(),
    organisationId: form.organisationId.trim(),
    occupationField: form.occupationField,
    location:
      sameMunicipality && original?.location
        ? original.location
        : { municipalityCode: form.municipalityCode },
    essentialSkills: form.essentialSkills,
    optionalSkills: form.optionalSkills,
    supportsOffered: form.supportsOffered,
    capacity: Number(form.capacity),
    minHoursPerWeek: Number(form.minHours.replace(',', '.')),
    maxHoursPerWeek: Number(form.maxHours.replace(',', '.')),
    step: Number(form.step),
    minSwedishLevel: form.minSwedishLevel as SwedishLevel,
    eligibility: {
      minAge: form.minAge ? Number(form.minAge) : 0,
      maxAge: form.maxAge ? Number(form.maxAge) : 0,
      targetGroups: form.targetGroups,
    },
    startDate: textToDate(form.startDate),
  };
  const end = textToDate(form.endDate);
  if (end) opening.endDate = end;
  return opening;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameSet(a: string[], b: string[]): boolean {
  const s = new Set(a);
  return a.length === b.length && b.every((x) => s.has(x));
}

// The update-mask paths (lowerCamelCase, as proto JSON writes FieldMask) of
// the fields the form changed against the opening it was loaded from.
// Saving changes only these; fields someone else changed meanwhile keep
// their values.
export function changedPaths(before: OpeningForm, after: OpeningForm): string[] {
  const paths: string[] = [];
  const text = (path: string, a: string, b: string) => {
    if (a.trim() !== b.trim()) paths.push(path);
  };
  const num = (path: string, a: string, b: string) => {
    const na = a.trim() === '' ? 0 : Number(a.replace(',', '.'));
    const nb = b.trim() === '' ? 0 : Number(b.replace(',', '.'));
    if (na !== nb) paths.push(path);
  };
  text('kind', before.kind, after.kind);
  text('organisationId', before.organisationId, after.organisationId);
  text('organisationName', before.organisationName, after.organisationName);
  text('title', before.title, after.title);
  text('location', before.municipalityCode, after.municipalityCode);
  if (!sameList(before.essentialSkills, after.essentialSkills)) paths.push('essentialSkills');
  if (!sameList(before.optionalSkills, after.optionalSkills)) paths.push('optionalSkills');
  text('occupationField', before.occupationField, after.occupationField);
  if (!sameSet(before.supportsOffered, after.supportsOffered)) paths.push('supportsOffered');
  num('capacity', before.capacity, after.capacity);
  num('minHoursPerWeek', before.minHours, after.minHours);
  num('maxHoursPerWeek', before.maxHours, after.maxHours);
  num('step', before.step, after.step);
  num('eligibility.minAge', before.minAge, after.minAge);
  num('eligibility.maxAge', before.maxAge, after.maxAge);
  if (!sameSet(before.targetGroups, after.targetGroups)) paths.push('eligibility.targetGroups');
  text('minSwedishLevel', before.minSwedishLevel, after.minSwedishLevel);
  text('startDate', before.startDate, after.startDate);
  text('endDate', before.endDate, after.endDate);
  return paths;
}

// snake_case proto path (as server messages name fields) to the mask's
// lowerCamelCase form.
function camel(path: string): string {
  return path.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

// Splits a server INVALID_ARGUMENT message ("opening.capacity: ...; opening.title:
// ...") into problems tied to form fields where the path names one.
export function serverFieldErrors(message: string): FieldError[] {
  return message
    .split('; ')
    .filter((part) => part.trim().length > 0)
    .map((part) => {
      const m = /^opening\.([a-z_.]+)(?:\[\d+\])?[:\s]/.exec(part);
      let fieldId = '';
      if (m) {
        const path = camel(m[1]);
        const top = path.startsWith('location') ? 'location' : path;
        const key = Object.keys(kFieldIds).find((k) => top === k || top.startsWith(`${k}.`));
        fieldId = key ? kFieldIds[key] : '';
      }
      return { fieldId, message: part };
    });
}
