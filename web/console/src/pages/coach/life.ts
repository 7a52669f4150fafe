// A participant's placement life as the page reads it: the live holds
// (ListHolds) and the timeline (GetTimeline), from which the running
// placement follows (started and not ended). One load for both.
import { call } from '../../api';
import type { Hold, TimelineEvent } from '../../types';

export interface Life {
  holds: Hold[];
  timeline: TimelineEvent[];
}

/** A placement that has started and not ended, as the timeline tells it. */
export interface RunningPlacement {
  placementId: string;
  openingId: string;
  start: TimelineEvent;
}

export async function loadLife(participantId: string): Promise<Life> {
  const [holds, timeline] = await Promise.all([
    call<{ holds?: Hold[] }>('PlacementService', 'ListHolds', { participantId }),
    call<{ events?: TimelineEvent[] }>('PlacementService', 'GetTimeline', { participantId }),
  ]);
  return { holds: holds.holds ?? [], timeline: timeline.events ?? [] };
}

/** The running placement, if any: the last one started that has no end. */
export function runningPlacement(timeline: TimelineEvent[]): RunningPlacement | undefined {
  const ended = new Set(timeline.filter((e) => e.kind === 'TIMELINE_EVENT_KIND_PLACEMENT_ENDED')
    .map((e) => e.reference));
  const started = timeline.filter((e) => e.kind === 'TIMELINE_EVENT_KIND_PLACEMENT_STARTED'
    && e.reference && !ended.has(e.reference));
  const last = started[started.length - 1];
  return last ? { placementId: last.reference ?? '', openingId: last.openingId ?? '', start: last } : undefined;
}
