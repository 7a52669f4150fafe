// An opening's placements as counts only
// (PlacementService.GetOpeningPlacementCounts): running, held, ended and
// how they ended. Never who, and every interruption is one count whatever
// its reason (the server already folds them together).
import { useEffect, useState } from 'preact/hooks';
import { call } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { formatNumber, t } from '../../i18n';
import '../../strings/placement-counts';
import type { OpeningPlacementCounts } from '../../types';

const kRows: [keyof OpeningPlacementCounts, string, boolean][] = [
  ['current', 'counts.current', false],
  ['placesHeld', 'counts.held', false],
  ['ended', 'counts.ended', false],
  ['completed', 'counts.completed', true],
  ['movedUp', 'counts.movedUp', true],
  ['unsubsidisedWork', 'counts.unsubsidisedWork', true],
  ['subsidisedWork', 'counts.subsidisedWork', true],
  ['studies', 'counts.studies', true],
  ['interrupted', 'counts.interrupted', true],
];

/** `version` changes when the opening changed, so the counts are asked for again. */
export function PlacementCounts({ openingId, version = 0 }: { openingId: string; version?: number }) {
  const [counts, setCounts] = useState<OpeningPlacementCounts | undefined>();
  const [error, setError] = useState<unknown>();
  const load = () => {
    setError(undefined);
    call<OpeningPlacementCounts>('PlacementService', 'GetOpeningPlacementCounts', { openingId }).then(setCounts, setError);
  };
  useEffect(load, [openingId, version]);

  return (
    <section class="placement-counts" aria-labelledby="counts-heading" data-testid="placement-counts">
      <h2 id="counts-heading">{t('counts.title')}</h2>
      <p class="help">{t('counts.intro')}</p>
      {error !== undefined && <ErrorMessage error={error} onRetry={load} />}
      {!counts && error === undefined && <Loading />}
      {counts && (
        <table class="data-table compact">
          <caption class="visually-hidden">{t('counts.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('counts.colWhat')}</th>
              <th scope="col">{t('counts.colCount')}</th>
            </tr>
          </thead>
          <tbody>
            {kRows.map(([field, key, part]) => (
              <tr key={field} data-count={field} class={part ? 'sub-row' : undefined}>
                <th scope="row">{t(key)}</th>
                <td>{formatNumber(Number(counts[field] ?? 0))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {counts && <p class="help">{t('counts.note')}</p>}
    </section>
  );
}
