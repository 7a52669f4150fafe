// The server's refusals of holds and placements in plain words. The server
// words its FAILED_PRECONDITION and INVALID_ARGUMENT messages for people who
// read code ("opening O000003: no free place: the last one was just taken
// (...)"); a coach reads what happened and what to do. The message itself
// stays folded away under the sentence (ErrorMessage's details).
import { ApiError } from '../../api';
import { t } from '../../i18n';

/** What the server's message means, in words; undefined when no rule knows it. */
export function lifeErrorText(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const m = error.message;
  if (error.code === 'failed_precondition') {
    if (/no free place: the last one was just taken/.test(m)) return t('life.error.lastPlaceTaken');
    const holds = /already holds a place in (O\d{6})/.exec(m);
    if (holds) return t('life.error.alreadyHolds', { opening: holds[1] });
    if (/^participant \S+: status \w+, not active/.test(m)) return t('life.error.notActive');
    if (/^opening \S+: status \w+, not open/.test(m)) return t('life.error.openingNotOpen');
    if (/^opening \S+ ended on/.test(m)) return t('life.error.openingEnded');
    if (/places_taken \d+.* = capacity \d+/.test(m)) return t('life.error.openingFull');
    if (/^hold \S+ has expired/.test(m)) return t('life.error.holdExpired');
    if (/^hold \S+ was released/.test(m)) return t('life.error.holdReleased');
    if (/^hold \S+ was already started/.test(m)) return t('life.error.holdStarted');
    if (/^hold \S+ is not live/.test(m)) return t('life.error.holdNotLive');
    if (/^placement \S+ already ended/.test(m)) return t('life.error.placementEnded');
  }
  if (error.code === 'invalid_argument') {
    if (/^end_date: .* is in the future/.test(m)) return t('life.error.endInFuture');
    if (/^end_date: .* is before the start/.test(m)) return t('life.error.endBeforeStart');
    if (/^start_date: .* is outside/.test(m)) return t('life.error.startOutOfRange');
    if (/^to_step: .* is not above/.test(m)) return t('life.error.stepNotAbove');
  }
  if (error.code === 'not_found' && /^opening /.test(m)) return t('life.error.noSuchOpening');
  return undefined;
}

/** The form field a refusal is about ('' when none), to tie the error to it. */
export function lifeErrorField(error: unknown): 'end_date' | 'start_date' | 'to_step' | '' {
  if (!(error instanceof ApiError) || error.code !== 'invalid_argument') return '';
  const field = /^(end_date|start_date|to_step):/.exec(error.message);
  return field ? (field[1] as 'end_date' | 'start_date' | 'to_step') : '';
}
