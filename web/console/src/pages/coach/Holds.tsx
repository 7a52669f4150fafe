// Holding a place from a suggestion (PlacementService.HoldPlace) for a
// number of working days, and the participant's live holds: when each
// expires, start the placement from it with a start date, or release it.
import { useRef, useState } from 'preact/hooks';
import { call } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { dateFromIso, formatUntil, todayIso } from '../../dates';
import { formatInstant, t } from '../../i18n';
import type { OpeningIndex } from '../../openings';
import type { Hold, StartPlacementResponse } from '../../types';
import { lifeErrorField, lifeErrorText } from './life-errors';
import { openingTitle } from './OpeningMatch';

/** 0 asks for the server's default. */
const DAYS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

interface HoldButtonProps {
  participantId: string;
  openingId: string;
  openingName: string;
  onHeld: (hold: Hold) => void;
}

/** "Reservera plats …" on a suggestion: opens a small form with the number of working days. */
export function HoldButton({ participantId, openingId, openingName, onHeld }: HoldButtonProps) {
  const [open, setOpen] = useState(false);
  const [days, setDays] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const select = useRef<HTMLSelectElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const base = `hold-${openingId}`;

  const hold = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const held = await call<Hold>('PlacementService', 'HoldPlace', { participantId, openingId, workingDays: days });
      setOpen(false);
      onHeld(held);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <button type="button" class="hold-button" ref={opener} aria-describedby={`${base}-name`} onClick={() => {
        setOpen(true);
        setError(undefined);
        requestAnimationFrame(() => select.current?.focus());
      }}>
        {t('hold.action')}
        <span id={`${base}-name`} class="visually-hidden">{openingName}</span>
      </button>
    );
  }
  return (
    <form class="hold-form" aria-label={t('hold.formLabel', { opening: openingName })} onSubmit={hold}>
      <div class="field">
        <label for={`${base}-days`}>{t('hold.days')}</label>
        <select id={`${base}-days`} ref={select} value={String(days)} aria-describedby={`${base}-help`}
          onChange={(e) => setDays(Number((e.target as HTMLSelectElement).value))}>
          {DAYS.map((d) => (
            <option key={d} value={String(d)}>
              {d === 0 ? t('hold.daysDefault') : d === 1 ? t('hold.daysOne') : t('hold.daysN', { n: d })}
            </option>
          ))}
        </select>
        <span id={`${base}-help`} class="help">{t('hold.daysHelp')}</span>
      </div>
      {error !== undefined && <ErrorMessage error={error} text={lifeErrorText(error)} />}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>{t('hold.confirm')}</button>
        <button type="button" disabled={busy} onClick={() => {
          setOpen(false);
          requestAnimationFrame(() => opener.current?.focus());
        }}>{t('hold.cancel')}</button>
      </div>
    </form>
  );
}

interface HoldItemProps {
  hold: Hold;
  openings: OpeningIndex;
  /** The participant may start a placement (ACTIVE). */
  canStart: boolean;
  onReleased: (hold: Hold) => void;
  onStarted: (answer: StartPlacementResponse) => void;
}

function HoldItem({ hold, openings, canStart, onReleased, onStarted }: HoldItemProps) {
  const [startDate, setStartDate] = useState(todayIso());
  const [dateError, setDateError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const id = hold.holdId ?? '';
  const name = `${openingTitle(openings.get(hold.openingId), hold.openingId)} (${hold.openingId ?? ''})`;

  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await what();
    } catch (e) {
      setError(e);
      if (lifeErrorField(e) === 'start_date') setDateError(lifeErrorText(e));
    } finally {
      setBusy(false);
    }
  };
  const start = (event: Event) => {
    event.preventDefault();
    const date = dateFromIso(startDate);
    if (!date) {
      setDateError(t('start.error.date'));
      document.getElementById(`${id}-start`)?.focus();
      return;
    }
    setDateError(undefined);
    void act(async () => onStarted(await call<StartPlacementResponse>('PlacementService', 'StartPlacement', {
      participantId: hold.participantId, holdId: id, startDate: date,
    })));
  };
  const release = () => act(async () => onReleased(await call<Hold>('PlacementService', 'ReleaseHold', { holdId: id })));

  return (
    <li class="hold" data-hold-id={id}>
      <h4>{name}</h4>
      <p><strong>{t('holds.until', { when: formatUntil(hold.expiresAt) })}</strong></p>
      <p class="help">{t('holds.placedBy', { when: formatInstant(hold.createdAt), coach: hold.coachId ?? '' })}</p>
      {canStart && (
        <form class="inline-form" aria-label={t('holds.start')} onSubmit={start}>
          <div class="field">
            <label for={`${id}-start`}>{t('start.date')}</label>
            <input id={`${id}-start`} type="date" value={startDate}
              aria-describedby={`${id}-start-help${dateError ? ` ${id}-start-error` : ''}`}
              aria-invalid={dateError ? true : undefined}
              onInput={(e) => { setStartDate((e.target as HTMLInputElement).value); setDateError(undefined); }} />
            <span id={`${id}-start-help`} class="help">{t('start.dateHelp')}</span>
            {dateError && <p id={`${id}-start-error`} class="error-text">{dateError}</p>}
          </div>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={busy}>{t('holds.start')}</button>
            <button type="button" disabled={busy} onClick={() => void release()}>{t('holds.release')}</button>
          </div>
        </form>
      )}
      {!canStart && (
        <div class="form-actions">
          <button type="button" disabled={busy} onClick={() => void release()}>{t('holds.release')}</button>
        </div>
      )}
      {error !== undefined && !dateError && <ErrorMessage error={error} text={lifeErrorText(error)} />}
    </li>
  );
}

interface HoldsProps {
  holds: Hold[];
  openings: OpeningIndex;
  canStart: boolean;
  onReleased: (hold: Hold) => void;
  onStarted: (answer: StartPlacementResponse) => void;
}

export function HoldsList({ holds, openings, canStart, onReleased, onStarted }: HoldsProps) {
  return (
    <div class="holds" data-testid="holds">
      <h3>{t('holds.title')}</h3>
      {holds.length === 0 ? <p>{t('holds.none')}</p> : (
        <ul class="plain-list">
          {holds.map((h) => (
            <HoldItem key={h.holdId} hold={h} openings={openings} canStart={canStart}
              onReleased={onReleased} onStarted={onStarted} />
          ))}
        </ul>
      )}
    </div>
  );
}

