// The employer contact's start page: the openings, filtered by status and
// municipality (EmployerService.ListOpenings), each with links to change it
// and to its candidates.

import { useEffect, useState } from 'preact/hooks';
import { call } from '../../api';
import { formatNumber, localized, t } from '../../i18n';
import { href } from '../../router';
import { enumLabel } from '../../strings/enums';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Page } from '../../components/Page';
import { codeLabel, municipalitiesByName, usePublicCodes } from '../../components/public-codes';
import type { Opening } from '../../types';
import { kOpeningStatuses } from './opening-model';

interface ListOpeningsResponse {
  openings?: Opening[];
  nextPageToken?: string;
}

const kDefaultStatuses = ['OPENING_STATUS_DRAFT', 'OPENING_STATUS_OPEN', 'OPENING_STATUS_PAUSED'];

export function OpeningsPage() {
  const { codes, error: codesError, retry } = usePublicCodes();
  // The filter as edited, and the filter last applied (what the list shows).
  const [statuses, setStatuses] = useState<string[]>(kDefaultStatuses);
  const [municipality, setMunicipality] = useState('');
  const [applied, setApplied] = useState({ statuses: kDefaultStatuses, municipality: '' });
  const [openings, setOpenings] = useState<Opening[] | undefined>();
  const [nextToken, setNextToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const fetchPage = async (token: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const response = await call<ListOpeningsResponse>('EmployerService', 'ListOpenings', {
        statuses: applied.statuses,
        municipalityCodes: applied.municipality ? [applied.municipality] : [],
        page: { pageSize: 50, pageToken: token },
      });
      setOpenings((before) => [...(token && before ? before : []), ...(response.openings ?? [])]);
      setNextToken(response.nextPageToken ?? '');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void fetchPage('');
  }, [applied]);

  const toggleStatus = (status: string, on: boolean) =>
    setStatuses((s) => (on ? [...s, status] : s.filter((x) => x !== status)));

  return (
    <Page
      title={t('employer.openings.title')}
      actions={<a class="button primary" href={href('employer', 'new')}>{t('employer.openings.newButton')}</a>}
    >
      <p class="lead">{t('employer.openings.lead')}</p>
      <form
        class="filters"
        aria-label={t('employer.openings.filter')}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ statuses, municipality });
        }}
      >
        <fieldset class="inline-checkboxes">
          <legend>{t('employer.openings.filterStatus')}</legend>
          {kOpeningStatuses.map((s) => (
            <label key={s} class="check">
              <input
                type="checkbox"
                name="status"
                value={s}
                checked={statuses.includes(s)}
                onChange={(e) => toggleStatus(s, (e.target as HTMLInputElement).checked)}
              />
              {enumLabel(s)}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="openings-municipality">{t('employer.openings.filterMunicipality')}</label>
          <select
            id="openings-municipality"
            value={municipality}
            onChange={(e) => setMunicipality((e.target as HTMLSelectElement).value)}
          >
            <option value="">{t('employer.openings.allMunicipalities')}</option>
            {codes &&
              municipalitiesByName(codes).map((m) => (
                <option key={m.code} value={m.code}>{localized(m.label)}</option>
              ))}
          </select>
        </div>
        <button type="submit">{t('employer.openings.apply')}</button>
      </form>

      {codesError !== undefined && <ErrorMessage error={codesError} onRetry={retry} />}
      {error !== undefined && <ErrorMessage error={error} onRetry={() => void fetchPage('')} />}
      {openings === undefined && error === undefined && <Loading />}
      {openings !== undefined && (
        <>
          <p role="status" class="result-count">
            {t('employer.openings.count', { n: formatNumber(openings.length) })}
          </p>
          {openings.length === 0 ? (
            <p>{t('employer.openings.none')}</p>
          ) : (
            <div class="table-wrap">
              <table class="data-table" data-testid="openings-table">
                <caption class="visually-hidden">{t('employer.openings.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('employer.openings.colTitle')}</th>
                    <th scope="col">{t('employer.openings.colOrganisation')}</th>
                    <th scope="col">{t('employer.openings.colKind')}</th>
                    <th scope="col">{t('employer.openings.colMunicipality')}</th>
                    <th scope="col">{t('employer.openings.colStatus')}</th>
                    <th scope="col">{t('employer.openings.colPlaces')}</th>
                    <th scope="col">{t('employer.openings.colActions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {openings.map((o) => (
                    <tr key={o.id} data-opening-id={o.id}>
                      <th scope="row">
                        <a href={href('employer', 'opening', o.id ?? '')}>{o.title}</a>
                      </th>
                      <td>{o.organisationName}</td>
                      <td>{enumLabel(o.kind)}</td>
                      <td>{codeLabel(codes, 'municipality', o.location?.municipalityCode)}</td>
                      <td>{enumLabel(o.status)}</td>
                      <td>
                        {t('employer.openings.places', {
                          taken: formatNumber(o.placesTaken ?? 0),
                          capacity: formatNumber(o.capacity ?? 0),
                        })}
                      </td>
                      <td>
                        {o.status !== 'OPENING_STATUS_CLOSED' && (
                          <a
                            href={href('employer', 'opening', o.id ?? '', 'candidates')}
                            aria-label={t('employer.openings.candidates', { title: o.title ?? '' })}
                          >
                            {t('employer.openings.candidatesShort')}
                          </a>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {nextToken && (
            <button type="button" disabled={busy} onClick={() => void fetchPage(nextToken)}>
              {t('employer.openings.more')}
            </button>
          )}
        </>
      )}
    </Page>
  );
}
