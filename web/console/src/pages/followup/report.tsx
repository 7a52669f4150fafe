// The follow-up report (FollowUpService.GetFollowUpReport) for a period,
// optionally for one municipality and one programme: entries by age band,
// placements by kind, exits by outcome and by the situation six months
// later, each as bars by gender with its table; the share who moved up a
// step and the median days to a first placement, by gender. Counts of 1–4
// read "färre än 5", never as a number or as zero; a row's total withheld
// beside them reads "visas inte".
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { GroupedBarChart, type GroupedRow } from '../../components/grouped-bar-chart';
import { Loading } from '../../components/Loading';
import { Page } from '../../components/Page';
import { codeLabel, municipalitiesByName, usePublicCodes } from '../../components/public-codes';
import { dateFromIso, formatDay } from '../../dates';
import { formatInstant, formatNumber, hasText, t } from '../../i18n';
import { enumLabel } from '../../strings/enums';
import '../../strings/followup';
import {
  FOLLOW_UP_GENDERS, type FollowUpByGender, type FollowUpCell, type FollowUpReport, type FollowUpRow,
} from '../../types';
import { PeriodForm, thisYear, type Period } from './period';

/**
 * A count in words: the number, or "färre än 5" when withheld; a withheld
 * total (withheld when a count in its row is) is "visas inte".
 */
export function cellText(cell: FollowUpCell | undefined, total = false): string {
  if (cell?.withheld) return total ? t('followup.withheldTotal') : t('followup.withheld');
  return formatNumber(cell?.count ?? 0);
}

function rowLabel(table: string, key: string): string {
  switch (table) {
    case 'entries':
      return hasText(`followup.age.${key}`) ? t(`followup.age.${key}`) : t('followup.age.band', { band: key.replace('-', '–') });
    case 'kinds':
      return enumLabel(`OPENING_KIND_${key.toUpperCase()}`);
    case 'outcomes':
      return hasText(`followup.outcome.${key}`) ? t(`followup.outcome.${key}`) : key;
    case 'situations':
      return hasText(`followup.situation.${key}`) ? t(`followup.situation.${key}`) : key;
    default:
      return key;
  }
}

function chartRows(table: string, rows: FollowUpRow[] | undefined): GroupedRow[] {
  return (rows ?? []).map((row) => {
    const counts: FollowUpByGender = row.counts ?? {};
    return {
      key: row.key ?? '',
      label: rowLabel(table, row.key ?? ''),
      cells: FOLLOW_UP_GENDERS.map((g) => ({
        series: g,
        seriesLabel: t(`followup.col.${g}`),
        value: counts[g]?.withheld ? null : counts[g]?.count ?? 0,
        valueText: cellText(counts[g]),
      })),
      extra: [cellText(counts.total, true)],
    };
  });
}

function ReportTable({ table, rows }: { table: string; rows: FollowUpRow[] | undefined }) {
  return (
    <GroupedBarChart
      testId={`followup-${table}`}
      title={t(`followup.${table}.title`)}
      description={t(`followup.${table}.desc`)}
      rows={chartRows(table, rows)}
      labelHeading={t('followup.col.group')}
      extraHeadings={[t('followup.col.total')]}
      tableSummary={t('followup.table')}
    />
  );
}

const kColumns = [...FOLLOW_UP_GENDERS, 'total'] as const;

function ReportView({ report, municipality }: { report: FollowUpReport; municipality: string }) {
  const shareText = (share: number | undefined) => (share === undefined ? t('followup.none') : `${formatNumber(share * 100, 1)} %`);
  const medianText = (days: number | undefined) => (days === undefined ? t('followup.none') : t('followup.median.days', { days: formatNumber(days, 1) }));
  return (
    <section aria-labelledby="followup-report-heading" data-testid="followup-report">
      <h2 id="followup-report-heading">{t('followup.report.title')}</h2>
      <p>{t('followup.report.lead', {
        from: formatDay(report.fromDate), to: formatDay(report.toDate), municipality,
        programme: report.programmeCode ? t('followup.report.programme', { code: report.programmeCode }) : t('followup.report.allProgrammes'),
        when: formatInstant(report.generatedAt),
      })}</p>
      <p class="help">{t('followup.privacy')}</p>
      <ReportTable table="entries" rows={report.entriesByAgeBand} />
      <ReportTable table="kinds" rows={report.placementsByKind} />
      <ReportTable table="outcomes" rows={report.exitsByOutcome} />
      <ReportTable table="situations" rows={report.exitsBySituation} />

      <table class="data-table compact followup-table" data-testid="followup-moved-up">
        <caption>{t('followup.movedUp.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('followup.col.group')}</th>
            <th scope="col">{t('followup.movedUp.colParticipants')}</th>
            <th scope="col">{t('followup.movedUp.colMoved')}</th>
            <th scope="col">{t('followup.movedUp.colShare')}</th>
          </tr>
        </thead>
        <tbody>
          {kColumns.map((g) => {
            const s = report.movedUp?.[g];
            return (
              <tr key={g} data-key={g}>
                <th scope="row">{t(`followup.col.${g}`)}</th>
                <td class={s?.participants?.withheld ? 'withheld' : undefined}>{cellText(s?.participants, g === 'total')}</td>
                <td class={s?.movedUp?.withheld ? 'withheld' : undefined}>{cellText(s?.movedUp, g === 'total')}</td>
                <td>{shareText(s?.share)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="help">{t('followup.movedUp.desc')}</p>

      <table class="data-table compact followup-table" data-testid="followup-median">
        <caption>{t('followup.median.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('followup.col.group')}</th>
            <th scope="col">{t('followup.median.colParticipants')}</th>
            <th scope="col">{t('followup.median.colMedian')}</th>
          </tr>
        </thead>
        <tbody>
          {kColumns.map((g) => {
            const m = report.daysToFirstPlacement?.[g];
            return (
              <tr key={g} data-key={g}>
                <th scope="row">{t(`followup.col.${g}`)}</th>
                <td class={m?.participants?.withheld ? 'withheld' : undefined}>{cellText(m?.participants, g === 'total')}</td>
                <td>{medianText(m?.medianDays)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="help">{t('followup.median.desc')}</p>
    </section>
  );
}

export function FollowUpReportPage() {
  const { codes } = usePublicCodes();
  const [municipality, setMunicipality] = useState('');
  const [programme, setProgramme] = useState('');
  const [programmeError, setProgrammeError] = useState<string | undefined>();
  const [report, setReport] = useState<FollowUpReport | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const load = async (period: Period) => {
    setBusy(true);
    setError(undefined);
    setProgrammeError(undefined);
    try {
      setReport(await call<FollowUpReport>('FollowUpService', 'GetFollowUpReport', {
        fromDate: period.from, toDate: period.to, municipalityCode: municipality, programmeCode: programme.trim(),
      }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'invalid_argument' && /^programme_code:/.test(e.message)) {
        setProgrammeError(t('followup.error.programme'));
        document.getElementById('report-programme')?.focus();
      } else {
        setError(e);
      }
      setReport(undefined);
    } finally {
      setBusy(false);
    }
  };
  // The report of this year so far, at once.
  useEffect(() => {
    const year = thisYear();
    void load({ from: dateFromIso(year.from)!, to: dateFromIso(year.to)! });
  }, []);

  return (
    <Page title={t('followup.nav.report')}>
      <PeriodForm idPrefix="report" busy={busy} onSubmit={(p) => void load(p)} maxDays={1096}>
        <div class="field">
          <label for="report-municipality">{t('followup.filter.municipality')}</label>
          <select id="report-municipality" value={municipality} onChange={(e) => setMunicipality((e.target as HTMLSelectElement).value)}>
            <option value="">{t('followup.filter.allMunicipalities')}</option>
            {(codes ? municipalitiesByName(codes) : []).map((m) => (
              <option key={m.code} value={m.code}>{codeLabel(codes, 'municipality', m.code)}</option>
            ))}
          </select>
        </div>
        <div class={`field${programmeError ? ' has-error' : ''}`}>
          <label for="report-programme">{t('followup.filter.programme')}</label>
          <span id="report-programme-help" class="help">{t('followup.filter.programmeHelp')}</span>
          {programmeError && <p id="report-programme-error" class="field-error">{programmeError}</p>}
          <input id="report-programme" type="text" value={programme} autocomplete="off"
            aria-describedby={`report-programme-help${programmeError ? ' report-programme-error' : ''}`}
            aria-invalid={programmeError ? true : undefined}
            onInput={(e) => setProgramme((e.target as HTMLInputElement).value)} />
        </div>
      </PeriodForm>
      {error !== undefined && <ErrorMessage error={error} />}
      {busy && !report && <Loading />}
      {report && (
        <ReportView report={report}
          municipality={report.municipalityCode ? codeLabel(codes, 'municipality', report.municipalityCode) : t('followup.filter.allMunicipalities').toLowerCase()} />
      )}
    </Page>
  );
}
