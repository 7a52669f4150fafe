// Publishing a new opening and changing one: one form with pickers for every
// code (kind, skills, supports, municipality, occupation field, step,
// Swedish level, target groups), an error summary that links to the fields,
// and, for an existing opening, the life-cycle actions (pause, reopen,
// close with a reason). Saving a change sends only the fields that changed
// (UpdateOpening's update_mask).

import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, call } from '../../api';
import { lang, localized, t } from '../../i18n';
import { href, navigate } from '../../router';
import { enumLabel, stepLabel } from '../../strings/enums';
import { CodeMultiPicker } from '../../components/code-multi-picker';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FormErrorSummary } from '../../components/form-error-summary';
import { Loading } from '../../components/Loading';
import { Page } from '../../components/Page';
import type { Opening } from '../../types';
import {
  codeLabel,
  municipalitiesByName,
  usePublicCodes,
  type PublicCodes,
} from '../../components/public-codes';
import {
  changedPaths,
  emptyForm,
  formFromOpening,
  kFieldIds,
  kOpeningKinds,
  kSwedishLevels,
  kTargetGroups,
  openingFromForm,
  serverFieldErrors,
  validateForm,
  type FieldError,
  type OpeningForm,
} from './opening-model';
import { PlacementCounts } from './placement-counts';

const fieldLabel = (path: string) => t(`employer.field.${path}`);

function errorFor(errors: FieldError[], path: string): string | undefined {
  const id = kFieldIds[path];
  const found = errors.filter((e) => e.fieldId === id);
  return found.length ? found.map((e) => e.message).join(' ') : undefined;
}

// A labelled control with its hint and error, GOV.UK style: the label is
// always visible, the hint and the error are tied to the control.
function Field(props: {
  path: string;
  label: string;
  hint?: string;
  errors: FieldError[];
  children: (aria: { id: string; describedBy?: string; invalid?: boolean }) => ComponentChildren;
}) {
  const id = kFieldIds[props.path];
  const error = errorFor(props.errors, props.path);
  const describedBy =
    [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{props.label}</label>
      {props.hint && <p class="help" id={`${id}-hint`}>{props.hint}</p>}
      {error && <p class="field-error" id={`${id}-error`}>{error}</p>}
      {props.children({ id, describedBy, invalid: error ? true : undefined })}
    </div>
  );
}

interface FormProps {
  codes: PublicCodes;
  original?: Opening;
  onSaved: (opening: Opening, message: string) => void;
}

function OpeningFormBody({ codes, original, onSaved }: FormProps) {
  const start = useMemo(() => (original ? formFromOpening(original) : emptyForm()), [original]);
  const [form, setForm] = useState<OpeningForm>(start);
  const [asDraft, setAsDraft] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [otherError, setOtherError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  // After a submit the browser's own checks found wrong, they are re-run on
  // every change, so each problem leaves the summary once it is fixed.
  const [recheck, setRecheck] = useState(false);
  const [submits, setSubmits] = useState(0);
  const closed = original?.status === 'OPENING_STATUS_CLOSED';

  useEffect(() => setForm(start), [start]);
  useEffect(() => {
    if (recheck) setErrors(validateForm(form, fieldLabel, t));
  }, [form, recheck]);

  const set = <K extends keyof OpeningForm>(key: K) => (value: OpeningForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const onText = <K extends keyof OpeningForm>(key: K) => (e: Event) =>
    set(key)((e.target as HTMLInputElement).value as OpeningForm[K]);
  const toggle = (key: 'supportsOffered' | 'targetGroups', code: string) => (e: Event) => {
    const on = (e.target as HTMLInputElement).checked;
    setForm((f) => ({ ...f, [key]: on ? [...f[key], code] : f[key].filter((c) => c !== code) }));
  };

  const skillOptions = useMemo(
    () =>
      codes.skills.map((s) => ({
        code: s.code,
        label: localized(s.label),
        hint: `${localized(s.group?.label)} · ${localized(s.field?.label)}`,
      })),
    [codes, lang()],
  );
  const pickerStrings = {
    search: t('employer.form.skillSearch'),
    add: t('employer.form.skillAdd'),
    remove: (label: string) => t('employer.form.skillRemove', { label }),
    chosen: t('employer.form.skillChosen'),
    noneChosen: t('employer.form.skillNone'),
    noMatch: t('employer.form.skillNoMatch'),
    moreMatches: (n: number) => t('employer.form.skillMore', { n }),
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setNotice('');
    setOtherError(undefined);
    const problems = validateForm(form, fieldLabel, t);
    setErrors(problems);
    setSubmits((n) => n + 1);
    setRecheck(problems.length > 0);
    if (problems.length > 0) return;
    const opening = openingFromForm(form, original);
    setBusy(true);
    try {
      if (original) {
        const paths = changedPaths(start, form);
        if (paths.length === 0) {
          setNotice(t('employer.form.noChanges'));
          return;
        }
        const saved = await call<Opening>('EmployerService', 'UpdateOpening', {
          opening: { ...opening, id: original.id },
          updateMask: paths.join(','),
        });
        onSaved(saved, t('employer.form.saved', { fields: paths.map(fieldLabel).join(', ') }));
      } else {
        const saved = await call<Opening>('EmployerService', 'PublishOpening', {
          opening,
          asDraft,
        });
        onSaved(saved, t('employer.form.published', { title: saved.title ?? '', id: saved.id ?? '' }));
      }
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'invalid_argument' || e.code === 'failed_precondition' || e.code === 'already_exists')) {
        setErrors(
          serverFieldErrors(e.message).map((fe) => ({
            fieldId: fe.fieldId,
            message: t('employer.form.errServer', { message: fe.message }),
          })),
        );
      } else {
        setOtherError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  const municipalities = municipalitiesByName(codes);
  const fields = [...codes.fields].sort((a, b) => localized(a.label).localeCompare(localized(b.label), 'sv'));

  return (
    <form class="opening-form" onSubmit={submit} noValidate data-testid="opening-form">
      <FormErrorSummary title={t('employer.form.errorSummary')} errors={errors} focusKey={submits} />
      {otherError !== undefined && <ErrorMessage error={otherError} />}
      {notice && <p class="notice" role="status">{notice}</p>}
      <p class="help">{t('employer.form.required')}</p>
      <fieldset disabled={closed}>
        <legend class="section-legend">{t('employer.form.sectionWhat')}</legend>
        <Field path="kind" label={t('employer.form.kind')} errors={errors}>
          {(a) => (
            <select id={a.id} aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.kind} onChange={onText('kind')}>
              <option value="">{t('employer.form.choose')}</option>
              {kOpeningKinds.map((k) => <option key={k} value={k}>{enumLabel(k)}</option>)}
            </select>
          )}
        </Field>
        <Field path="title" label={t('employer.form.title')} hint={t('employer.form.titleHint')} errors={errors}>
          {(a) => (
            <input id={a.id} type="text" maxLength={200} aria-describedby={a.describedBy}
              aria-invalid={a.invalid} value={form.title} onInput={onText('title')} />
          )}
        </Field>
        <Field path="organisationName" label={t('employer.form.organisationName')} errors={errors}>
          {(a) => (
            <input id={a.id} type="text" maxLength={200} autocomplete="organization"
              aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.organisationName} onInput={onText('organisationName')} />
          )}
        </Field>
        <Field path="organisationId" label={t('employer.form.organisationId')}
          hint={t('employer.form.organisationIdHint')} errors={errors}>
          {(a) => (
            <input id={a.id} type="text" maxLength={8} spellcheck={false} class="input-short"
              aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.organisationId} onInput={onText('organisationId')} />
          )}
        </Field>
        <Field path="occupationField" label={t('employer.form.occupationField')} errors={errors}>
          {(a) => (
            <select id={a.id} aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.occupationField} onChange={onText('occupationField')}>
              <option value="">{t('employer.form.choose')}</option>
              {fields.map((f) => <option key={f.code} value={f.code}>{localized(f.label)}</option>)}
            </select>
          )}
        </Field>
      </fieldset>

      <fieldset disabled={closed}>
        <legend class="section-legend">{t('employer.form.sectionWhere')}</legend>
        <Field path="location" label={t('employer.form.municipality')}
          hint={t('employer.form.municipalityHint')} errors={errors}>
          {(a) => (
            <select id={a.id} aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.municipalityCode} onChange={onText('municipalityCode')}>
              <option value="">{t('employer.form.choose')}</option>
              {municipalities.map((m) => (
                <option key={m.code} value={m.code}>
                  {localized(m.label)} ({localized(m.county?.label)})
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>

      <fieldset disabled={closed}>
        <legend class="section-legend">{t('employer.form.sectionSkills')}</legend>
        <CodeMultiPicker
          legend={t('employer.form.essentialSkills')}
          hint={t('employer.form.essentialHint')}
          options={skillOptions}
          value={form.essentialSkills}
          excluded={form.optionalSkills}
          onChange={set('essentialSkills')}
          inputId={kFieldIds.essentialSkills}
          error={errorFor(errors, 'essentialSkills')}
          strings={pickerStrings}
        />
        <CodeMultiPicker
          legend={t('employer.form.optionalSkills')}
          hint={t('employer.form.optionalHint')}
          options={skillOptions}
          value={form.optionalSkills}
          excluded={form.essentialSkills}
          onChange={set('optionalSkills')}
          inputId={kFieldIds.optionalSkills}
          error={errorFor(errors, 'optionalSkills')}
          strings={pickerStrings}
        />
      </fieldset>

      <fieldset disabled={closed} class="checkbox-group" id={kFieldIds.supportsOffered} tabIndex={-1}
        aria-describedby="opening-supports-hint">
        <legend class="section-legend">{t('employer.form.supports')}</legend>
        <p class="help" id="opening-supports-hint">{t('employer.form.supportsHint')}</p>
        {errorFor(errors, 'supportsOffered') && (
          <p class="field-error">{errorFor(errors, 'supportsOffered')}</p>
        )}
        {codes.supports.map((s) => (
          <label key={s.code} class="check">
            <input type="checkbox" name="supports" value={s.code}
              checked={form.supportsOffered.includes(s.code)} onChange={toggle('supportsOffered', s.code)} />
            {localized(s.label)}
          </label>
        ))}
      </fieldset>

      <fieldset disabled={closed}>
        <legend class="section-legend">{t('employer.form.sectionTerms')}</legend>
        <Field path="capacity" label={t('employer.form.capacity')} hint={t('employer.form.capacityHint')} errors={errors}>
          {(a) => (
            <input id={a.id} type="text" inputMode="numeric" class="input-short"
              aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.capacity} onInput={onText('capacity')} />
          )}
        </Field>
        <Field path="minHoursPerWeek" label={t('employer.form.minHours')} hint={t('employer.form.hoursHint')} errors={errors}>
          {(a) => (
            <input id={a.id} type="text" inputMode="decimal" class="input-short"
              aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.minHours} onInput={onText('minHours')} />
          )}
        </Field>
        <Field path="maxHoursPerWeek" label={t('employer.form.maxHours')} hint={t('employer.form.hoursHint')} errors={errors}>
          {(a) => (
            <input id={a.id} type="text" inputMode="decimal" class="input-short"
              aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.maxHours} onInput={onText('maxHours')} />
          )}
        </Field>
        <Field path="startDate" label={t('employer.form.startDate')} errors={errors}>
          {(a) => (
            <input id={a.id} type="date" aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.startDate} onInput={onText('startDate')} />
          )}
        </Field>
        <Field path="endDate" label={t('employer.form.endDate')} hint={t('employer.form.endDateHint')} errors={errors}>
          {(a) => (
            <input id={a.id} type="date" aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.endDate} onInput={onText('endDate')} />
          )}
        </Field>
      </fieldset>

      <fieldset disabled={closed}>
        <legend class="section-legend">{t('employer.form.sectionWho')}</legend>
        <Field path="step" label={t('employer.form.step')} hint={t('employer.form.stepHint')} errors={errors}>
          {(a) => (
            <select id={a.id} aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.step} onChange={onText('step')}>
              <option value="">{t('employer.form.choose')}</option>
              {[0, 1, 2, 3, 4, 5].map((s) => <option key={s} value={String(s)}>{stepLabel(s)}</option>)}
            </select>
          )}
        </Field>
        <Field path="minSwedishLevel" label={t('employer.form.swedish')} errors={errors}>
          {(a) => (
            <select id={a.id} aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.minSwedishLevel} onChange={onText('minSwedishLevel')}>
              {kSwedishLevels.map((l) => <option key={l} value={l}>{enumLabel(l)}</option>)}
            </select>
          )}
        </Field>
        <Field path="eligibility.minAge" label={t('employer.form.minAge')} hint={t('employer.form.ageHint')} errors={errors}>
          {(a) => (
            <input id={a.id} type="text" inputMode="numeric" class="input-short"
              aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.minAge} onInput={onText('minAge')} />
          )}
        </Field>
        <Field path="eligibility.maxAge" label={t('employer.form.maxAge')} hint={t('employer.form.ageHint')} errors={errors}>
          {(a) => (
            <input id={a.id} type="text" inputMode="numeric" class="input-short"
              aria-describedby={a.describedBy} aria-invalid={a.invalid}
              value={form.maxAge} onInput={onText('maxAge')} />
          )}
        </Field>
        <fieldset class="checkbox-group" id={kFieldIds['eligibility.targetGroups']} tabIndex={-1}
          aria-describedby="opening-target-groups-hint">
          <legend>{t('employer.form.targetGroups')}</legend>
          <p class="help" id="opening-target-groups-hint">{t('employer.form.targetGroupsHint')}</p>
          {kTargetGroups.map((g) => (
            <label key={g} class="check">
              <input type="checkbox" name="targetGroups" value={g}
                checked={form.targetGroups.includes(g)} onChange={toggle('targetGroups', g)} />
              {enumLabel(g)}
            </label>
          ))}
        </fieldset>
      </fieldset>

      {!original && (
        <label class="check">
          <input type="checkbox" checked={asDraft}
            onChange={(e) => setAsDraft((e.target as HTMLInputElement).checked)} />
          {t('employer.form.asDraft')}
        </label>
      )}
      {!closed && (
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('employer.form.saving') : original ? t('employer.form.save') : t('employer.form.publish')}
        </button>
      )}
    </form>
  );
}

// Pause, reopen, publish a draft, close with a reason.
function StatusActions({ opening, onChanged }: { opening: Opening; onChanged: (o: Opening, message: string) => void }) {
  const [closing, setClosing] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const status = opening.status ?? '';
  // The button pressed disappears with the change, so focus moves to the
  // new status; opening the close form focuses its reason.
  const statusLine = useRef<HTMLParagraphElement>(null);
  const reasonBox = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (closing) reasonBox.current?.focus();
  }, [closing]);

  const act = async (method: string, body: object) => {
    setBusy(true);
    setError(undefined);
    try {
      const changed = await call<Opening>('EmployerService', method, { openingId: opening.id, ...body });
      setClosing(false);
      setReason('');
      onChanged(changed, t('employer.status.changed', { status: enumLabel(changed.status) }));
      statusLine.current?.focus();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="status-actions" aria-labelledby="opening-status-heading">
      <h2 id="opening-status-heading">{t('employer.status.title')}</h2>
      <p data-testid="opening-status" tabIndex={-1} ref={statusLine}>{t('employer.status.current', { status: enumLabel(status) })}</p>
      {error !== undefined && <ErrorMessage error={error} />}
      {status === 'OPENING_STATUS_CLOSED' ? (
        <p>{t('employer.status.closedNote')}</p>
      ) : (
        <div class="button-row">
          {status === 'OPENING_STATUS_OPEN' && (
            <button type="button" disabled={busy} onClick={() => void act('PauseOpening', {})}>
              {t('employer.status.pause')}
            </button>
          )}
          {(status === 'OPENING_STATUS_PAUSED' || status === 'OPENING_STATUS_DRAFT') && (
            <button type="button" disabled={busy} onClick={() => void act('ReopenOpening', {})}>
              {status === 'OPENING_STATUS_DRAFT' ? t('employer.status.publishDraft') : t('employer.status.reopen')}
            </button>
          )}
          {!closing && (
            <button type="button" class="danger" disabled={busy} onClick={() => setClosing(true)}>
              {t('employer.status.close')}
            </button>
          )}
        </div>
      )}
      {closing && (
        <form
          class="close-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('CloseOpening', { reason: reason.trim() });
          }}
        >
          <p class="warning-text">{t('employer.status.closeWarning')}</p>
          <div class="field">
            <label for="close-reason">{t('employer.status.closeReason')}</label>
            <p class="help" id="close-reason-hint">{t('employer.status.closeReasonHint')}</p>
            <textarea id="close-reason" ref={reasonBox} maxLength={500} rows={3} aria-describedby="close-reason-hint"
              value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
          </div>
          <div class="button-row">
            <button type="submit" class="danger" disabled={busy}>{t('employer.status.closeConfirm')}</button>
            <button type="button" onClick={() => setClosing(false)}>{t('employer.status.cancel')}</button>
          </div>
        </form>
      )}
    </section>
  );
}

// The message of the last publish, shown once on the new opening's page.
let published: { id: string; message: string } | undefined;

export function NewOpeningPage() {
  const { codes, error, retry } = usePublicCodes();
  return (
    <Page title={t('employer.form.newTitle')}>
      <p><a href={href('employer')}>{t('employer.form.back')}</a></p>
      {error !== undefined && <ErrorMessage error={error} onRetry={retry} />}
      {!codes && error === undefined && <Loading />}
      {codes && (
        <OpeningFormBody
          codes={codes}
          onSaved={(saved, message) => {
            published = { id: saved.id ?? '', message };
            navigate(`/employer/opening/${encodeURIComponent(saved.id ?? '')}`);
          }}
        />
      )}
    </Page>
  );
}

export function EditOpeningPage({ id }: { id: string }) {
  const { codes, error: codesError, retry } = usePublicCodes();
  const [opening, setOpening] = useState<Opening | undefined>();
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState(() => {
    const m = published?.id === id ? published.message : '';
    published = undefined;
    return m;
  });

  const load = () => {
    setError(undefined);
    call<Opening>('EmployerService', 'GetOpening', { openingId: id }).then(setOpening, setError);
  };
  useEffect(load, [id]);

  const changed = (o: Opening, m: string) => {
    setOpening(o);
    setMessage(m);
  };

  return (
    <Page title={opening ? t('employer.form.editTitle', { title: opening.title ?? '' }) : t('employer.form.loading')}>
      <p class="button-row">
        <a href={href('employer')}>{t('employer.form.back')}</a>
        {opening && opening.status !== 'OPENING_STATUS_CLOSED' && (
          <a href={href('employer', 'opening', id, 'candidates')}>{t('employer.openings.candidatesShort')}</a>
        )}
      </p>
      {message && <p class="notice success" role="status" data-testid="opening-saved">{message}</p>}
      {codesError !== undefined && <ErrorMessage error={codesError} onRetry={retry} />}
      {error !== undefined && <ErrorMessage error={error} onRetry={load} />}
      {(!opening || !codes) && error === undefined && codesError === undefined && <Loading />}
      {opening && codes && (
        <>
          <p class="opening-meta">
            {opening.id} · {codeLabel(codes, 'municipality', opening.location?.municipalityCode)} ·{' '}
            {t('employer.openings.places', { taken: opening.placesTaken ?? 0, capacity: opening.capacity ?? 0 })}
          </p>
          <StatusActions opening={opening} onChanged={changed} />
          <PlacementCounts openingId={id} />
          <OpeningFormBody codes={codes} original={opening} onSaved={changed} />
        </>
      )}
    </Page>
  );
}
