// The participant's profile as a form. Saving sends only what was changed:
// UpdateParticipant with an update mask naming exactly the changed fields.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { call, ApiError } from '../../api';
import { AddPicker, CheckList, choicesOf, type Choice } from '../../components/Pickers';
import { errorText, errorDetail } from '../../components/ErrorMessage';
import { lang, localized, t } from '../../i18n';
import { label, type Reference } from '../../reference';
import { enumLabel, stepLabel } from '../../strings/enums';
import {
  PARTICIPANT_STATUSES, STEPS, SWEDISH_LEVELS, TRAVEL_MODES,
  type NeedStrength, type Participant, type ParticipantStatus, type SkillLevel, type SupportNeed,
} from '../../types';

/** The fields this form edits, by their JSON names; each is one update-mask path. */
interface Draft {
  skills: SkillLevel[];
  supportNeeds: SupportNeed[];
  municipalityCode: string;
  travelMode: string;
  maxTravelMinutes: string;
  hoursPerWeekAvailable: string;
  step: string;
  status: string;
  swedishLevel: string;
  wantedFields: string[];
  vetoedFields: string[];
  vetoedOrganisationIds: string[];
}

function draftOf(p: Participant): Draft {
  return {
    skills: (p.skills ?? []).map((s) => ({ skillCode: s.skillCode, level: s.level })),
    supportNeeds: (p.supportNeeds ?? []).map((n) => ({ needCode: n.needCode, strength: n.strength })),
    municipalityCode: p.home?.municipalityCode ?? '',
    travelMode: p.travelMode ?? 'TRAVEL_MODE_UNSPECIFIED',
    maxTravelMinutes: String(p.maxTravelMinutes ?? ''),
    hoursPerWeekAvailable: String(p.hoursPerWeekAvailable ?? ''),
    step: String(p.step ?? 0),
    status: p.status ?? 'PARTICIPANT_STATUS_ACTIVE',
    swedishLevel: p.swedishLevel ?? 'SWEDISH_LEVEL_UNSPECIFIED',
    wantedFields: [...(p.wantedFields ?? [])],
    vetoedFields: [...(p.vetoedFields ?? [])],
    vetoedOrganisationIds: [...(p.vetoedOrganisationIds ?? [])],
  };
}

type Key = keyof Draft;
const KEYS: Key[] = ['skills', 'supportNeeds', 'municipalityCode', 'travelMode', 'maxTravelMinutes',
  'hoursPerWeekAvailable', 'step', 'status', 'swedishLevel', 'wantedFields', 'vetoedFields',
  'vetoedOrganisationIds'];

/** The update-mask path (lowerCamelCase, as FieldMask's JSON form) of each form key. */
const PATH: Record<Key, string> = {
  skills: 'skills', supportNeeds: 'supportNeeds', municipalityCode: 'home', travelMode: 'travelMode',
  maxTravelMinutes: 'maxTravelMinutes', hoursPerWeekAvailable: 'hoursPerWeekAvailable', step: 'step',
  status: 'status', swedishLevel: 'swedishLevel', wantedFields: 'wantedFields',
  vetoedFields: 'vetoedFields', vetoedOrganisationIds: 'vetoedOrganisationIds',
};

/** The form control each key's errors link to. */
const CONTROL: Record<Key, string> = {
  skills: 'skills-select', supportNeeds: 'needs-select', municipalityCode: 'home-municipality',
  travelMode: 'travel-mode', maxTravelMinutes: 'max-travel', hoursPerWeekAvailable: 'hours',
  step: 'step', status: 'status', swedishLevel: 'swedish', wantedFields: 'wanted-fields',
  vetoedFields: 'vetoed-fields', vetoedOrganisationIds: 'vetoed-orgs-select',
};

/** The API value of one key as the request carries it. */
function valueOf(key: Key, d: Draft): unknown {
  switch (key) {
    case 'municipalityCode': return { municipalityCode: d.municipalityCode };
    case 'maxTravelMinutes': return Number(d.maxTravelMinutes);
    case 'hoursPerWeekAvailable': return Number(d.hoursPerWeekAvailable);
    case 'step': return Number(d.step);
    default: return d[key];
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface FieldError { key: Key; text: string }

function validate(d: Draft): FieldError[] {
  const errors: FieldError[] = [];
  const minutes = Number(d.maxTravelMinutes);
  if (!/^\d+$/.test(d.maxTravelMinutes) || minutes < 1 || minutes > 240) {
    errors.push({ key: 'maxTravelMinutes', text: t('profile.error.minutes') });
  }
  const hours = Number(d.hoursPerWeekAvailable.replace(',', '.'));
  if (!Number.isFinite(hours) || hours < 1 || hours > 60 || d.hoursPerWeekAvailable.trim() === '') {
    errors.push({ key: 'hoursPerWeekAvailable', text: t('profile.error.hours') });
  }
  const overlap = d.wantedFields.filter((f) => d.vetoedFields.includes(f));
  if (overlap.length > 0) errors.push({ key: 'vetoedFields', text: t('profile.error.overlap') });
  return errors;
}

/** Which form key a server message names, e.g. "participant.max_travel_minutes: …". */
function keyOfServerMessage(message: string): Key | undefined {
  const m = /participant\.([a-z_]+)/.exec(message);
  if (!m) return undefined;
  const camel = m[1].replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (camel === 'home') return 'municipalityCode';
  return KEYS.find((k) => PATH[k] === camel);
}

interface Props {
  participant: Participant;
  reference: Reference;
  /** Organisation ids with names, for the veto picker. */
  organisations: Choice[];
  onSaved: (updated: Participant) => void;
}

export function ProfileForm({ participant, reference, organisations, onSaved }: Props) {
  const original = useMemo(() => draftOf(participant), [participant]);
  const [draft, setDraft] = useState<Draft>(original);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [serverError, setServerError] = useState<unknown>();
  const [saved, setSaved] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [newSkillLevel, setNewSkillLevel] = useState('1');
  const [newNeedStrength, setNewNeedStrength] = useState<NeedStrength>('NEED_STRENGTH_SOFT');

  // The participant changed elsewhere on the page (a placement started or
  // ended: status, step): take the new values into the fields the person
  // has not touched, so no stale value looks like an unsaved change.
  const previous = useRef(original);
  useEffect(() => {
    const before = previous.current;
    previous.current = original;
    if (before === original) return;
    setDraft((d) => {
      const next = { ...d };
      for (const k of KEYS) if (same(d[k], before[k])) (next as Record<Key, unknown>)[k] = original[k];
      return next;
    });
  }, [original]);

  const changed = KEYS.filter((k) => !same(draft[k], original[k]));
  const set = <K extends Key>(key: K, value: Draft[K]) => {
    setSaved(undefined);
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const errorFor = (key: Key) => errors.find((e) => e.key === key);
  const describedBy = (key: Key, help?: string) =>
    [help, errorFor(key) ? `${CONTROL[key]}-error` : ''].filter(Boolean).join(' ') || undefined;
  const inlineError = (key: Key) => {
    const e = errorFor(key);
    return e ? <p id={`${CONTROL[key]}-error`} class="error-text">{e.text}</p> : null;
  };

  const skillChoices = useMemo<Choice[]>(() => reference.skills
    .map((s) => ({ code: s.code, label: localized(s.label) || s.code, hint: localized(s.field?.label) }))
    .sort((a, b) => a.label.localeCompare(b.label, lang())), [reference, lang()]);
  const needChoices = useMemo(() => choicesOf(reference.needs), [reference, lang()]);
  const fieldChoices = useMemo(() => choicesOf(reference.fields), [reference, lang()]);
  const municipalityGroups = useMemo(() => {
    const groups = new Map<string, { name: string; items: { code: string; name: string }[] }>();
    for (const m of reference.municipalities) {
      const county = m.county?.code ?? '';
      if (!groups.has(county)) groups.set(county, { name: localized(m.county?.label) || county, items: [] });
      groups.get(county)!.items.push({ code: m.code, name: localized(m.label) || m.code });
    }
    return [...groups.values()].map((g) => ({ ...g, items: g.items.sort((a, b) => a.name.localeCompare(b.name, 'sv')) }));
  }, [reference]);
  const orgName = (id: string) => organisations.find((o) => o.code === id)?.label ?? id;

  const reset = () => {
    setDraft(original);
    setErrors([]);
    setServerError(undefined);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setSaved(undefined);
    setServerError(undefined);
    const found = validate(draft);
    setErrors(found);
    if (found.length > 0) {
      requestAnimationFrame(() => document.getElementById('profile-error-summary')?.focus());
      return;
    }
    if (changed.length === 0) {
      setSaved(t('profile.nothingChanged'));
      return;
    }
    const body: Record<string, unknown> = { id: participant.id };
    for (const key of changed) body[PATH[key]] = valueOf(key, draft);
    setBusy(true);
    try {
      const updated = await call<Participant>('ParticipantRegistry', 'UpdateParticipant', {
        participant: body,
        updateMask: changed.map((k) => PATH[k]).join(','),
      });
      setSaved(t('profile.saved', { fields: changed.map((k) => t(`profile.path.${k}`)).join(', ') }));
      // Show the record as stored (the server may normalise, e.g. "20.0" hours).
      setDraft(draftOf(updated));
      onSaved(updated);
    } catch (e) {
      const key = e instanceof ApiError && e.code === 'invalid_argument' ? keyOfServerMessage(e.message) : undefined;
      if (key) {
        setErrors([{ key, text: `${t('profile.error.server')} ${errorDetail(e)}` }]);
        requestAnimationFrame(() => document.getElementById('profile-error-summary')?.focus());
      } else {
        setServerError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  const skillName = (code: string | undefined) => label('skill', code ?? '', reference);
  const needName = (code: string | undefined) => label('need', code ?? '', reference);

  return (
    <form class="profile" onSubmit={save} noValidate aria-labelledby="profile-heading">
      <h2 id="profile-heading" tabIndex={-1}>{t('profile.title')}</h2>
      {errors.length > 0 && (
        <div id="profile-error-summary" class="error" role="alert" tabIndex={-1} aria-labelledby="profile-error-title">
          <p id="profile-error-title" class="error-text">{t('profile.error.summary')}</p>
          <ul>
            {errors.map((e) => <li key={e.key}><a href={`#${CONTROL[e.key]}`} onClick={(ev) => {
              ev.preventDefault();
              document.getElementById(CONTROL[e.key])?.focus();
            }}>{t(`profile.path.${e.key}`)}: {e.text}</a></li>)}
          </ul>
        </div>
      )}

      <div class="form-grid">
        <div class="field">
          <label for="home-municipality">{t('coach.field.municipality')}</label>
          <select id="home-municipality" value={draft.municipalityCode} aria-describedby={describedBy('municipalityCode', 'home-help')}
            onChange={(e) => set('municipalityCode', (e.target as HTMLSelectElement).value)}>
            {municipalityGroups.map((g) => (
              <optgroup key={g.name} label={g.name}>
                {g.items.map((m) => <option key={m.code} value={m.code}>{m.name}</option>)}
              </optgroup>
            ))}
          </select>
          <span id="home-help" class="help">{t('profile.homeHelp')}</span>
          {inlineError('municipalityCode')}
        </div>
        <div class="field">
          <label for="travel-mode">{t('coach.field.travelMode')}</label>
          <select id="travel-mode" value={draft.travelMode} aria-describedby={describedBy('travelMode')}
            onChange={(e) => set('travelMode', (e.target as HTMLSelectElement).value)}>
            {TRAVEL_MODES.map((m) => <option key={m} value={m}>{enumLabel(m)}</option>)}
          </select>
          {inlineError('travelMode')}
        </div>
        <div class="field">
          <label for="max-travel">{t('profile.maxTravel')}</label>
          <input id="max-travel" type="number" inputMode="numeric" min={1} max={240} step={1}
            value={draft.maxTravelMinutes} aria-invalid={errorFor('maxTravelMinutes') ? true : undefined}
            aria-describedby={describedBy('maxTravelMinutes', 'max-travel-help')}
            onInput={(e) => set('maxTravelMinutes', (e.target as HTMLInputElement).value)} />
          <span id="max-travel-help" class="help">{t('profile.maxTravelHelp')}</span>
          {inlineError('maxTravelMinutes')}
        </div>
        <div class="field">
          <label for="hours">{t('profile.hours')}</label>
          <input id="hours" type="number" inputMode="decimal" min={1} max={60} step={0.5}
            value={draft.hoursPerWeekAvailable} aria-invalid={errorFor('hoursPerWeekAvailable') ? true : undefined}
            aria-describedby={describedBy('hoursPerWeekAvailable', 'hours-help')}
            onInput={(e) => set('hoursPerWeekAvailable', (e.target as HTMLInputElement).value)} />
          <span id="hours-help" class="help">{t('profile.hoursHelp')}</span>
          {inlineError('hoursPerWeekAvailable')}
        </div>
        <div class="field">
          <label for="step">{t('coach.field.step')}</label>
          <select id="step" value={draft.step} aria-describedby={describedBy('step')}
            onChange={(e) => set('step', (e.target as HTMLSelectElement).value)}>
            {STEPS.map((s) => <option key={s} value={String(s)}>{stepLabel(s)}</option>)}
          </select>
          {inlineError('step')}
        </div>
        <div class="field">
          <label for="status">{t('coach.field.status')}</label>
          <select id="status" value={draft.status} aria-describedby={describedBy('status')}
            onChange={(e) => set('status', (e.target as HTMLSelectElement).value)}>
            {(PARTICIPANT_STATUSES.includes(original.status as ParticipantStatus) ? PARTICIPANT_STATUSES
              : [...PARTICIPANT_STATUSES, original.status]).map((s) => <option key={s} value={s}>{enumLabel(s)}</option>)}
          </select>
          {inlineError('status')}
        </div>
        <div class="field">
          <label for="swedish">{t('profile.swedish')}</label>
          <select id="swedish" value={draft.swedishLevel} aria-describedby={describedBy('swedishLevel')}
            onChange={(e) => set('swedishLevel', (e.target as HTMLSelectElement).value)}>
            {SWEDISH_LEVELS.map((s) => <option key={s} value={s}>{enumLabel(s)}</option>)}
          </select>
          {inlineError('swedishLevel')}
        </div>
      </div>

      <fieldset>
        <legend>{t('profile.skills')}</legend>
        {draft.skills.length === 0 ? <p class="help">{t('profile.noSkills')}</p> : (
          <ul class="picker-list">
            {draft.skills.map((s, i) => (
              <li key={s.skillCode}>
                <span class="name">{skillName(s.skillCode)}</span>
                <label class="visually-hidden" for={`skill-level-${i}`}>{t('profile.levelOf', { what: skillName(s.skillCode) })}</label>
                <select id={`skill-level-${i}`} value={String(s.level ?? 1)} onChange={(e) => set('skills',
                  draft.skills.map((x, j) => (j === i ? { ...x, level: Number((e.target as HTMLSelectElement).value) } : x)))}>
                  {[1, 2, 3].map((l) => <option key={l} value={String(l)}>{t(`skillLevel.${l}`)}</option>)}
                </select>
                <button type="button" class="danger" onClick={() => set('skills', draft.skills.filter((_, j) => j !== i))}>
                  {t('picker.remove', { what: skillName(s.skillCode) })}
                </button>
              </li>
            ))}
          </ul>
        )}
        <AddPicker id="skills" label={t('profile.skill')} choices={skillChoices} filterable
          taken={draft.skills.map((s) => s.skillCode ?? '')}
          onAdd={(code) => set('skills', [...draft.skills, { skillCode: code, level: Number(newSkillLevel) }])}
          extra={(
            <div class="field">
              <label for="new-skill-level">{t('profile.level')}</label>
              <select id="new-skill-level" value={newSkillLevel} onChange={(e) => setNewSkillLevel((e.target as HTMLSelectElement).value)}>
                {[1, 2, 3].map((l) => <option key={l} value={String(l)}>{t(`skillLevel.${l}`)}</option>)}
              </select>
            </div>
          )} />
      </fieldset>

      <fieldset>
        <legend>{t('profile.needs')}</legend>
        <p class="help">{t('profile.needsHelp')}</p>
        {draft.supportNeeds.length === 0 ? <p class="help">{t('profile.noNeeds')}</p> : (
          <ul class="picker-list">
            {draft.supportNeeds.map((n, i) => {
              const mayBeHard = reference.need(n.needCode ?? '')?.mayBeHard ?? true;
              return (
                <li key={n.needCode}>
                  <span class="name">{needName(n.needCode)}</span>
                  <label class="visually-hidden" for={`need-strength-${i}`}>{t('profile.strengthOf', { what: needName(n.needCode) })}</label>
                  <select id={`need-strength-${i}`} value={n.strength} onChange={(e) => set('supportNeeds',
                    draft.supportNeeds.map((x, j) => (j === i ? { ...x, strength: (e.target as HTMLSelectElement).value as NeedStrength } : x)))}>
                    <option value="NEED_STRENGTH_SOFT">{enumLabel('NEED_STRENGTH_SOFT')}</option>
                    {(mayBeHard || n.strength === 'NEED_STRENGTH_HARD') && <option value="NEED_STRENGTH_HARD">{enumLabel('NEED_STRENGTH_HARD')}</option>}
                  </select>
                  <button type="button" class="danger" onClick={() => set('supportNeeds', draft.supportNeeds.filter((_, j) => j !== i))}>
                    {t('picker.remove', { what: needName(n.needCode) })}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <AddPicker id="needs" label={t('profile.need')} choices={needChoices}
          taken={draft.supportNeeds.map((n) => n.needCode ?? '')}
          onAdd={(code) => set('supportNeeds', [...draft.supportNeeds, {
            needCode: code,
            strength: newNeedStrength === 'NEED_STRENGTH_HARD' && reference.need(code)?.mayBeHard === false ? 'NEED_STRENGTH_SOFT' : newNeedStrength,
          }])}
          extra={(
            <div class="field">
              <label for="new-need-strength">{t('profile.strength')}</label>
              <select id="new-need-strength" value={newNeedStrength} onChange={(e) => setNewNeedStrength((e.target as HTMLSelectElement).value as NeedStrength)}>
                <option value="NEED_STRENGTH_SOFT">{enumLabel('NEED_STRENGTH_SOFT')}</option>
                <option value="NEED_STRENGTH_HARD">{enumLabel('NEED_STRENGTH_HARD')}</option>
              </select>
            </div>
          )} />
      </fieldset>

      <CheckList id="wanted-fields" legend={t('profile.wanted')} choices={fieldChoices} selected={draft.wantedFields}
        disabled={new Set(draft.vetoedFields)} help={t('profile.wantedHelp')}
        onChange={(next) => set('wantedFields', next)} />
      {inlineError('wantedFields')}
      <CheckList id="vetoed-fields" legend={t('profile.vetoedFields')} choices={fieldChoices} selected={draft.vetoedFields}
        disabled={new Set(draft.wantedFields)} help={t('profile.vetoedFieldsHelp')}
        onChange={(next) => set('vetoedFields', next)} />
      {inlineError('vetoedFields')}

      <fieldset>
        <legend>{t('profile.vetoedOrgs')}</legend>
        {draft.vetoedOrganisationIds.length === 0 ? <p class="help">{t('profile.noVetoedOrgs')}</p> : (
          <ul class="picker-list">
            {draft.vetoedOrganisationIds.map((id) => (
              <li key={id}>
                <span class="name">{orgName(id)}</span>
                <button type="button" class="danger" onClick={() => set('vetoedOrganisationIds', draft.vetoedOrganisationIds.filter((x) => x !== id))}>
                  {t('picker.remove', { what: orgName(id) })}
                </button>
              </li>
            ))}
          </ul>
        )}
        <AddPicker id="vetoed-orgs" label={t('profile.organisation')} choices={organisations} filterable
          taken={draft.vetoedOrganisationIds} onAdd={(code) => set('vetoedOrganisationIds', [...draft.vetoedOrganisationIds, code])} />
      </fieldset>

      {serverError !== undefined && (
        <div class="error" role="alert">
          <p class="error-text">{errorText(serverError)}</p>
          <details class="error-details"><summary>{t('error.details')}</summary><p>{errorDetail(serverError)}</p></details>
        </div>
      )}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>{busy ? t('profile.saving') : t('profile.save')}</button>
        <button type="button" onClick={reset} disabled={busy || changed.length === 0}>{t('profile.undo')}</button>
        <span class="changed-note" aria-live="polite">
          {changed.length === 0 ? t('profile.unchanged') : t('profile.changed', { fields: changed.map((k) => t(`profile.path.${k}`)).join(', ') })}
        </span>
      </div>
      {saved && <p class="success" role="status">{saved}</p>}
    </form>
  );
}
