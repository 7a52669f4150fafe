// Sweden drawn offline: the outline from Natural Earth (npm world-atlas, cut
// out at build time into sweden.geo.json), projected with d3-geo on SWEREF 99
// TM's central meridian. Places are dots: a home, openings coloured by score
// (five steps, darker is better), excluded ones grey with the rule in their
// <title>. Beside the picture, the same places as a text list, so nothing is
// only visible. Reusable: any page passes its own points.
import type { Feature, Geometry } from 'geojson';
import { geoPath, geoTransverseMercator, type GeoProjection } from 'd3-geo';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '../i18n';

export interface MapPoint {
  id: string;
  latitude: number;
  longitude: number;
  /** What the point is, e.g. "Kitchen assistant, Kalmar". */
  label: string;
  /** Score in [0, 1] for a point within reach; colours the dot. */
  score?: number;
  /** Set for an excluded point: the rule(s), in words. Drawn grey. */
  excludedBecause?: string;
  /** Extra line for the title and list, e.g. the travel estimate. */
  detail?: string;
}

interface Props {
  /** Heading of the map's text list and the picture's accessible name. */
  title: string;
  home?: { latitude: number; longitude: number; label: string };
  points: MapPoint[];
  /** Called when a point is activated (click or Enter). */
  onSelect?: (id: string) => void;
}

const WIDTH = 300;
const HEIGHT = 640;
const REGION = 400;

let outline: Promise<Feature<Geometry>> | undefined;
function loadOutline(): Promise<Feature<Geometry>> {
  if (!outline) {
    outline = fetch('sweden.geo.json', { credentials: 'same-origin' }).then((r) => {
      if (!r.ok) throw new Error(`sweden.geo.json: HTTP ${r.status}`);
      return r.json() as Promise<Feature<Geometry>>;
    });
    outline.catch(() => { outline = undefined; });
  }
  return outline;
}

/** The score bucket 0..4 that picks the dot's colour class. */
export function scoreBucket(score: number): number {
  return Math.max(0, Math.min(4, Math.floor(score * 5)));
}

function describe(point: MapPoint, scoreWord: (s: number) => string): string {
  const parts = [point.label];
  if (point.excludedBecause) parts.push(`${t('map.excluded')}: ${point.excludedBecause}`);
  else if (point.score !== undefined) parts.push(scoreWord(point.score));
  if (point.detail) parts.push(point.detail);
  return parts.join(' — ');
}

export function SwedenMap({ title, home, points, onSelect }: Props) {
  const [shape, setShape] = useState<Feature<Geometry> | undefined>();
  const [failed, setFailed] = useState(false);
  const [focused, setFocused] = useState<MapPoint | undefined>();
  const [view, setView] = useState<'region' | 'country'>('region');

  useEffect(() => {
    let live = true;
    loadOutline().then((f) => { if (live) setShape(f); }, () => { if (live) setFailed(true); });
    return () => { live = false; };
  }, []);

  // The region view fits the home and the points (at least ~40 km across);
  // the country view fits Sweden.
  const places = useMemo(() => {
    const coordinates: [number, number][] = points.map((p) => [p.longitude, p.latitude]);
    if (home) {
      coordinates.push([home.longitude, home.latitude]);
      coordinates.push([home.longitude - 0.12, home.latitude - 0.06], [home.longitude + 0.12, home.latitude + 0.06]);
    }
    return coordinates;
  }, [points, home]);
  const width = view === 'region' ? REGION : WIDTH;
  const height = view === 'region' ? REGION : HEIGHT;
  const projection: GeoProjection | undefined = useMemo(() => {
    if (!shape) return undefined;
    const base = geoTransverseMercator().rotate([-15, 0]);
    if (view === 'region' && places.length > 0) {
      return base.fitExtent([[20, 20], [REGION - 20, REGION - 20]],
        { type: 'Feature', properties: {}, geometry: { type: 'MultiPoint', coordinates: places } });
    }
    return base.fitExtent([[8, 8], [WIDTH - 8, HEIGHT - 8]], shape);
  }, [shape, view, places]);
  const outlinePath = useMemo(
    () => (projection && shape ? geoPath(projection)(shape) ?? '' : ''), [projection, shape]);

  const scoreWord = (s: number) => t('map.score', { score: Math.round(s * 100) });
  const within = points.filter((p) => !p.excludedBecause);
  const excluded = points.filter((p) => p.excludedBecause);
  // Excluded dots underneath, best scores on top.
  const drawn = [...excluded, ...within.sort((a, b) => (a.score ?? 0) - (b.score ?? 0))];

  const activate = (p: MapPoint) => (event: Event) => {
    event.preventDefault();
    onSelect?.(p.id);
  };

  return (
    <div class="map-wrap">
      <div class="map-view" role="group" aria-label={t('map.view')}>
        <button type="button" aria-pressed={view === 'region'} onClick={() => setView('region')}>{t('map.region')}</button>
        <button type="button" aria-pressed={view === 'country'} onClick={() => setView('country')}>{t('map.country')}</button>
      </div>
      <figure class="map">
        {projection ? (
          <svg viewBox={`0 0 ${width} ${height}`} role="group" aria-label={title} class={`map-${view}`}>
            <path class="land" d={outlinePath} aria-hidden="true" />
            {drawn.map((p) => {
              const xy = projection([p.longitude, p.latitude]);
              if (!xy) return null;
              const text = describe(p, scoreWord);
              const cls = p.excludedBecause ? 'opening excluded' : `opening score-${scoreBucket(p.score ?? 0)}`;
              return (
                <a key={p.id} href="#" role="button" aria-label={text} class="map-point"
                  onClick={activate(p)}
                  onKeyDown={(event) => { if (event.key === ' ') activate(p)(event); }}
                  onFocus={() => setFocused(p)} onBlur={() => setFocused(undefined)}
                  onMouseEnter={() => setFocused(p)} onMouseLeave={() => setFocused(undefined)}>
                  <circle class={cls} cx={xy[0]} cy={xy[1]} r={(p.excludedBecause ? 4 : 5.5) * (view === 'region' ? 1.3 : 1)}>
                    <title>{text}</title>
                  </circle>
                </a>
              );
            })}
            {home && (() => {
              const xy = projection([home.longitude, home.latitude]);
              return xy ? (
                <g aria-hidden="true">
                  <rect class="home" x={xy[0] - 6} y={xy[1] - 6} width="12" height="12" transform={`rotate(45 ${xy[0]} ${xy[1]})`}>
                    <title>{home.label}</title>
                  </rect>
                </g>
              ) : null;
            })()}
          </svg>
        ) : failed ? (
          <p class="help">{t('map.unavailable')}</p>
        ) : (
          <p class="loading" role="status">{t('app.loading')}</p>
        )}
        <figcaption>
          <p class="map-focus" aria-live="polite">{focused ? describe(focused, scoreWord) : t('map.hint')}</p>
          <ul class="legend">
            <li><svg viewBox="0 0 10 10" aria-hidden="true"><rect class="home" x="1" y="1" width="8" height="8" /></svg>{t('map.legendHome')}</li>
            <li><svg viewBox="0 0 10 10" aria-hidden="true"><circle class="opening score-4" cx="5" cy="5" r="4" /></svg>{t('map.legendHigh')}</li>
            <li><svg viewBox="0 0 10 10" aria-hidden="true"><circle class="opening score-1" cx="5" cy="5" r="4" /></svg>{t('map.legendLow')}</li>
            <li><svg viewBox="0 0 10 10" aria-hidden="true"><circle class="opening excluded" cx="5" cy="5" r="4" /></svg>{t('map.legendExcluded')}</li>
          </ul>
        </figcaption>
      </figure>
      <details class="map-list">
        <summary>{t('map.asList', { title })}</summary>
        {home && <p>{t('map.home')}: {home.label}</p>}
        <p>{t('map.withinReach', { count: within.length })}</p>
        {within.length > 0 && (
          <ul>{within.map((p) => <li key={p.id}>{describe(p, scoreWord)}</li>)}</ul>
        )}
        {excluded.length > 0 && (
          <>
            <p>{t('map.excludedCount', { count: excluded.length })}</p>
            <ul>{excluded.map((p) => <li key={p.id}>{describe(p, scoreWord)}</li>)}</ul>
          </>
        )}
      </details>
    </div>
  );
}
