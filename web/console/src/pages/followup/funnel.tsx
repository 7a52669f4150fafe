// The decision funnel audit (FollowUpService.GetDecisionFunnel) for a
// period: every participant group of each dimension (gender, born abroad,
// age band, target group, municipality) through five stages — shown to a
// coach, proposed by a run, accepted by a coach, started, ended well — with
// each stage's count and rate, the ratio to the best-off group and the
// four-fifths flag, marked in words and by pattern, not by colour alone.
// Groups under 5 are withheld and say so.
import { useEffect, useState } from 'preact/hooks';
import { call } from '../../api';
import { BarChart, type BarDatum } from '../../components/bar-chart';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Page } from '../../components/Page';
import { usePublicCodes, type PublicCodes } from '../../components/public-codes';
import { dateFromIso, formatDay } from '../../dates';
import { formatNumber, hasText, t } from '../../i18n';
import '../../strings/followup';
import '../../strings/operator';
import { FUNNEL_STAGES, type DecisionFunnel, type FunnelGroup, type FunnelStage, type FunnelStageKind } from '../../types';
import { groupLabel } from '../operator/report';
import { PeriodForm, thisYear, type Period } from './period';

const kDimensions = ['gender', 'born_abroad', 'age_band', 'target_group', 'municipality'];

/** Rounded down, so a ratio below 0.8 never reads as 0.8. */
function ratioText(ratio: number): string {
  return formatNumber(Math.floor(ratio * 100) / 100, 2);
}
function rateText(rate: number | undefined): string {
  return rate === undefined ? t('followup.funnel.noRate') : `${formatNumber(rate * 100, 1)} %`;
}

function funnelGroupLabel(dimension: string, group: string, codes: PublicCodes | undefined): string {
  if (dimension === 'target_group' && group === 'none') return t('followup.funnel.noTargetGroup');
  if (dimension === 'age_band' && hasText(`followup.age.${group}`)) return t(`followup.age.${group}`);
  return groupLabel(dimension, group, codes);
}

function stageOf(group: FunnelGroup, kind: FunnelStageKind): FunnelStage | undefined {
  return (group.stages ?? []).find((s) => s.stage === kind);
}

/** One table cell: the count, the rate, and the ratio with its flag in words. */
function stageCell(stage: FunnelStage | undefined, withRatio: boolean): string {
  if (!stage) return '';
  const base = { reached: formatNumber(stage.reached ?? 0), rate: rateText(stage.rate) };
  const text = withRatio && stage.ratioToBest !== undefined
    ? t('followup.funnel.cellRatio', { ...base, ratio: ratioText(stage.ratioToBest) })
    : t('followup.funnel.cell', base);
  return stage.belowFourFifths ? `${text} – ${t('followup.funnel.flag')}` : text;
}

function DimensionView({ dimension, groups, stage, codes }: {
  dimension: string; groups: FunnelGroup[]; stage: FunnelStageKind; codes: PublicCodes | undefined;
}) {
  const name = hasText(`operator.dimension.${dimension}`) ? t(`operator.dimension.${dimension}`) : dimension;
  const rows: BarDatum[] = groups.map((g) => {
    const s = stageOf(g, stage);
    const label = funnelGroupLabel(dimension, g.group ?? '', codes);
    if (g.suppressed) return { key: g.group ?? '', label, value: null, valueText: t('followup.funnel.suppressed') };
    return {
      key: g.group ?? '',
      label,
      value: s?.ratioToBest ?? 0,
      valueText: s?.ratioToBest === undefined ? t('followup.funnel.noRate')
        : t('followup.funnel.ratioText', { ratio: ratioText(s.ratioToBest), rate: rateText(s.rate) }),
      flagged: s?.belowFourFifths === true,
    };
  });
  const flagged = groups.filter((g) => !g.suppressed && (g.stages ?? []).some((s) => s.belowFourFifths));
  return (
    <section class="funnel-dimension" aria-labelledby={`funnel-${dimension}-heading`} data-testid={`funnel-${dimension}`}>
      <h3 id={`funnel-${dimension}-heading`}>{t('followup.funnel.dimension', { dimension: name })}</h3>
      <p data-testid={`funnel-${dimension}-flags`}>
        {flagged.length === 0 ? t('followup.funnel.noFlags') : t('followup.funnel.flagged', {
          count: formatNumber(flagged.length),
          groups: flagged.map((g) => funnelGroupLabel(dimension, g.group ?? '', codes)).join(', '),
        })}
      </p>
      <BarChart
        testId={`funnel-chart-${dimension}`}
        title={t('followup.funnel.chartTitle', { stage: t(stage), dimension: name })}
        description={t('followup.funnel.chartDesc')}
        rows={rows}
        max={Math.max(1, ...rows.map((r) => r.value ?? 0))}
        threshold={{ value: 0.8, label: t('followup.funnel.threshold') }}
        labelHeading={t('followup.col.group')}
        valueHeading={t('followup.funnel.colRate')}
        withheldText={t('followup.funnel.suppressed')}
        flaggedText={t('followup.funnel.flag')}
        tableSummary={t('followup.table')}
      />
      <div class="table-scroll" role="region" tabIndex={0}
        aria-label={t('followup.funnel.dimension', { dimension: name })}>
        <table class="data-table compact funnel-table">
          <caption class="visually-hidden">{t('followup.funnel.dimension', { dimension: name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('followup.col.group')}</th>
              <th scope="col">{t('followup.funnel.colParticipants')}</th>
              {FUNNEL_STAGES.map((s) => <th scope="col" key={s}>{t(s)}</th>)}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.group} data-group={g.group}>
                <th scope="row">{funnelGroupLabel(dimension, g.group ?? '', codes)}</th>
                {g.suppressed ? (
                  <td class="withheld" colSpan={FUNNEL_STAGES.length + 1}>{t('followup.funnel.suppressed')}</td>
                ) : (
                  <>
                    <td>{formatNumber(g.participants ?? 0)}</td>
                    {FUNNEL_STAGES.map((kind) => {
                      const s = stageOf(g, kind);
                      return <td key={kind} data-stage={kind} class={s?.belowFourFifths ? 'flagged' : undefined}>{stageCell(s, true)}</td>;
                    })}
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function FunnelView({ funnel, codes }: { funnel: DecisionFunnel; codes: PublicCodes | undefined }) {
  const [stage, setStage] = useState<FunnelStageKind>('FUNNEL_STAGE_KIND_ACCEPTED');
  const groups = funnel.groups ?? [];
  const dimensions = [
    ...kDimensions.filter((d) => groups.some((g) => g.dimension === d)),
    ...[...new Set(groups.map((g) => g.dimension ?? ''))].filter((d) => d && !kDimensions.includes(d)),
  ];
  const totals = funnel.totals;
  return (
    <section aria-labelledby="funnel-heading" data-testid="decision-funnel">
      <h2 id="funnel-heading">{t('followup.funnel.title')}</h2>
      <p>{t('followup.funnel.lead', {
        from: formatDay(funnel.from), to: formatDay(funnel.to), participants: formatNumber(totals?.participants ?? 0),
      })}</p>
      <p class="help">{t('followup.funnel.intro')}</p>
      <p class="help">{t('followup.privacy')}</p>
      {totals && (
        <table class="data-table compact funnel-table" data-testid="funnel-totals">
          <caption>{t('followup.funnel.totals')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('followup.funnel.colStage')}</th>
              <th scope="col">{t('followup.funnel.colReached')}</th>
              <th scope="col">{t('followup.funnel.colRate')}</th>
            </tr>
          </thead>
          <tbody>
            {totals.suppressed ? (
              <tr><td colSpan={3} class="withheld">{t('followup.funnel.suppressed')}</td></tr>
            ) : FUNNEL_STAGES.map((kind) => {
              const s = stageOf(totals, kind);
              return (
                <tr key={kind} data-stage={kind}>
                  <th scope="row">{t(kind)}</th>
                  <td>{formatNumber(s?.reached ?? 0)}</td>
                  <td>{rateText(s?.rate)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div class="field">
        <label for="funnel-stage">{t('followup.funnel.stagePick')}</label>
        <select id="funnel-stage" value={stage} onChange={(e) => setStage((e.target as HTMLSelectElement).value as FunnelStageKind)}>
          {FUNNEL_STAGES.map((s) => <option key={s} value={s}>{t(s)}</option>)}
        </select>
      </div>
      {dimensions.map((d) => (
        <DimensionView key={d} dimension={d} groups={groups.filter((g) => g.dimension === d)} stage={stage} codes={codes} />
      ))}
    </section>
  );
}

export function DecisionFunnelPage() {
  const { codes } = usePublicCodes();
  const [funnel, setFunnel] = useState<DecisionFunnel | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const load = async (period: Period) => {
    setBusy(true);
    setError(undefined);
    try {
      setFunnel(await call<DecisionFunnel>('FollowUpService', 'GetDecisionFunnel', { from: period.from, to: period.to }));
    } catch (e) {
      setError(e);
      setFunnel(undefined);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    const year = thisYear();
    void load({ from: dateFromIso(year.from)!, to: dateFromIso(year.to)! });
  }, []);

  return (
    <Page title={t('followup.nav.funnel')}>
      <PeriodForm idPrefix="funnel" busy={busy} onSubmit={(p) => void load(p)} />
      {error !== undefined && <ErrorMessage error={error} />}
      {busy && !funnel && <Loading />}
      {funnel && <FunnelView funnel={funnel} codes={codes} />}
    </Page>
  );
}
