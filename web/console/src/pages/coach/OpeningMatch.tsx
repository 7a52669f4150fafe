// One opening as matched to a participant: what the opening is, the score,
// a bar per component, the travel estimate, every reason and every rule
// that excludes it.
import type { ComponentChildren } from 'preact';
import { ExclusionList, ReasonList, ScoreBars, scoreText, travelText } from '../../components/MatchParts';
import { t } from '../../i18n';
import { municipalityName, type Reference } from '../../reference';
import { enumLabel, stepLabel } from '../../strings/enums';
import type { Match, Opening } from '../../types';

interface Props {
  match: Match;
  opening: Opening | undefined;
  reference: Reference;
  /** Heading level of the opening's title. */
  level?: 3 | 4;
  children?: ComponentChildren;
}

export function openingTitle(opening: Opening | undefined, id: string | undefined): string {
  return opening?.title || t('coach.opening.untitled', { id: id ?? '' });
}

export function OpeningMatch({ match, opening, reference, level = 3, children }: Props) {
  const Heading = level === 3 ? 'h3' : 'h4';
  const free = opening
    ? Math.max(0, (opening.capacity ?? 0) - (opening.placesTaken ?? 0) - (opening.placesHeld ?? 0))
    : undefined;
  return (
    <article class="match" aria-label={openingTitle(opening, match.openingId)} data-opening-id={match.openingId}>
      <Heading>{openingTitle(opening, match.openingId)}</Heading>
      <p class="meta">
        {[opening?.organisationName,
          municipalityName(opening?.location?.municipalityCode, reference),
          opening?.kind ? enumLabel(opening.kind) : '',
          opening?.step !== undefined ? stepLabel(opening.step) : '',
          free !== undefined ? t('coach.opening.free', { free, capacity: opening?.capacity ?? 0 }) : '',
          match.openingId].filter(Boolean).join(' · ')}
      </p>
      <p class="score-line">{t('match.score', { score: scoreText(match.score) })}</p>
      <p class="travel">{travelText(match.travel)}</p>
      {match.eligible === false && (
        <>
          <p class="error-text">{t('match.notEligible')}</p>
          <ExclusionList exclusions={match.exclusions} />
        </>
      )}
      <ScoreBars components={match.components} />
      <details class="reason-block" open>
        <summary>{t('match.reasons')} ({(match.reasons ?? []).length})</summary>
        <ReasonList reasons={match.reasons} />
      </details>
      {match.sensitiveReasonsRedacted && <p class="help">{t('match.redacted')}</p>}
      {children}
    </article>
  );
}
