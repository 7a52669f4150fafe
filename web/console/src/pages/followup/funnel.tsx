// The decision funnel audit (FollowUpService.GetDecisionFunnel) for a
// period: every participant group of each dimension (gender, born abroad,
// age band, target group, municipality) through five stages — shown to a
// coach, proposed by a run, accepted by a coach, started, ended well — with
// each stage's count and its share of the group's participants, and for the
// last three stages the share of those at the stage before whom the same
// proposal or placement carried on; each with the ratio to the best-off
// group and the four-fifths flag, marked in words and by pattern, not by
// colour alone. No figure reads above 100 %. Groups under 5 are withheld
// and say so.
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
import {
  FUNNEL_CONVERSIONS, FUNNEL_STAGES, type DecisionFunnel, type FunnelGroup, type FunnelStage, type FunnelStageKind,
} from '../../types';
import { groupLabel } from '../operator/report';
import { PeriodForm, thisYear, type Period } from './period';

const kDimensions = ['gender', 'born_abroad', 'age_band', 'target_group', 'municipality'];

/** Rounded down, so a ratio below 0.8 never reads as 0.8. */
function ratioText(ratio: number): string {
  return formatNumber(Math.floor(ratio * 100) / 100, 2);
}
function percentText(share: number | undefined): string {
  return share === undefined ? t('followup.funnel.noRate') : `${formatNumber(share * 100, 1)} %`;
}

function funnelGroupLabel(dimension: string, group: string, codes: PublicCodes | undefined): string {
  if (dimension === 'target_group' && group === 'none') return t('followup.funnel.noTargetGroup');
  if (dimension === 'age_band' && hasText(`followup.age.${group}`)) return t(`followup.age.${group}`);
  return groupLabel(dimension, group, codes);
}

function stageOf(group: FunnelGroup, kind: FunnelStageKind): FunnelStage | undefined {
  return (group.stages ?? []).find((s) => s.stage === kind);
}

/** The stage before `kind` (whose reached is a conversion's denominator). */
function stageBefore(group: FunnelGroup, kind: FunnelStageKind): FunnelStage | undefined {
  const i = FUNNEL_STAGES.indexOf(kind);
  return i > 0 ? stageOf(group, FUNNEL_STAGES[i - 1]) : undefined;
}

/** What the charts show: one stage's share of the participants, or one conversion. */
type Measure = { kind: FunnelStageKind; conversion: boolean };
const kMeasures: Measure[] = [
  ...FUNNEL_STAGES.map((kind) => ({ kind, conversion: false })),
  ...FUNNEL_CONVERSIONS.map((kind) => ({ kind, conversion: true })),
];
const measureKey = (m: Measure) => `${m.conversion ? 'conversion' : 'share'}:${m.kind}`;
const measureLabel = (m: Measure) => (m.conversion
  ? t(`followup.conversion.${m.kind}`) : t('followup.funnel.pickShare', { stage: t(m.kind) }));

/** The value a measure compares: its share or rate, ratio and flag. */
function measured(stage: FunnelStage | undefined, m: Measure) {
  if (m.conversion) {
    const c = stage?.conversion;
    return { value: c?.rate, ratio: c?.ratioToBest, flagged: c?.belowFourFifths === true };
  }
  return { value: stage?.share, ratio: stage?.ratioToBest, flagged: stage?.belowFourFifths === true };
}

const flaggedAnywhere = (g: FunnelGroup) =>
  (g.stages ?? []).some((s) => s.belowFourFifths || s.conversion?.belowFourFifths);

/** One table cell: the count, its share, and the conversion, each with its ratio and flag in words. */
function StageCell({ stage }: { stage: FunnelStage | undefined }) {
  if (!stage) return null;
  const base = { reached: formatNumber(stage.reached ?? 0), share: percentText(stage.share) };
  const share = stage.ratioToBest !== undefined
    ? t('followup.funnel.cellRatio', { ...base, ratio: ratioText(stage.ratioToBest) })
    : t('followup.funnel.cell', base);
  const c = stage.conversion;
  let conversion: string | undefined;
  if (c) {
    conversion = c.rate === undefined ? t('followup.funnel.conversionNone')
      : c.ratioToBest !== undefined
        ? t('followup.funnel.conversionRatio', { rate: percentText(c.rate), ratio: ratioText(c.ratioToBest) })
        : t('followup.funnel.conversionCell', { rate: percentText(c.rate) });
  }
  return (
    <>
      <span class={`funnel-share${stage.belowFourFifths ? ' flagged' : ''}`} data-part="share">
        {stage.belowFourFifths ? `${share} – ${t('followup.funnel.flag')}` : share}
      </span>
      {conversion !== undefined && (
        <span class={`funnel-conversion${c?.belowFourFifths ? ' flagged' : ''}`} data-part="conversion">
          {c?.belowFourFifths ? `${conversion} – ${t('followup.funnel.flag')}` : conversion}
        </span>
      )}
    </>
  );
}

function DimensionView({ dimension, groups, measure, codes }: {
  dimension: string; groups: FunnelGroup[]; measure: Measure; codes: PublicCodes | undefined;
}) {
  const name = hasText(`operator.dimension.${dimension}`) ? t(`operator.dimension.${dimension}`) : dimension;
  const rows: BarDatum[] = groups.map((g) => {
    const label = funnelGroupLabel(dimension, g.group ?? '', codes);
    if (g.suppressed) return { key: g.group ?? '', label, value: null, valueText: t('followup.funnel.suppressed') };
    const m = measured(stageOf(g, measure.kind), measure);
    return {
      key: g.group ?? '',
      label,
      value: m.ratio ?? 0,
      valueText: m.ratio === undefined ? t('followup.funnel.noRate')
        : t('followup.funnel.ratioText', { ratio: ratioText(m.ratio), rate: percentText(m.value) }),
      flagged: m.flagged,
    };
  });
  const flagged = groups.filter((g) => !g.suppressed && flaggedAnywhere(g));
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
        title={t('followup.funnel.chartTitle', { measure: measureLabel(measure), dimension: name })}
        description={t('followup.funnel.chartDesc')}
        rows={rows}
        max={1}
        threshold={{ value: 0.8, label: t('followup.funnel.threshold') }}
        labelHeading={t('followup.col.group')}
        valueHeading={t('followup.funnel.colRatio')}
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
                    {FUNNEL_STAGES.map((kind) => (
                      <td key={kind} data-stage={kind}><StageCell stage={stageOf(g, kind)} /></td>
                    ))}
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
  // The coaches' decisions on the run's proposals, first.
  const [measureChosen, setMeasureChosen] = useState('conversion:FUNNEL_STAGE_KIND_ACCEPTED');
  const measure = kMeasures.find((m) => measureKey(m) === measureChosen) ?? kMeasures[0];
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
        from: formatDay(funnel.fromDate), to: formatDay(funnel.toDate), participants: formatNumber(totals?.participants ?? 0),
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
              <th scope="col">{t('followup.funnel.colShare')}</th>
              <th scope="col">{t('followup.funnel.colConversion')}</th>
            </tr>
          </thead>
          <tbody>
            {totals.suppressed ? (
              <tr><td colSpan={4} class="withheld">{t('followup.funnel.suppressed')}</td></tr>
            ) : FUNNEL_STAGES.map((kind) => {
              const s = stageOf(totals, kind);
              const c = s?.conversion;
              return (
                <tr key={kind} data-stage={kind}>
                  <th scope="row">{t(kind)}</th>
                  <td data-part="reached">{formatNumber(s?.reached ?? 0)}</td>
                  <td data-part="share">{percentText(s?.share)}</td>
                  <td data-part="conversion">{!c ? t('followup.funnel.notNested')
                    : c.rate === undefined ? t('followup.funnel.noConversion')
                      : t('followup.funnel.conversion', {
                        converted: formatNumber(c.converted ?? 0),
                        before: formatNumber(stageBefore(totals, kind)?.reached ?? 0),
                        rate: percentText(c.rate),
                      })}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div class="field">
        <label for="funnel-stage">{t('followup.funnel.stagePick')}</label>
        <select id="funnel-stage" value={measureChosen}
          onChange={(e) => setMeasureChosen((e.target as HTMLSelectElement).value)}>
          {kMeasures.map((m) => <option key={measureKey(m)} value={measureKey(m)}>{measureLabel(m)}</option>)}
        </select>
      </div>
      {dimensions.map((d) => (
        <DimensionView key={d} dimension={d} groups={groups.filter((g) => g.dimension === d)} measure={measure} codes={codes} />
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
      setFunnel(await call<DecisionFunnel>('FollowUpService', 'GetDecisionFunnel', {
        fromDate: period.from, toDate: period.to,
      }));
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
