// The running placement and how it ends (PlacementService.EndPlacement: an
// end date, an outcome in plain words, the new step when the participant
// moved up, and whether they leave the programme), and starting a placement
// directly in an opening, without a hold (StartPlacement with opening_id).
import { useEffect, useState } from 'preact/hooks';
import { call } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { FormErrorSummary, type SummaryError } from '../../components/form-error-summary';
import { dateFromIso, formatDay, todayIso } from '../../dates';
import { t } from '../../i18n';
import type { OpeningIndex } from '../../openings';
import { enumLabel, stepLabel } from '../../strings/enums';
import {
  PLACEMENT_OUTCOMES, STEPS, type Participant, type PlacementOutcome, type PlacementRecord,
  type StartPlacementResponse,
} from '../../types';
import type { RunningPlacement } from './life';
import { lifeErrorField, lifeErrorText } from './life-errors';
import { openingTitle } from './OpeningMatch';

/** "Title (O000017)" for an opening id. */
export function openingName(openings: OpeningIndex, id: string | undefined): string {
  return `${openingTitle(openings.get(id), id)} (${id ?? ''})`;
}

interface EndProps {
  running: RunningPlacement;
  participant: Participant;
  openings: OpeningIndex;
  onEnded: (placement: PlacementRecord) => void;
}

type EndField = 'end-date' | 'end-outcome' | 'end-to-step';

export function RunningPlacementView({ running, participant, openings, onEnded }: EndProps) {
  const [endDate, setEndDate] = useState(todayIso());
  const [outcome, setOutcome] = useState<PlacementOutcome | ''>('');
  const [toStep, setToStep] = useState('');
  const [leaves, setLeaves] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<EndField, string>>>({});
  const [submits, setSubmits] = useState(0);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const step = participant.step ?? 0;
  const higher = STEPS.filter((s) => s > step);
  const outcomes = PLACEMENT_OUTCOMES.filter((o) => o !== 'PLACEMENT_OUTCOME_MOVED_UP' || higher.length > 0);

  const check = (): Partial<Record<EndField, string>> => {
    const found: Partial<Record<EndField, string>> = {};
    if (!dateFromIso(endDate)) found['end-date'] = t('end.error.date');
    if (!outcome) found['end-outcome'] = t('end.error.outcome');
    if (outcome === 'PLACEMENT_OUTCOME_MOVED_UP' && !toStep) found['end-to-step'] = t('end.error.step');
    return found;
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setSubmits((n) => n + 1);
    setError(undefined);
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      onEnded(await call<PlacementRecord>('PlacementService', 'EndPlacement', {
        placementId: running.placementId,
        endDate: dateFromIso(endDate),
        outcome,
        ...(outcome === 'PLACEMENT_OUTCOME_MOVED_UP' ? { toStep: Number(toStep) } : {}),
        leavesProgramme: leaves,
      }));
    } catch (e) {
      const field = lifeErrorField(e);
      const text = lifeErrorText(e);
      if (field && text) {
        setErrors({ [field === 'end_date' ? 'end-date' : 'end-to-step']: text });
        setSubmits((n) => n + 1);
      } else {
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  };
  // After a failed submit the checks re-run as people fix the fields.
  useEffect(() => {
    if (submits > 0) setErrors(check());
  }, [endDate, outcome, toStep]);
  const summary: SummaryError[] = (['end-date', 'end-outcome', 'end-to-step'] as EndField[])
    .filter((f) => errors[f])
    .map((f) => ({ fieldId: f === 'end-outcome' ? `end-outcome-${outcomes[0]}` : f, message: errors[f] ?? '' }));
  const describedBy = (field: EndField, help: string) => `${help}${errors[field] ? ` ${field}-error` : ''}`;

  return (
    <div class="running-placement" data-testid="running-placement" data-placement-id={running.placementId}>
      <h3>{t('placement.title')}</h3>
      <p>{t('placement.current', { opening: openingName(openings, running.openingId), date: formatDay(running.start.date) })}</p>
      <form class="end-form" aria-labelledby="end-heading" onSubmit={submit} noValidate>
        <h4 id="end-heading">{t('end.title')}</h4>
        <FormErrorSummary title={t('end.error.summary')} errors={summary} focusKey={submits} />
        <div class={`field${errors['end-date'] ? ' has-error' : ''}`}>
          <label for="end-date">{t('end.date')}</label>
          <span id="end-date-help" class="help">{t('end.dateHelp')}</span>
          {errors['end-date'] && <p id="end-date-error" class="field-error">{errors['end-date']}</p>}
          <input id="end-date" type="date" value={endDate} max={todayIso()}
            aria-describedby={describedBy('end-date', 'end-date-help')} aria-invalid={errors['end-date'] ? true : undefined}
            onInput={(e) => setEndDate((e.target as HTMLInputElement).value)} />
        </div>
        <fieldset class={errors['end-outcome'] ? 'has-error' : undefined}
          aria-describedby={errors['end-outcome'] ? 'end-outcome-error' : undefined}>
          <legend>{t('end.outcome')}</legend>
          {errors['end-outcome'] && <p id="end-outcome-error" class="field-error">{errors['end-outcome']}</p>}
          <div class="radios">
            {outcomes.map((o) => (
              <label key={o} class="check">
                <input type="radio" name="end-outcome" id={`end-outcome-${o}`} value={o} checked={outcome === o}
                  aria-describedby={o === 'PLACEMENT_OUTCOME_INTERRUPTED_HEALTH' ? 'end-health-help' : undefined}
                  onChange={() => setOutcome(o)} />
                {enumLabel(o)}
              </label>
            ))}
          </div>
          <span id="end-health-help" class="help">{t('end.healthHelp')}</span>
        </fieldset>
        {outcome === 'PLACEMENT_OUTCOME_MOVED_UP' && (
          <div class={`field${errors['end-to-step'] ? ' has-error' : ''}`}>
            <label for="end-to-step">{t('end.toStep')}</label>
            <span id="end-to-step-help" class="help">{t('end.toStepHelp', { step: stepLabel(step) })}</span>
            {errors['end-to-step'] && <p id="end-to-step-error" class="field-error">{errors['end-to-step']}</p>}
            <select id="end-to-step" value={toStep} aria-describedby={describedBy('end-to-step', 'end-to-step-help')}
              aria-invalid={errors['end-to-step'] ? true : undefined}
              onChange={(e) => setToStep((e.target as HTMLSelectElement).value)}>
              <option value="">{t('end.chooseStep')}</option>
              {higher.map((s) => <option key={s} value={String(s)}>{stepLabel(s)}</option>)}
            </select>
          </div>
        )}
        <div class="field">
          <label class="check">
            <input type="checkbox" id="end-leaves" checked={leaves} aria-describedby="end-leaves-help"
              onChange={(e) => setLeaves((e.target as HTMLInputElement).checked)} />
            {t('end.leaves')}
          </label>
          <span id="end-leaves-help" class="help">{t('end.leavesHelp')}</span>
        </div>
        {error !== undefined && <ErrorMessage error={error} text={lifeErrorText(error)} />}
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>{t('end.confirm')}</button>
        </div>
      </form>
    </div>
  );
}

interface DirectProps {
  participantId: string;
  openings: OpeningIndex;
  onStarted: (answer: StartPlacementResponse) => void;
}

type StartField = 'direct-opening' | 'direct-start';

export function DirectStart({ participantId, openings, onStarted }: DirectProps) {
  const [openingId, setOpeningId] = useState('');
  const [startDate, setStartDate] = useState(todayIso());
  const [errors, setErrors] = useState<Partial<Record<StartField, string>>>({});
  const [submits, setSubmits] = useState(0);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const free = openings.all.filter((o) => o.status === 'OPENING_STATUS_OPEN'
    && (o.capacity ?? 0) - (o.placesTaken ?? 0) - (o.placesHeld ?? 0) > 0);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSubmits((n) => n + 1);
    setError(undefined);
    const wanted = openingId.trim().toUpperCase();
    const date = dateFromIso(startDate);
    const found: Partial<Record<StartField, string>> = {};
    if (!/^O\d{6}$/.test(wanted)) found['direct-opening'] = t('start.error.opening');
    if (!date) found['direct-start'] = t('start.error.date');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      onStarted(await call<StartPlacementResponse>('PlacementService', 'StartPlacement', {
        participantId, openingId: wanted, startDate: date,
      }));
    } catch (e) {
      const text = lifeErrorText(e);
      if (lifeErrorField(e) === 'start_date' && text) {
        setErrors({ 'direct-start': text });
        setSubmits((n) => n + 1);
      } else {
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  };
  const summary: SummaryError[] = (['direct-opening', 'direct-start'] as StartField[])
    .filter((f) => errors[f]).map((f) => ({ fieldId: f, message: errors[f] ?? '' }));

  return (
    <details class="direct-start">
      <summary>{t('start.directTitle')}</summary>
      <form onSubmit={submit} aria-label={t('start.directTitle')} noValidate>
        <p class="help">{t('start.directHelp')}</p>
        <FormErrorSummary title={t('start.error.summary')} errors={summary} focusKey={submits} />
        <div class={`field${errors['direct-opening'] ? ' has-error' : ''}`}>
          <label for="direct-opening">{t('start.opening')}</label>
          <span id="direct-opening-help" class="help">{t('start.openingHelp')}</span>
          {errors['direct-opening'] && <p id="direct-opening-error" class="field-error">{errors['direct-opening']}</p>}
          <input id="direct-opening" type="text" list="direct-openings" autocomplete="off" value={openingId}
            aria-describedby={`direct-opening-help${errors['direct-opening'] ? ' direct-opening-error' : ''}`}
            aria-invalid={errors['direct-opening'] ? true : undefined}
            onInput={(e) => setOpeningId((e.target as HTMLInputElement).value)} />
          <datalist id="direct-openings">
            {free.map((o) => <option key={o.id} value={o.id}>{openingTitle(o, o.id)}</option>)}
          </datalist>
        </div>
        <div class={`field${errors['direct-start'] ? ' has-error' : ''}`}>
          <label for="direct-start">{t('start.date')}</label>
          <span id="direct-start-help" class="help">{t('start.dateHelp')}</span>
          {errors['direct-start'] && <p id="direct-start-error" class="field-error">{errors['direct-start']}</p>}
          <input id="direct-start" type="date" value={startDate}
            aria-describedby={`direct-start-help${errors['direct-start'] ? ' direct-start-error' : ''}`}
            aria-invalid={errors['direct-start'] ? true : undefined}
            onInput={(e) => setStartDate((e.target as HTMLInputElement).value)} />
        </div>
        {error !== undefined && <ErrorMessage error={error} text={lifeErrorText(error)} />}
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>{t('holds.start')}</button>
        </div>
      </form>
    </details>
  );
}
