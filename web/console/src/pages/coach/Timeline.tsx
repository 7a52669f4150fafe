// The participant's timeline (PlacementService.GetTimeline) as a list in
// date order, oldest first: each event as a sentence, the day, who did it,
// and what it led to (the outcome, the new step, a rejection's reason).
import { formatDay, isoFromDate } from '../../dates';
import { hasText, t } from '../../i18n';
import type { OpeningIndex } from '../../openings';
import { enumLabel, stepLabel } from '../../strings/enums';
import type { TimelineEvent } from '../../types';
import { openingName } from './Placement';

/** The event as sentences, e.g. "Placeringen startade: Kök (O000017). Från en reservation." */
export function eventText(e: TimelineEvent, openings: OpeningIndex): string {
  const kind = (e.kind ?? 'TIMELINE_EVENT_KIND_UNSPECIFIED').replace('TIMELINE_EVENT_KIND_', '');
  const opening = e.openingId ? openingName(openings, e.openingId) : '';
  const parts: string[] = [];
  switch (e.kind) {
    case 'TIMELINE_EVENT_KIND_STEP_CHANGED': {
      parts.push(e.fromStep === undefined
        ? t('timeline.STEP_SET', { to: stepLabel(e.toStep) })
        : t('timeline.STEP_CHANGED', { from: stepLabel(e.fromStep), to: stepLabel(e.toStep) }));
      const reason = `timeline.reason.${e.note ?? ''}`;
      if (e.note && hasText(reason)) parts.push(t(reason));
      break;
    }
    case 'TIMELINE_EVENT_KIND_PLACEMENT_STARTED': {
      parts.push(t('timeline.PLACEMENT_STARTED', { opening }));
      const source = `timeline.source.${(e.note ?? '').split(' ')[0]}`;
      if (e.note && hasText(source)) parts.push(t(source));
      break;
    }
    case 'TIMELINE_EVENT_KIND_PLACEMENT_ENDED':
      parts.push(t('timeline.PLACEMENT_ENDED', { opening, outcome: enumLabel(e.outcome ?? 'PLACEMENT_OUTCOME_UNSPECIFIED') }));
      if (e.toStep !== undefined) parts.push(t('timeline.movedTo', { step: stepLabel(e.toStep) }));
      if (e.note === 'left_programme') parts.push(t('timeline.leftProgramme'));
      break;
    case 'TIMELINE_EVENT_KIND_PROPOSAL_REJECTED':
      parts.push(t('timeline.PROPOSAL_REJECTED', { opening }));
      if (e.note) parts.push(t('timeline.rejectedBecause', { note: e.note }));
      break;
    default:
      parts.push(hasText(`timeline.${kind}`) ? t(`timeline.${kind}`, { opening }) : t('timeline.UNSPECIFIED'));
  }
  return parts.join(' ');
}

export function Timeline({ events, openings }: { events: TimelineEvent[]; openings: OpeningIndex }) {
  return (
    <section class="panel" aria-labelledby="timeline-heading" data-testid="timeline">
      <h2 id="timeline-heading" tabIndex={-1}>{t('timeline.title')}</h2>
      <p class="help">{t('timeline.intro')}</p>
      {events.length === 0 ? <p>{t('timeline.none')}</p> : (
        <ol class="timeline">
          {events.map((e, i) => (
            <li key={`${e.kind}-${e.reference}-${i}`} data-kind={e.kind} data-reference={e.reference}>
              <time dateTime={isoFromDate(e.date) || undefined}>
                {formatDay(e.date)}
              </time>{' '}
              <span class="timeline-text">{eventText(e, openings)}</span>{' '}
              <span class="help">{e.actor ? t('timeline.by', { actor: e.actor }) : t('timeline.byServer')}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
