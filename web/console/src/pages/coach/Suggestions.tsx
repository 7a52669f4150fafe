// Suggestions for one participant (CoachService.SuggestOpenings) with the
// API's filters, each with every reason, the bars and the travel estimate;
// and the map: home, openings within reach coloured by score, nearby
// excluded ones greyed with the rule (ExplainMatch).
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { call } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { travelText } from '../../components/MatchParts';
import { SwedenMap, type MapPoint } from '../../components/SwedenMap';
import { apiLanguage, formatNumber, lang, localized, t } from '../../i18n';
import type { OpeningIndex } from '../../openings';
import { municipalityName, type Reference } from '../../reference';
import { enumLabel } from '../../strings/enums';
import { OPENING_KINDS, type Match, type MatchFilters, type OpeningKind, type Participant, type ScoreComponent, type SuggestOpeningsResponse } from '../../types';
import { OpeningMatch, openingTitle } from './OpeningMatch';

interface Props {
  participant: Participant;
  reference: Reference;
  openings: OpeningIndex;
  /** Changes after each save, so the suggestions are asked for again. */
  version: number;
  onWhy: (openingId: string) => void;
  /** The first answer, already asked for with the default filters while the page loaded. */
  initial?: Promise<SuggestOpeningsResponse>;
  /** More actions on each suggestion (e.g. holding the place). */
  actions?: (match: Match) => ComponentChildren;
}

/** The request SuggestOpenings gets with the page's default filters. */
export function defaultSuggestRequest(participantId: string): object {
  return {
    participantId, k: DEFAULT_K, language: apiLanguage(),
    filters: { kinds: [], municipalityCodes: [], maxTravelMinutes: 0, includeFullOpenings: false },
  };
}

const MINUTES = [0, 15, 30, 45, 60, 90, 120];
/** The components a coach may weigh for one search, with their request field. */
const WEIGHTS: [ScoreComponent, string][] = [
  ['SCORE_COMPONENT_SKILLS', 'skillsWeight'], ['SCORE_COMPONENT_SUPPORT', 'supportWeight'],
  ['SCORE_COMPONENT_TRAVEL', 'travelWeight'], ['SCORE_COMPONENT_STEP', 'stepWeight'],
  ['SCORE_COMPONENT_PREFERENCE', 'preferenceWeight'],
];
type Weights = Partial<Record<ScoreComponent, number>>;
const SIZES = [5, 10, 20, 50];
const DEFAULT_K = 10;
/** How many of the nearest openings outside the suggestions the map explains. */
const NEARBY_EXPLAINED = 12;
/** Straight-line distance within which an opening counts as nearby on the map. */
const NEARBY_KM = 60;

function distanceKm(a: { latitude?: number; longitude?: number }, b: { latitude?: number; longitude?: number }): number {
  const rad = Math.PI / 180;
  const dLat = ((b.latitude ?? 0) - (a.latitude ?? 0)) * rad;
  const dLon = ((b.longitude ?? 0) - (a.longitude ?? 0)) * rad;
  const h = Math.sin(dLat / 2) ** 2
    + Math.cos((a.latitude ?? 0) * rad) * Math.cos((b.latitude ?? 0) * rad) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(h));
}

export function Suggestions({ participant, reference, openings, version, onWhy, initial, actions }: Props) {
  const [kinds, setKinds] = useState<OpeningKind[]>([]);
  const [municipality, setMunicipality] = useState('');
  const [maxMinutes, setMaxMinutes] = useState(0);
  const [includeFull, setIncludeFull] = useState(false);
  const [k, setK] = useState(DEFAULT_K);
  // Temporary weights (ScoringProfileOverride), 0..10 each; undefined = the active profile.
  const [weights, setWeights] = useState<Weights | undefined>();
  const [weightsError, setWeightsError] = useState(false);
  const [answer, setAnswer] = useState<SuggestOpeningsResponse | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [nearby, setNearby] = useState<Match[]>([]);
  const [rendered, setRendered] = useState(0);
  const request = useRef(0);
  const results = useRef<HTMLDivElement>(null);

  const filters: MatchFilters = useMemo(() => ({
    kinds,
    municipalityCodes: municipality ? [municipality] : [],
    maxTravelMinutes: maxMinutes,
    includeFullOpenings: includeFull,
  }), [kinds, municipality, maxMinutes, includeFull]);

  useEffect(() => {
    const mine = ++request.current;
    setBusy(true);
    setError(undefined);
    const profile = weights ? Object.fromEntries(WEIGHTS.map(([c, field]) => [field, weights[c] ?? 0])) : undefined;
    const answer = mine === 1 && initial ? initial : call<SuggestOpeningsResponse>('CoachService', 'SuggestOpenings', {
      participantId: participant.id, k, filters, language: apiLanguage(), ...(profile ? { profile } : {}),
    });
    answer.then((r) => {
      if (mine !== request.current) return;
      setAnswer(r);
      setRendered(mine);
    }, (e: unknown) => {
      if (mine === request.current) setError(e);
    }).finally(() => {
      if (mine === request.current) setBusy(false);
    });
  }, [participant.id, k, filters, version, lang(), weights]);

  // When the answer is on screen (performance.now()), for the browser tests' timings.
  useEffect(() => {
    if (rendered > 0) results.current?.setAttribute('data-rendered-at', performance.now().toFixed(1));
  }, [rendered]);

  // The map's grey dots: the nearest open openings the answer left out, with why.
  const suggestions = answer?.suggestions ?? [];
  useEffect(() => {
    if (!answer) return;
    const home = participant.home?.point;
    if (!home) return;
    const shown = new Set(suggestions.map((s) => s.openingId));
    const near = openings.all
      .filter((o) => !shown.has(o.id) && o.status === 'OPENING_STATUS_OPEN' && o.location?.point)
      .map((o) => ({ o, d: distanceKm(home, o.location!.point!) }))
      .filter(({ d }) => d <= NEARBY_KM)
      .sort((a, b) => a.d - b.d)
      .slice(0, NEARBY_EXPLAINED);
    let live = true;
    Promise.all(near.map(({ o }) => call<Match>('CoachService', 'ExplainMatch', {
      participantId: participant.id, openingId: o.id, language: apiLanguage(),
    }).catch(() => undefined))).then((matches) => {
      if (live) setNearby(matches.filter((m): m is Match => m !== undefined));
    });
    return () => { live = false; };
  }, [answer, openings]);

  const municipalities = useMemo(() => [...reference.municipalities]
    .map((m) => ({ code: m.code, name: localized(m.label) || m.code }))
    .sort((a, b) => a.name.localeCompare(b.name, 'sv')), [reference]);

  const points: MapPoint[] = useMemo(() => {
    const result: MapPoint[] = [];
    const add = (m: Match, excluded: boolean) => {
      const o = openings.get(m.openingId);
      const point = o?.location?.point;
      if (!o || !point) return;
      result.push({
        id: o.id,
        latitude: point.latitude ?? 0,
        longitude: point.longitude ?? 0,
        label: `${openingTitle(o, o.id)} (${municipalityName(o.location?.municipalityCode, reference)})`,
        score: m.score,
        excludedBecause: excluded
          ? (m.exclusions ?? []).map((x) => enumLabel(x.rule ?? 'HARD_RULE_UNSPECIFIED')).join(' ')
          : undefined,
        detail: travelText(m.travel),
      });
    };
    for (const m of suggestions) add(m, m.eligible === false);
    for (const m of nearby) add(m, m.eligible === false);
    return result;
  }, [suggestions, nearby, openings, reference]);

  const shownWeights: Weights = weights ?? Object.fromEntries(
    (suggestions[0]?.components ?? []).map((c) => [c.component, Math.round((c.weight ?? 0) * 20)])) as Weights;
  const setWeight = (component: ScoreComponent) => (event: Event) => {
    const value = Number((event.target as HTMLInputElement).value);
    const next: Weights = { ...shownWeights, [component]: value };
    if (WEIGHTS.every(([c]) => (next[c] ?? 0) === 0)) {
      setWeightsError(true);
      return;
    }
    setWeightsError(false);
    setWeights(next);
  };
  const toggleKind = (kind: OpeningKind) => (event: Event) => {
    const on = (event.target as HTMLInputElement).checked;
    setKinds(OPENING_KINDS.filter((x) => (x === kind ? on : kinds.includes(x))));
  };

  const home = participant.home?.point;
  return (
    <section class="panel" aria-labelledby="suggestions-heading">
      <h2 id="suggestions-heading" tabIndex={-1}>{t('suggest.title')}</h2>
      <form class="filters" aria-label={t('suggest.filters')} onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>{t('suggest.kinds')}</legend>
          <div class="checks">
            {OPENING_KINDS.map((kind) => (
              <label key={kind} class="check">
                <input type="checkbox" checked={kinds.includes(kind)} onChange={toggleKind(kind)} />
                {enumLabel(kind)}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="field">
          <label for="suggest-municipality">{t('suggest.municipality')}</label>
          <select id="suggest-municipality" value={municipality} onChange={(e) => setMunicipality((e.target as HTMLSelectElement).value)}>
            <option value="">{t('suggest.anyMunicipality')}</option>
            {municipalities.map((m) => <option key={m.code} value={m.code}>{m.name}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="suggest-minutes">{t('suggest.maxMinutes')}</label>
          <select id="suggest-minutes" value={String(maxMinutes)} onChange={(e) => setMaxMinutes(Number((e.target as HTMLSelectElement).value))}>
            {MINUTES.map((m) => <option key={m} value={String(m)}>
              {m === 0 ? t('suggest.ownLimit', { minutes: participant.maxTravelMinutes ?? 0 }) : t('suggest.minutes', { minutes: m })}
            </option>)}
          </select>
        </div>
        <div class="field">
          <label for="suggest-k">{t('suggest.k')}</label>
          <select id="suggest-k" value={String(k)} onChange={(e) => setK(Number((e.target as HTMLSelectElement).value))}>
            {SIZES.map((s) => <option key={s} value={String(s)}>{formatNumber(s)}</option>)}
          </select>
        </div>
        <label class="check">
          <input type="checkbox" checked={includeFull} onChange={(e) => setIncludeFull((e.target as HTMLInputElement).checked)} />
          {t('suggest.includeFull')}
        </label>
        <details class="weights" open={weights !== undefined}>
          <summary>{weights ? t('suggest.weightsOwn') : t('suggest.weights')}</summary>
          <p class="help" id="weights-help">{t('suggest.weightsHelp')}</p>
          <div class="weight-grid">
            {WEIGHTS.map(([c]) => (
              <div class="field" key={c}>
                <label for={`weight-${c}`}>{t('suggest.weightOf', { what: enumLabel(c) })}</label>
                <input id={`weight-${c}`} type="range" min={0} max={10} step={1} value={shownWeights[c] ?? 0}
                  aria-describedby="weights-help" aria-valuetext={t('suggest.weightValue', { value: shownWeights[c] ?? 0 })}
                  onChange={setWeight(c)} />
                <output for={`weight-${c}`}>{formatNumber(shownWeights[c] ?? 0)}</output>
              </div>
            ))}
          </div>
           {weightsError && <p class="error-text" role="alert">{t('suggest.weightsZero')}</p>}
          <button type="button" disabled={weights === undefined} onClick={() => { setWeights(undefined); setWeightsError(false); }}>
            {t('suggest.weightsReset')}
          </button>
        </details>
      </form>

      {error !== undefined && <ErrorMessage error={error} />}
      <p class="count" role="status" aria-live="polite">
        {busy && !answer ? t('app.loading') : answer ? t('suggest.count', {
          shown: formatNumber(suggestions.length),
          eligible: formatNumber(answer.openingsEligible ?? 0),
          considered: formatNumber(answer.openingsConsidered ?? 0),
        }) : ''}
      </p>
      {!answer && busy && <Loading />}
      <div class="two-col">
        <div id="suggestion-results" ref={results} aria-busy={busy} data-rendered={rendered}>
          {answer && suggestions.length === 0 && (
            <p>{participant.status !== 'PARTICIPANT_STATUS_ACTIVE' ? t('suggest.notActive') : t('suggest.none')}</p>
          )}
          <ol class="match-list" aria-label={t('suggest.listLabel')}>
            {suggestions.map((m, i) => (
              <li key={m.openingId}>
                <span class="visually-hidden">{t('suggest.rank', { rank: i + 1 })}</span>
                <OpeningMatch match={m} opening={openings.get(m.openingId)} reference={reference}>
                  <div class="button-row">
                    {actions?.(m)}
                    <button type="button" onClick={() => onWhy(m.openingId ?? '')}>{t('suggest.explain')}</button>
                  </div>
                </OpeningMatch>
              </li>
            ))}
          </ol>
        </div>
        <div>
          <SwedenMap title={t('suggest.mapTitle')} points={points} onSelect={onWhy}
            home={home ? {
              latitude: home.latitude ?? 0, longitude: home.longitude ?? 0,
              label: t('suggest.homeLabel', { id: participant.id, municipality: municipalityName(participant.home?.municipalityCode, reference) }),
            } : undefined} />
        </div>
      </div>
    </section>
  );
}
