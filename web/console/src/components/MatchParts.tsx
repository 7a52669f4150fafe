// The parts of a match the person who decides must see: a bar per score
// component, every reason (negative ones too), every hard rule that excludes
// the pair, and the travel estimate. Used by suggestions, "why not" and the
// proposal inbox, and by other roles' candidate lists.
import { Fragment } from 'preact';
import { enumLabel } from '../strings/enums';
import { formatNumber, localized, t } from '../i18n';
import type { ComponentScore, Exclusion, Reason, TravelEstimate } from '../types';

function percent(value: number | undefined): string {
  return `${formatNumber(Math.round((value ?? 0) * 100))} %`;
}

/** One bar per score component: value 0..1 drawn as a bar, weight beside it. */
export function ScoreBars({ components }: { components: ComponentScore[] | undefined }) {
  const list = components ?? [];
  if (list.length === 0) return null;
  return (
    <dl class="bars">
      {list.map((c) => {
        const value = Math.max(0, Math.min(1, c.value ?? 0));
        const name = enumLabel(c.component);
        return (
          <Fragment key={c.component}>
            <dt>{name}</dt>
            <dd class="bar">
              <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect class="track" x="0" y="0" width="100" height="10" />
                <rect class="fill" x="0" y="0" width={value * 100} height="10" />
              </svg>
            </dd>
            <dd class="value">
              {t('match.componentValue', { value: percent(c.value), weight: percent(c.weight) })}
            </dd>
          </Fragment>
        );
      })}
    </dl>
  );
}

function effectClass(effect: string | undefined): string {
  if (effect === 'REASON_EFFECT_POSITIVE') return 'positive';
  if (effect === 'REASON_EFFECT_NEGATIVE') return 'negative';
  return 'neutral';
}

/** Every reason, in the server's order (most influential first). */
export function ReasonList({ reasons }: { reasons: Reason[] | undefined }) {
  const list = reasons ?? [];
  if (list.length === 0) return <p class="help">{t('match.noReasons')}</p>;
  return (
    <ul class="reasons">
      {list.map((r, i) => (
        <li key={i} class={effectClass(r.effect)}>
          <span class="visually-hidden">{enumLabel(r.effect ?? 'REASON_EFFECT_UNSPECIFIED')}: </span>
          {localized(r.text)}
          {r.component && r.component !== 'SCORE_COMPONENT_UNSPECIFIED' && (
            <span class="help"> ({enumLabel(r.component)})</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The hard rules that exclude a pair: the rule in plain words, then the values involved. */
export function ExclusionList({ exclusions }: { exclusions: Exclusion[] | undefined }) {
  const list = exclusions ?? [];
  if (list.length === 0) return null;
  return (
    <ul class="exclusions">
      {list.map((x, i) => (
        <li key={i}>
          <span class="rule">{enumLabel(x.rule ?? 'HARD_RULE_UNSPECIFIED')}</span>
          {localized(x.text)}
        </li>
      ))}
    </ul>
  );
}

/** "32 min by bicycle (8.1 km as the crow flies)". */
export function travelText(travel: TravelEstimate | undefined): string {
  if (!travel) return '';
  return t('match.travel', {
    minutes: formatNumber(travel.minutes ?? 0),
    mode: enumLabel(travel.mode).toLowerCase(),
    km: formatNumber(travel.distanceKm ?? 0, 1),
  });
}

/** The score as a percentage. */
export function scoreText(score: number | undefined): string {
  return percent(score);
}
