// The follow-up pages in a real browser against real processes. The
// decision funnel: after coaches have looked at suggestions, accepted a
// proposal and ended that placement well, an operator reads the funnel for
// this year; the totals (counts, shares of the participants, conversions
// from the stage before), each dimension's bars (ratio to the best group,
// the 0.8 line) for a share and for a conversion, the flags in words and
// the withheld groups equal the GetDecisionFunnel answer the page
// received, and no figure on the page reads above 100 %. The follow-up
// report: an admin reads it by gender, withheld cells as "färre än 5" and
// a total withheld beside them as "visas inte" (run only where the server
// serves GetFollowUpReport).
import { expect, test, type Locator } from '@playwright/test';
import { apiClient, today } from './api-client';
import { tokens } from './env';
import { expectAccessible, screenshot, signIn, watchPage } from './helpers';

test.describe.configure({ timeout: 90_000 });

interface Conversion { converted: number; rate?: number; ratioToBest?: number; belowFourFifths: boolean }
interface Stage {
  stage: string; reached: number; share?: number; ratioToBest?: number; belowFourFifths: boolean; conversion?: Conversion;
}
interface Group { dimension: string; group: string; participants: number; suppressed: boolean; stages: Stage[] }
interface Funnel { totals: Group; groups: Group[]; minGroupSize: number }

/** "4 566,7 %" as 4566.7: every percentage in a text. */
function percentages(text: string): number[] {
  return [...text.matchAll(/(\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?)[ \u00a0\u202f]?%/g)]
    .map((m) => Number(m[1].replace(/[ \u00a0\u202f]/g, '').replace(',', '.')));
}

/** Where value 0 and value 1 (the chart's max) lie in a bar chart's SVG. */
async function plot(chart: Locator) {
  return chart.locator('svg').first().evaluate((svg) => ({
    x0: Number(svg.getAttribute('data-plot-x0')),
    x1: Number(svg.getAttribute('data-plot-x1')),
    line: Number(svg.querySelector('.bar-chart-threshold line')?.getAttribute('x1') ?? 'NaN'),
  }));
}

test('an operator reads the decision funnel per group, flags in words, small groups withheld', async ({ page }) => {
  const watch = watchPage(page);
  // What coaches did today: looked at suggestions, accepted a proposal, ended the placement well.
  const coach = await apiClient(tokens.coach);
  try {
    for (const participantId of ['P0000012', 'P0000013', 'P0000016', 'P0000017', 'P0000051', 'P0000057']) {
      await coach.call('CoachService', 'SuggestOpenings', { participantId, k: 5 });
    }
    const pending = await coach.call<{ proposals?: { proposalId: string; participantId: string }[] }>(
      'CoachService', 'ListProposals', { states: ['PROPOSAL_STATE_PENDING'], page: { pageSize: 50 } });
    const proposal = (pending.proposals ?? [])[0];
    expect(proposal, 'the global setup published a run with proposals').toBeDefined();
    await coach.call('CoachService', 'DecideProposal', { proposalId: proposal.proposalId, decision: 'DECISION_ACCEPT' });
    const timeline = await coach.call<{ events?: { kind: string; reference: string }[] }>(
      'PlacementService', 'GetTimeline', { participantId: proposal.participantId });
    const started = (timeline.events ?? []).find((e) => e.kind === 'TIMELINE_EVENT_KIND_PLACEMENT_STARTED');
    expect(started).toBeDefined();
    await coach.call('PlacementService', 'EndPlacement', {
      placementId: started!.reference, endDate: today(), outcome: 'PLACEMENT_OUTCOME_COMPLETED',
    });
  } finally {
    await coach.dispose();
  }

  await signIn(page, tokens.operator);
  const answer = page.waitForResponse((r) => r.url().endsWith('/placement.v1.FollowUpService/GetDecisionFunnel'));
  await page.getByRole('link', { name: 'Beslutskedjan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Beslutskedjan' })).toBeVisible();
  const response = await answer;
  expect(response.status()).toBe(200);
  const sent = response.request().postDataJSON() as { fromDate: object; toDate: object };
  const { year } = today();
  expect(sent).toEqual({ fromDate: { year, month: 1, day: 1 }, toDate: today() });
  const funnel = (await response.json()) as Funnel;
  const view = page.getByTestId('decision-funnel');
  await expect(view).toBeVisible();

  // The totals: every stage's count as the API says; the activity above is in it.
  const totalOf = (stage: string) => funnel.totals.stages.find((s) => s.stage === stage)!;
  expect(totalOf('FUNNEL_STAGE_KIND_SUGGESTED').reached).toBeGreaterThanOrEqual(6);
  expect(totalOf('FUNNEL_STAGE_KIND_ACCEPTED').reached).toBeGreaterThanOrEqual(1);
  expect(totalOf('FUNNEL_STAGE_KIND_GOOD_OUTCOME').reached).toBeGreaterThanOrEqual(1);
  // The accepted proposal started a placement that ended well: each
  // conversion carried someone on.
  for (const stage of ['FUNNEL_STAGE_KIND_ACCEPTED', 'FUNNEL_STAGE_KIND_STARTED', 'FUNNEL_STAGE_KIND_GOOD_OUTCOME']) {
    expect(totalOf(stage).conversion?.converted, stage).toBeGreaterThanOrEqual(1);
  }
  // As the page writes a share: Swedish, at most one decimal.
  const percent = (x: number) => `${new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1 }).format(x * 100)} %`;
  const totals = page.getByTestId('funnel-totals');
  const all = funnel.totals.participants;
  for (const s of funnel.totals.stages) {
    const row = totals.locator(`tr[data-stage="${s.stage}"]`);
    await expect(row.locator('td[data-part="reached"]')).toHaveText(String(s.reached));
    // Every share is of the participants, so never above 100 %.
    expect(s.share!).toBeCloseTo(s.reached / all, 9);
    expect(s.share!).toBeLessThanOrEqual(1);
    await expect(row.locator('td[data-part="share"]')).toHaveText(percent(s.share!));
    const before = funnel.totals.stages[funnel.totals.stages.indexOf(s) - 1];
    if (s.conversion) {
      await expect(row.locator('td[data-part="conversion"]')).toHaveText(
        `${s.conversion.converted} av ${before.reached} (${percent(s.conversion.rate!)})`);
    } else {
      await expect(row.locator('td[data-part="conversion"]')).toHaveText('–');
    }
  }
  await expect(totals.locator('tr[data-stage="FUNNEL_STAGE_KIND_SUGGESTED"] th')).toHaveText('Visad för coachen bland förslagen');
  await expect(totals.locator('tr[data-stage="FUNNEL_STAGE_KIND_ACCEPTED"] td[data-part="conversion"]'))
    .toHaveText(new RegExp(`^1 av ${totalOf('FUNNEL_STAGE_KIND_PROPOSED').reached} `));

  // Per dimension, for the measure chosen (the accepted of those proposed
  // by default, then the share proposed).
  let withheldSeen = 0;
  const measures = [
    { option: 'conversion:FUNNEL_STAGE_KIND_ACCEPTED', stage: 'FUNNEL_STAGE_KIND_ACCEPTED', conversion: true },
    { option: 'share:FUNNEL_STAGE_KIND_PROPOSED', stage: 'FUNNEL_STAGE_KIND_PROPOSED', conversion: false },
  ];
  await expect(page.getByLabel('Visa diagrammen för')).toHaveValue(measures[0].option);
  for (const { option, stage: stageKind, conversion } of measures) {
    await page.getByLabel('Visa diagrammen för').selectOption(option);
    for (const dimension of ['gender', 'born_abroad', 'age_band', 'target_group', 'municipality']) {
      const groups = funnel.groups.filter((g) => g.dimension === dimension);
      expect(groups.length, dimension).toBeGreaterThan(0);
      const section = page.getByTestId(`funnel-${dimension}`);
      const chart = page.getByTestId(`funnel-chart-${dimension}`);
      await expect(chart.locator('svg .bar-chart-row')).toHaveCount(groups.length);
      const geometry = await plot(chart);
      expect((geometry.line - geometry.x0) / (geometry.x1 - geometry.x0)).toBeCloseTo(0.8, 3);
      for (const g of groups) {
        const row = chart.locator(`svg .bar-chart-row[data-key="${g.group}"]`);
        if (g.suppressed) {
          withheldSeen++;
          await expect(row).toHaveClass(/withheld/);
          await expect(row.locator('.bar-chart-bar')).toHaveCount(0);
          await expect(row.locator('.bar-chart-value')).toHaveText('färre än 5 deltagare – visas inte');
          await expect(section.locator(`tbody tr[data-group="${g.group}"] td`)).toHaveText('färre än 5 deltagare – visas inte');
          continue;
        }
        const stage = g.stages.find((x) => x.stage === stageKind)!;
        const s = conversion ? stage.conversion! : stage;
        if (s.ratioToBest !== undefined) {
          const bar = row.locator('.bar-chart-bar');
          const end = Number(await bar.getAttribute('x')) + Number(await bar.getAttribute('width'));
          expect((end - geometry.x0) / (geometry.x1 - geometry.x0)).toBeCloseTo(s.ratioToBest, 2);
        }
        if (s.belowFourFifths) {
          await expect(row).toHaveClass(/flagged/);
          await expect(row.locator('.bar-chart-value')).toContainText('under 0,8 – granska');
        } else {
          await expect(row).not.toHaveClass(/flagged/);
        }
        // The table has every stage, the flag in words where the API sets
        // it, for the share and for the conversion.
        for (const each of g.stages) {
          const cell = section.locator(`tbody tr[data-group="${g.group}"] td[data-stage="${each.stage}"]`);
          const share = cell.locator('[data-part="share"]');
          await expect(share).toContainText(`${each.reached} (${percent(each.share!)}`);
          if (each.belowFourFifths) await expect(share).toContainText('under 0,8 – granska');
          else await expect(share).not.toContainText('granska');
          const part = cell.locator('[data-part="conversion"]');
          if (!each.conversion) {
            await expect(part).toHaveCount(0);
          } else if (each.conversion.rate === undefined) {
            await expect(part).toHaveText('vidare: ingen nådde steget före');
          } else {
            await expect(part).toContainText(`vidare: ${percent(each.conversion.rate)} av steget före`);
            if (each.conversion.belowFourFifths) await expect(part).toContainText('under 0,8 – granska');
            else await expect(part).not.toContainText('granska');
          }
        }
      }
      // The sentence names how many groups are flagged at some stage.
      const flagged = groups.filter((g) => !g.suppressed
        && g.stages.some((s) => s.belowFourFifths || s.conversion?.belowFourFifths));
      await expect(page.getByTestId(`funnel-${dimension}-flags`)).toHaveText(flagged.length === 0
        ? 'Ingen grupp ligger under 0,8 i något steg.'
        : new RegExp(`^${flagged.length} grupper under 0,8 i något steg: `));
    }
  }
  expect(withheldSeen, 'the demo data has small groups (municipalities)').toBeGreaterThan(0);
  // No figure on the page reads above 100 %.
  const shown = percentages(await view.innerText());
  expect(shown.length).toBeGreaterThan(0);
  expect(Math.max(...shown)).toBeLessThanOrEqual(100);
  await expect(page.getByTestId('funnel-gender').locator('tbody tr[data-group="female"] th')).toHaveText('Kvinnor');
  await screenshot(page, 'followup-funnel');
  await expectAccessible(page, 'the decision funnel');

  // A period that ends before it starts is refused before anything is sent.
  await page.getByLabel('Till och med').fill(`${year - 1}-01-01`);
  await page.getByRole('button', { name: 'Visa' }).click();
  await expect(page.getByTestId('error-summary')).toContainText('Sista dagen kan inte vara före första dagen.');
  await expectAccessible(page, 'the funnel period with an error');
  // Last year, picked with one button, is asked for as such.
  const again = page.waitForRequest((r) => r.url().endsWith('/placement.v1.FollowUpService/GetDecisionFunnel'));
  await page.getByRole('button', { name: 'Förra året' }).click();
  await page.getByRole('button', { name: 'Visa' }).click();
  expect((await again).postDataJSON()).toEqual({
    fromDate: { year: year - 1, month: 1, day: 1 }, toDate: { year: year - 1, month: 12, day: 31 },
  });
  await expect(page.getByTestId('decision-funnel')).toContainText(`Period 1 januari ${year - 1} – 31 december ${year - 1}.`);
  watch.assertClean();
});

interface Cell { withheld?: boolean; count?: number }
type ByGender = Record<'female' | 'male' | 'other' | 'undisclosed' | 'total', Cell | undefined>;
interface Report {
  entriesByAgeBand: { key: string; counts: ByGender }[];
  placementsByKind: { key: string; counts: ByGender }[];
  exitsByOutcome: { key: string; counts: ByGender }[];
  exitsBySituation: { key: string; counts: ByGender }[];
  movedUp: Record<string, { participants?: Cell; movedUp?: Cell; share?: number } | undefined>;
  daysToFirstPlacement: Record<string, { participants?: Cell; medianDays?: number } | undefined>;
}

test('an admin reads the follow-up report by gender, counts under 5 as "färre än 5"', async ({ page }) => {
  const admin = await apiClient(tokens.admin);
  const coach = await apiClient(tokens.coach);
  try {
    const probe = await admin.raw('FollowUpService', 'GetFollowUpReport', { fromDate: today(), toDate: today() });
    test.skip(probe.status === 404 || probe.status === 501,
      `the server does not serve FollowUpService.GetFollowUpReport (HTTP ${probe.status}): merge branch followup-report`);
    expect(probe.status).toBe(200);
    // This year's activity: two placements started directly and ended, one moving up.
    for (const [participantId, outcome] of [['P0000057', 'PLACEMENT_OUTCOME_COMPLETED'], ['P0000063', 'PLACEMENT_OUTCOME_STUDIES']]) {
      const suggestions = await coach.call<{ suggestions?: { openingId: string }[] }>('CoachService', 'SuggestOpenings', { participantId, k: 5 });
      const openingId = (suggestions.suggestions ?? [])[0]?.openingId;
      expect(openingId, `a suggestion for ${participantId}`).toBeDefined();
      const started = await coach.call<{ placement: { placementId: string } }>('PlacementService', 'StartPlacement', { participantId, openingId });
      await coach.call('PlacementService', 'EndPlacement', {
        placementId: started.placement.placementId, endDate: today(), outcome, leavesProgramme: true,
      });
    }
  } finally {
    await coach.dispose();
    await admin.dispose();
  }

  const watch = watchPage(page);
  await signIn(page, tokens.admin);
  const answer = page.waitForResponse((r) => r.url().endsWith('/placement.v1.FollowUpService/GetFollowUpReport'));
  await page.getByRole('link', { name: 'Uppföljning' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Uppföljning' })).toBeVisible();
  const response = await answer;
  expect(response.status()).toBe(200);
  const { year } = today();
  expect(response.request().postDataJSON()).toEqual({
    fromDate: { year, month: 1, day: 1 }, toDate: today(), municipalityCode: '', programmeCode: '',
  });
  const report = (await response.json()) as Report;
  await expect(page.getByTestId('followup-report')).toBeVisible();

  const text = (cell: Cell | undefined) => (cell?.withheld ? 'färre än 5' : String(cell?.count ?? 0));
  // A total is withheld whenever a count in its row is.
  const totalText = (cell: Cell | undefined) => (cell?.withheld ? 'visas inte' : String(cell?.count ?? 0));
  let totalsWithheld = 0;
  let withheld = 0;
  const tables: [string, Report['entriesByAgeBand']][] = [['entries', report.entriesByAgeBand],
    ['kinds', report.placementsByKind], ['outcomes', report.exitsByOutcome], ['situations', report.exitsBySituation]];
  for (const [name, rows] of tables) {
    const chart = page.getByTestId(`followup-${name}`);
    await expect(chart.locator('svg .grouped-row')).toHaveCount(rows.length);
    for (const row of rows) {
      for (const gender of ['female', 'male', 'other', 'undisclosed'] as const) {
        const cell = row.counts[gender];
        const bar = chart.locator(`svg .grouped-row[data-key="${row.key}"] .grouped-bar[data-series="${gender}"]`);
        await expect(chart.locator(`table tr[data-key="${row.key}"] td[data-series="${gender}"]`)).toHaveText(text(cell));
        if (cell?.withheld) {
          withheld++;
          await expect(bar).toHaveClass(/withheld/);
          await expect(bar.locator('.bar-chart-bar')).toHaveCount(0);
          await expect(bar.locator('text')).toContainText('färre än 5');
        } else {
          await expect(bar).toHaveAttribute('data-value', String(cell?.count ?? 0));
        }
      }
      const anyWithheld = (['female', 'male', 'other', 'undisclosed'] as const).some((g) => row.counts[g]?.withheld);
      if (anyWithheld) {
        expect(row.counts.total?.withheld, `${name}/${row.key}: the total beside a withheld count`).toBe(true);
        totalsWithheld++;
      }
      await expect(chart.locator(`table tr[data-key="${row.key}"] td[data-series="extra-0"]`)).toHaveText(totalText(row.counts.total));
    }
  }
  expect(report.entriesByAgeBand.some((r) => (r.counts.total?.count ?? 0) > 0 || r.counts.total?.withheld),
    'the demo participants entered this year').toBe(true);
  // Two exits today, so the exits table has counts (withheld, being under 5).
  expect(report.exitsByOutcome.some((r) => r.counts.total?.withheld || (r.counts.total?.count ?? 0) > 0)).toBe(true);
  expect(withheld, 'small counts are withheld').toBeGreaterThan(0);
  expect(totalsWithheld, 'a row with a withheld count withholds its total').toBeGreaterThan(0);
  for (const g of ['female', 'male', 'other', 'undisclosed', 'total']) {
    const shownAs = g === 'total' ? totalText : text;
    await expect(page.getByTestId('followup-moved-up').locator(`tr[data-key="${g}"] td`).first()).toHaveText(shownAs(report.movedUp[g]?.participants));
    await expect(page.getByTestId('followup-median').locator(`tr[data-key="${g}"] td`).first())
      .toHaveText(shownAs(report.daysToFirstPlacement[g]?.participants));
  }
  await screenshot(page, 'followup-report');
  await expectAccessible(page, 'the follow-up report');

  // A programme the server does not know is told at its field.
  await page.getByLabel('Programmets kod (valfritt)').fill('99-999-X99');
  await page.getByRole('button', { name: 'Visa' }).click();
  await expect(page.getByText('Det finns inget program med den koden.')).toBeVisible();
  await expect(page.getByLabel('Programmets kod (valfritt)')).toBeFocused();
  watch.assertClean();
});
