// A succeeded run's report with pictures: the totals, participants left
// without a proposal by the rule that stopped them (bars), and the fairness
// audit per dimension as bars of the ratio to the best group, with the 0.8
// line (the four-fifths rule) drawn and groups under 5 shown as withheld,
// never as zero.

import { formatNumber, hasText, t } from '../../i18n';
import { BarChart, type BarDatum } from '../../components/bar-chart';
import { codeLabel, usePublicCodes, type PublicCodes } from '../../components/public-codes';
import { enumLabel } from '../../strings/enums';
import { durationSeconds, type GroupOutcome, type RunReport } from './run-model';

const kDimensions = ['gender', 'born_abroad', 'age_band', 'target_group', 'municipality'];

/** A group of an audit dimension in words, e.g. "Kvinnor", "25-29 år", a municipality's name. */
export function groupLabel(dimension: string, group: string, codes: PublicCodes | undefined): string {
  switch (dimension) {
    case 'gender':
    case 'born_abroad': {
      const key = `operator.group.${dimension}.${group}`;
      return hasText(key) ? t(key) : group;
    }
    case 'age_band':
      return t('operator.group.age', { band: group });
    case 'target_group':
      return enumLabel(`TARGET_GROUP_${group.toUpperCase()}`);
    case 'municipality':
      return codeLabel(codes, 'municipality', group);
    default:
      return group;
  }
}

function auditRows(groups: GroupOutcome[], dimension: string, codes: PublicCodes | undefined): BarDatum[] {
  return groups
    .filter((g) => g.dimension === dimension)
    .map((g) => ({
      key: g.group ?? '',
      label: groupLabel(dimension, g.group ?? '', codes),
      value: g.suppressed ? null : g.ratioToBest ?? 0,
      valueText: g.suppressed
        ? t('operator.report.withheld')
        : t('operator.report.ratio', {
            // Rounded down, so a ratio below 0.8 never reads as 0.8.
            ratio: formatNumber(Math.floor((g.ratioToBest ?? 0) * 100) / 100, 2),
            proposed: formatNumber(g.proposed ?? 0),
            participants: formatNumber(g.participants ?? 0),
          }),
      flagged: !g.suppressed && g.belowFourFifths === true,
    }));
}

export function RunReportView({ report }: { report: RunReport }) {
  const { codes } = usePublicCodes();
  const groups = report.fairnessAudit?.groups ?? [];
  const dimensions = [
    ...kDimensions.filter((d) => groups.some((g) => g.dimension === d)),
    ...[...new Set(groups.map((g) => g.dimension ?? ''))].filter((d) => d && !kDimensions.includes(d)),
  ];
  const unmatched: BarDatum[] = (report.unmatchedReasons ?? []).map((r) => ({
    key: r.rule ?? '',
    label: hasText(`operator.rule.${r.rule}`) ? t(`operator.rule.${r.rule}`) : enumLabel(r.rule),
    value: r.count ?? 0,
    valueText: t('operator.report.participants', { n: formatNumber(r.count ?? 0) }),
  }));
  const facts: [string, number | undefined][] = [
    ['operator.report.considered', report.participantsConsidered],
    ['operator.report.proposed', report.participantsProposed],
    ['operator.report.unmatched', report.participantsUnmatched],
    ['operator.report.openings', report.openingsConsidered],
    ['operator.report.openingsWithout', report.openingsWithoutCandidates],
    ['operator.report.continued', report.proposalsContinued],
    ['operator.report.withdrawn', report.proposalsWithdrawn],
  ];

  return (
    <section aria-labelledby="report-heading" class="run-report" data-testid="run-report">
      <h2 id="report-heading">{t('operator.report.heading')}</h2>
      <p>{report.dryRun ? t('operator.report.dry') : t('operator.report.published')}</p>
      <dl class="facts">
        {facts.map(([key, value]) => (
          <div key={key}>
            <dt>{t(key)}</dt>
            <dd>{formatNumber(value ?? 0)}</dd>
          </div>
        ))}
      </dl>

      {unmatched.length === 0 ? (
        <p>{t('operator.report.unmatchedNone')}</p>
      ) : (
        <BarChart
          testId="unmatched-chart"
          title={t('operator.report.unmatchedTitle')}
          description={t('operator.report.unmatchedDesc')}
          rows={unmatched}
          labelHeading={t('operator.report.colRule')}
          valueHeading={t('operator.report.colParticipants')}
          tableSummary={t('operator.report.table')}
        />
      )}

      <h3>{t('operator.report.auditHeading')}</h3>
      <p>{t('operator.report.auditLead', { min: report.fairnessAudit?.minGroupSize ?? 5 })}</p>
      {dimensions.map((d) => {
        const name = hasText(`operator.dimension.${d}`) ? t(`operator.dimension.${d}`) : d;
        return (
          <BarChart
            key={d}
            testId={`audit-${d}`}
            title={t('operator.report.auditTitle', { dimension: name })}
            description={t('operator.report.auditDesc')}
            rows={auditRows(groups, d, codes)}
            max={1}
            threshold={{ value: 0.8, label: t('operator.report.threshold') }}
            labelHeading={t('operator.report.colGroup')}
            valueHeading={t('operator.report.colRatio')}
            withheldText={t('operator.report.withheld')}
            flaggedText={t('operator.report.below')}
            tableSummary={t('operator.report.table')}
          />
        );
      })}

      {(report.phaseTimings ?? []).length > 0 && (
        <table class="data-table compact">
          <caption>{t('operator.report.phases')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('operator.report.colPhase')}</th>
              <th scope="col">{t('operator.report.colDuration')}</th>
            </tr>
          </thead>
          <tbody>
            {(report.phaseTimings ?? []).map((p) => (
              <tr key={p.phase}>
                <th scope="row">{t(`operator.phase.${p.phase ?? 'RUN_PHASE_UNSPECIFIED'}`)}</th>
                <td>{t('operator.report.seconds', { s: formatNumber(durationSeconds(p.duration), 3) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
