// The operator in a real browser against real processes: start a dry run,
// watch its progress arrive live until SUCCEEDED, and read the report: the
// unmatched participants by rule and the fairness audit per dimension,
// with the 0.8 line drawn and small groups shown as withheld, not as zero.
// The charts are compared with the API's own report.
import { expect, test } from '@playwright/test';
import { tokens } from './env';
import { expectAccessible, report, screenshot, signIn, watchPage } from './helpers';

interface Group {
  dimension: string;
  group: string;
  participants: number;
  ratioToBest: number;
  belowFourFifths: boolean;
  suppressed: boolean;
}

interface Report {
  dryRun: boolean;
  participantsConsidered: number;
  participantsUnmatched: number;
  unmatchedReasons: { rule: string; count: number }[];
  fairnessAudit: { groups: Group[] };
}

test('an operator starts a dry run, watches it to SUCCEEDED and reads the report with its charts', async ({ page }) => {
  const watch = watchPage(page);
  await signIn(page, tokens.operator);
  await expect(page.getByRole('heading', { level: 1, name: 'Ommatchningar' })).toBeVisible();
  await expect(page.getByTestId('start-run-form')).toBeVisible();
  await screenshot(page, 'operator-runs');
  await expectAccessible(page, 'the operator runs');

  // Every progress message the page receives, as the stream delivers it.
  const events: string[] = [];
  page.on('response', (r) => {
    if (/\/api\/runs\/[^/]+\/progress$/.test(r.url())) events.push(r.headers()['content-type'] ?? '');
  });

  // A dry run (the default) with a fixed seed.
  await expect(page.getByLabel('Provkörning: beräkna och rapportera, men publicera inga förslag')).toBeChecked();
  await page.getByLabel('Slumpfrö').fill('11');
  const started = Date.now();
  await page.getByRole('button', { name: 'Starta körningen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Körning / })).toBeVisible();
  const runId = (await page.getByRole('heading', { level: 1 }).textContent())!.replace(/^Körning /, '');
  expect(runId.length).toBeGreaterThan(0);

  // Live progress until the terminal state.
  const state = page.getByTestId('run-state');
  await expect(state).toHaveAttribute('data-state', 'RUN_STATE_SUCCEEDED', { timeout: 60_000 });
  report('operator dry run: start to SUCCEEDED shown in the browser', Date.now() - started);
  await expect(state).toContainText('Läge: Klar');
  await expect(page.locator('#run-progress')).toHaveAttribute('value', '100');
  expect(events).toContain('text/event-stream');

  // The report, drawn; its numbers are the API's.
  const view = page.getByTestId('run-report');
  await expect(view).toBeVisible();
  await expect(view.getByText('Provkörning: inga förslag publicerades.')).toBeVisible();
  const api = await page.evaluate(async (id) => {
    const r = await fetch('/placement.v1.RematchService/GetRunReport', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Connect-Protocol-Version': '1' },
      body: JSON.stringify({ runId: id }),
    });
    return (await r.json()) as Report;
  }, runId);
  expect(api.dryRun).toBe(true);
  expect(api.participantsConsidered).toBeGreaterThan(0);

  // Unmatched by blocking rule: one bar per rule, counts as the API says.
  if (api.unmatchedReasons.length > 0) {
    const chart = page.getByTestId('unmatched-chart');
    await expect(chart.locator('svg[role="img"]')).toBeVisible();
    await expect(chart.locator('svg .bar-chart-row')).toHaveCount(api.unmatchedReasons.length);
    for (const reason of api.unmatchedReasons) {
      await expect(chart.locator(`svg .bar-chart-row[data-key="${reason.rule}"] .bar-chart-value`))
        .toHaveText(`${reason.count} deltagare`);
    }
    // Bar lengths are proportional to the counts.
    const widths = await chart.locator('svg .bar-chart-bar').evaluateAll(
      (rects) => rects.map((r) => Number(r.getAttribute('width'))));
    const counts = api.unmatchedReasons.map((r) => r.count);
    const max = Math.max(...counts);
    widths.forEach((w, i) => expect(w / Math.max(...widths)).toBeCloseTo(counts[i] / max, 2));
  } else {
    await expect(view.getByText('Alla deltagare fick ett förslag.')).toBeVisible();
  }

  // The fairness audit: a chart per dimension, the 0.8 line, withheld groups as withheld.
  const dimensions = [...new Set(api.fairnessAudit.groups.map((g) => g.dimension))];
  expect(dimensions).toEqual(expect.arrayContaining(['gender', 'age_band', 'municipality']));
  let withheldSeen = 0;
  for (const dimension of dimensions) {
    const chart = page.getByTestId(`audit-${dimension}`);
    const groups = api.fairnessAudit.groups.filter((g) => g.dimension === dimension);
    await expect(chart.locator('svg[role="img"]')).toBeVisible();
    await expect(chart.locator('svg .bar-chart-row')).toHaveCount(groups.length);
    await expect(chart.getByTestId('threshold-line').locator('line')).toHaveCount(1);
    // Where the plot starts and ends (value 0 and value 1) and where the line stands.
    const geometry = await chart.locator('svg').evaluate((svg) => ({
      x0: Number(svg.getAttribute('data-plot-x0')),
      x1: Number(svg.getAttribute('data-plot-x1')),
      line: Number(svg.querySelector('.bar-chart-threshold line')!.getAttribute('x1')),
    }));
    expect((geometry.line - geometry.x0) / (geometry.x1 - geometry.x0)).toBeCloseTo(0.8, 3);
    const suppressed = groups.filter((g) => g.suppressed);
    withheldSeen += suppressed.length;
    await expect(chart.locator('svg .bar-chart-row.withheld')).toHaveCount(suppressed.length);
    await expect(chart.locator('svg .bar-chart-row.withheld .bar-chart-bar')).toHaveCount(0);
    for (const g of suppressed) {
      await expect(chart.locator(`svg .bar-chart-row[data-key="${g.group}"] .bar-chart-value`))
        .toHaveText('undanhållen (färre än 5)');
    }
    const flagged = groups.filter((g) => !g.suppressed && g.belowFourFifths);
    await expect(chart.locator('svg .bar-chart-row.flagged')).toHaveCount(flagged.length);
    // Each drawn bar is as long as the group's ratio to the best group.
    for (const g of groups.filter((x) => !x.suppressed)) {
      const bar = chart.locator(`svg .bar-chart-row[data-key="${g.group}"] .bar-chart-bar`);
      const end = Number(await bar.getAttribute('x')) + Number(await bar.getAttribute('width'));
      expect((end - geometry.x0) / (geometry.x1 - geometry.x0)).toBeCloseTo(g.ratioToBest, 2);
    }
    // The text alternative: a table with the same rows.
    await chart.getByText('Visa som tabell').click();
    await expect(chart.locator('table tbody tr')).toHaveCount(groups.length);
  }
  expect(withheldSeen, 'the demo data has small groups (municipalities)').toBeGreaterThan(0);

  await screenshot(page, 'operator-run-report');
  await expectAccessible(page, 'the run report');

  // In English, from the same report.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByTestId('run-state')).toContainText('State: Succeeded');
  await expect(page.getByTestId('audit-gender').locator('figcaption')).toContainText('Proposal rate relative to the best group: gender');
  await expectAccessible(page, 'the run report in English');
  await page.getByRole('button', { name: 'Svenska' }).click();

  // The run is listed on the start page.
  await page.getByRole('link', { name: 'Tillbaka till körningarna' }).click();
  const row = page.getByTestId('run-list').locator(`tr[data-run-id="${runId}"]`);
  await expect(row).toContainText('Klar');
  await expect(row).toContainText('Provkörning');
  watch.assertClean();
});
