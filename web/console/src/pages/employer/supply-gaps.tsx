// Where places are missing (EmployerService.GetSupplyGaps): per
// municipality, how many wishes for an occupation field no reachable open
// opening meets, and the free places there; then, for one municipality, the
// fields and the supports that no reachable opening offers (support_gaps),
// so that an employer sees which supports to offer. Counts from 1 to 4
// arrive withheld and are drawn as withheld.
//
// The server leaves need_gaps empty for employer-contact callers (a support
// need may be health data); this page reads only support_gaps, which speak
// of what a workplace offers, and labels them from the supports table.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { call } from '../../api';
import { formatNumber, t } from '../../i18n';
import { BarChart, type BarDatum } from '../../components/bar-chart';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Page } from '../../components/Page';
import { codeLabel, usePublicCodes } from '../../components/public-codes';

interface FieldGap {
  occupationField?: string;
  participants?: number;
  suppressed?: boolean;
}

interface SupportGap {
  supportCode?: string;
  participants?: number;
  suppressed?: boolean;
}

interface MunicipalityGaps {
  municipalityCode?: string;
  freePlaces?: number;
  fieldGaps?: FieldGap[];
  supportGaps?: SupportGap[];
}

interface GetSupplyGapsResponse {
  municipalities?: MunicipalityGaps[];
  suppressionThreshold?: number;
  snapshotVersion?: string;
}

const kTopMunicipalities = 15;

function wishes(m: MunicipalityGaps): number {
  return (m.fieldGaps ?? []).reduce((sum, g) => sum + (g.suppressed ? 0 : g.participants ?? 0), 0);
}

export function SupplyGapsPage() {
  const { codes, error: codesError, retry } = usePublicCodes();
  const [gaps, setGaps] = useState<GetSupplyGapsResponse | undefined>();
  const [error, setError] = useState<unknown>();
  const [chosen, setChosen] = useState('');

  const load = () => {
    setError(undefined);
    call<GetSupplyGapsResponse>('EmployerService', 'GetSupplyGaps', {}).then((g) => {
      setGaps(g);
      const ranked = [...(g.municipalities ?? [])].sort((a, b) => wishes(b) - wishes(a));
      setChosen((c) => c || ranked[0]?.municipalityCode || '');
    }, setError);
  };
  useEffect(load, []);

  const ranked = useMemo(
    () =>
      [...(gaps?.municipalities ?? [])]
        .filter((m) => wishes(m) > 0)
        .sort((a, b) => wishes(b) - wishes(a) || (a.municipalityCode ?? '').localeCompare(b.municipalityCode ?? '')),
    [gaps],
  );

  const overview: BarDatum[] = ranked.slice(0, kTopMunicipalities).map((m) => ({
    key: m.municipalityCode ?? '',
    label: codeLabel(codes, 'municipality', m.municipalityCode),
    value: wishes(m),
    valueText: t('employer.gaps.wishes', {
      n: formatNumber(wishes(m)),
      free: formatNumber(m.freePlaces ?? 0),
    }),
  }));

  const detail = (gaps?.municipalities ?? []).find((m) => m.municipalityCode === chosen);
  const detailName = codeLabel(codes, 'municipality', chosen);
  const detailRows: BarDatum[] = (detail?.fieldGaps ?? []).map((g) => ({
    key: g.occupationField ?? '',
    label: codeLabel(codes, 'field', g.occupationField),
    value: g.suppressed ? null : g.participants ?? 0,
    valueText: g.suppressed
      ? t('employer.gaps.withheld')
      : t('employer.gaps.participants', { n: formatNumber(g.participants ?? 0) }),
  }));

  const supportRows: BarDatum[] = (detail?.supportGaps ?? []).map((g) => ({
    key: g.supportCode ?? '',
    label: codeLabel(codes, 'support', g.supportCode),
    value: g.suppressed ? null : g.participants ?? 0,
    valueText: g.suppressed
      ? t('employer.gaps.withheld')
      : t('employer.gaps.participants', { n: formatNumber(g.participants ?? 0) }),
  }));

  return (
    <Page title={t('employer.gaps.title')}>
      <p class="lead">{t('employer.gaps.lead')}</p>
      {codesError !== undefined && <ErrorMessage error={codesError} onRetry={retry} />}
      {error !== undefined && <ErrorMessage error={error} onRetry={load} />}
      {(!gaps || !codes) && error === undefined && codesError === undefined && <Loading />}
      {gaps && codes && (
        <>
          {ranked.length === 0 ? (
            <p>{t('employer.gaps.none')}</p>
          ) : (
            <BarChart
              testId="gaps-overview"
              title={t('employer.gaps.overviewTitle')}
              description={t('employer.gaps.overviewDesc', { n: Math.min(kTopMunicipalities, ranked.length) })}
              rows={overview}
              labelHeading={t('employer.gaps.colMunicipality')}
              valueHeading={t('employer.gaps.colWishes')}
              tableSummary={t('employer.gaps.table')}
            />
          )}
          <div class="field">
            <label for="gaps-municipality">{t('employer.gaps.detailMunicipality')}</label>
            <select id="gaps-municipality" value={chosen}
              onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
              {[...(gaps.municipalities ?? [])]
                .sort((a, b) => codeLabel(codes, 'municipality', a.municipalityCode)
                  .localeCompare(codeLabel(codes, 'municipality', b.municipalityCode), 'sv'))
                .map((m) => (
                  <option key={m.municipalityCode} value={m.municipalityCode}>
                    {codeLabel(codes, 'municipality', m.municipalityCode)}
                  </option>
                ))}
            </select>
          </div>
          {detail && (detail.fieldGaps ?? []).length === 0 && (
            <p>{t('employer.gaps.noneInMunicipality')}</p>
          )}
          {detail && detailRows.length > 0 && (
            <BarChart
              testId="gaps-detail"
              title={t('employer.gaps.detailTitle', { municipality: detailName })}
              description={t('employer.gaps.detailDesc', {
                municipality: detailName,
                free: formatNumber(detail.freePlaces ?? 0),
              })}
              rows={detailRows}
              labelHeading={t('employer.gaps.colField')}
              valueHeading={t('employer.gaps.colParticipants')}
              withheldText={t('employer.gaps.withheld')}
              tableSummary={t('employer.gaps.table')}
            />
          )}
          {detail && supportRows.length === 0 && (
            <p>{t('employer.gaps.noSupportsInMunicipality')}</p>
          )}
          {detail && supportRows.length > 0 && (
            <BarChart
              testId="gaps-supports"
              title={t('employer.gaps.supportsTitle', { municipality: detailName })}
              description={t('employer.gaps.supportsDesc', { municipality: detailName })}
              rows={supportRows}
              labelHeading={t('employer.gaps.colSupport')}
              valueHeading={t('employer.gaps.colParticipants')}
              withheldText={t('employer.gaps.withheld')}
              tableSummary={t('employer.gaps.table')}
            />
          )}
          <p class="help">{t('employer.gaps.snapshot', { version: gaps.snapshotVersion ?? '' })}</p>
        </>
      )}
    </Page>
  );
}

