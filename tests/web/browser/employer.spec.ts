// The employer contact in a real browser against real processes: publish an
// opening with the pickers, change one field (only it is sent in the update
// mask), see candidates, pause, reopen and close it with a reason; read the
// supply gaps, with the supports missing per municipality. No code or label
// of the support-need catalogue may reach these pages: not in the DOM, not
// in any request, not in any response (GetSupplyGaps' included: the server
// leaves its need counts empty for employer-contact staff).
import { expect, test, type Page } from '@playwright/test';
import { tokens, xssOpeningId, xssTitle } from './env';
import { expectAccessible, screenshot, signIn, watchPage } from './helpers';
import { needTermsIn, recordTraffic, supportLabels, supportNeedTerms } from './support-need-terms';

const terms = supportNeedTerms();

/** Today in Swedish local time, as an <input type=date> value. */
function today(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
}

async function expectNoNeedTermsInDom(page: Page, where: string) {
  const html = await page.content();
  expect(needTermsIn(html, terms), `support-need terms in the DOM of ${where}`).toEqual([]);
}

test('an employer contact publishes with pickers, edits one field, sees candidates and closes the opening; no support need reaches the page', async ({ page }) => {
  // Six axe runs over long pages: slack for a slow machine.
  test.setTimeout(120_000);
  const watch = watchPage(page);
  const traffic = recordTraffic(page);
  const updates: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/placement.v1.EmployerService/UpdateOpening')) updates.push(r.postData() ?? '');
  });
  await signIn(page, tokens.employer);

  // The start page: the openings.
  await expect(page.getByRole('heading', { level: 1, name: 'Platser' })).toBeVisible();
  await expect(page.getByTestId('openings-table').locator('tbody tr').first()).toBeVisible();
  await expectNoNeedTermsInDom(page, 'the openings');
  await screenshot(page, 'employer-openings');
  await expectAccessible(page, 'the employer openings');

  // Publish a new opening; every code comes from a picker that shows names.
  await page.getByRole('link', { name: 'Publicera en ny plats' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Publicera en ny plats' })).toBeVisible();
  const form = page.getByTestId('opening-form');
  await expect(form.getByLabel('Slag av plats')).toBeVisible();

  // Submitting empty lists the problems in an error summary linked to the fields.
  await form.getByRole('button', { name: 'Publicera platsen' }).click();
  const summary = page.getByTestId('error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: 'Fyll i rubrik.' })).toBeVisible();
  await summary.getByRole('link', { name: 'Fyll i rubrik.' }).click();
  await expect(form.getByLabel('Rubrik', { exact: true })).toBeFocused();
  await expectAccessible(page, 'the opening form with errors');

  await form.getByLabel('Slag av plats').selectOption({ label: 'Arbetsträning' });
  await form.getByLabel('Rubrik', { exact: true }).fill('Köksbiträde i personalmatsalen');
  await form.getByLabel('Organisationens namn').fill('Haninge kommun, kostenheten');
  await form.getByLabel('Organisationens id').fill('ORG00777');
  await form.getByLabel('Yrkesområde').selectOption({ label: 'Kök och restaurang' });
  await form.getByLabel('Kommun där arbetsplatsen ligger').selectOption({ label: 'Haninge (Stockholms län)' });
  // Skills by name: search, then add from the matches.
  const essential = form.getByRole('group', { name: 'Kompetens som krävs (valfritt)' });
  await essential.getByRole('searchbox', { name: 'Sök kompetens' }).fill('disk');
  await essential.getByRole('button', { name: /Diskning och diskmaskin/ }).click();
  await expect(essential.locator('.chip[data-code="9412.01"]')).toContainText('Diskning och diskmaskin');
  const optional = form.getByRole('group', { name: 'Kompetens som är meriterande (valfritt)' });
  await optional.getByRole('searchbox', { name: 'Sök kompetens' }).fill('hygien');
  await optional.getByRole('button', { name: /Hygienrutiner i kök/ }).click();
  await expect(optional.locator('.chip[data-code="5120.01"]')).toBeVisible();
  // A skill chosen as essential is not offered again as optional.
  await optional.getByRole('searchbox', { name: 'Sök kompetens' }).fill('diskning');
  await expect(optional.getByText('Ingen kompetens matchar sökningen.')).toBeVisible();
  // Supports by name.
  for (const support of ['Jobbcoach på plats', 'Strukturerade, förutsägbara arbetsuppgifter',
    'Reducerad eller successivt ökande arbetstid', 'Tillgänglig för rullstol']) {
    await form.getByLabel(support).check();
  }
  await form.getByLabel('Antal platser').fill('3');
  await form.getByLabel('Minst timmar per vecka').fill('5');
  await form.getByLabel('Högst timmar per vecka').fill('30');
  await form.getByLabel('Första dag').fill(today());
  await form.getByLabel('Steg på stegen').selectOption({ label: 'Steg 2 – skyddad arbetsträning' });
  await form.getByLabel('Lägsta nivå i svenska').selectOption({ label: 'Inget krav' });
  // Each problem left the summary as it was fixed.
  await expect(summary).toHaveCount(0);
  await expectNoNeedTermsInDom(page, 'the filled opening form');
  await screenshot(page, 'employer-publish');
  await expectAccessible(page, 'the filled opening form');
  await form.getByRole('button', { name: 'Publicera platsen' }).click();

  // The new opening's page: the server's id, the values as stored.
  const saved = page.getByTestId('opening-saved');
  await expect(saved).toContainText(/är publicerad med id O\d{6}/);
  const id = /O\d{6}/.exec((await saved.textContent()) ?? '')?.[0] ?? '';
  expect(id).toMatch(/^O\d{6}$/);
  await expect(page.getByTestId('opening-status')).toHaveText('Status: Öppen');
  const stored = page.getByTestId('opening-form');
  await expect(stored.getByLabel('Kommun där arbetsplatsen ligger')).toHaveValue('0136');
  await expect(stored.getByLabel('Yrkesområde')).toHaveValue('kitchen_restaurant');
  await expect(stored.locator('.chip[data-code="9412.01"]')).toBeVisible();
  await expect(stored.getByLabel('Jobbcoach på plats')).toBeChecked();

  // Changing one field sends only that field in the update mask.
  await stored.getByLabel('Antal platser').fill('4');
  await stored.getByRole('button', { name: 'Spara ändringarna' }).click();
  await expect(saved).toHaveText('Ändringarna är sparade: Antal platser.');
  expect(updates).toHaveLength(1);
  const update = JSON.parse(updates[0]) as { updateMask: string; opening: { id: string; capacity: number } };
  expect(update.updateMask).toBe('capacity');
  expect(update.opening.id).toBe(id);
  expect(update.opening.capacity).toBe(4);
  await expect(page.locator('.opening-meta')).toContainText('0 av 4');
  await expectAccessible(page, 'an opening');
  await screenshot(page, 'employer-opening');

  // Candidates for it.
  await page.getByRole('link', { name: 'Kandidater', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kandidater till Köksbiträde i personalmatsalen' })).toBeVisible();
  const list = page.getByTestId('candidate-list');
  await expect(list.locator('li.candidate').first()).toBeVisible();
  const first = list.locator('li.candidate').first();
  await expect(first.getByRole('heading', { level: 3 })).toHaveText(/^Deltagare P\d{7}$/);
  await expect(first.locator('.score-parts dt')).toHaveText(['Kompetens', 'Restid', 'Steg', 'Önskemål']);
  await expect(first.getByText(/^\d+ min, /)).toBeVisible();
  // A narrower travel limit gives no more candidates than before.
  const before = await list.locator('li.candidate').count();
  await page.getByLabel('Längsta restid i minuter (valfritt)').fill('10');
  await page.getByRole('button', { name: 'Sök kandidater' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /kandidater$/ })).toBeVisible();
  const after = await page.locator('li.candidate').count();
  expect(after).toBeLessThanOrEqual(before);
  await page.getByLabel('Längsta restid i minuter (valfritt)').fill('');
  await page.getByRole('button', { name: 'Sök kandidater' }).click();
  await expect(page.locator('li.candidate')).toHaveCount(before);
  await expectNoNeedTermsInDom(page, 'the candidates');
  await screenshot(page, 'employer-candidates');
  await expectAccessible(page, 'the candidates');

  // Pause, reopen, close with a reason.
  await page.getByRole('link', { name: 'Tillbaka till platsen' }).click();
  await page.getByRole('button', { name: 'Pausa platsen' }).click();
  await expect(page.getByTestId('opening-status')).toHaveText('Status: Pausad');
  await page.getByRole('button', { name: 'Öppna platsen' }).click();
  await expect(page.getByTestId('opening-status')).toHaveText('Status: Öppen');
  await page.getByRole('button', { name: 'Stäng platsen för gott' }).click();
  await page.getByLabel('Varför stängs platsen? (valfritt)').fill('Handledaren har slutat');
  await expectAccessible(page, 'closing an opening');
  await page.getByRole('button', { name: 'Stäng platsen', exact: true }).click();
  await expect(page.getByTestId('opening-status')).toHaveText('Status: Stängd');
  await expect(page.getByText('Platsen är stängd och kan inte ändras.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Spara ändringarna' })).toHaveCount(0);

  // The list shows it among the closed ones.
  await page.getByRole('link', { name: 'Tillbaka till platserna' }).click();
  for (const other of ['Utkast', 'Öppen', 'Pausad']) await page.getByLabel(other, { exact: true }).uncheck();
  await page.getByLabel('Stängd', { exact: true }).check();
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await expect(page.locator(`tr[data-opening-id="${id}"]`)).toContainText('Stängd');

  // The switch to English relabels the page from the same data.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Openings' })).toBeVisible();
  await expect(page.locator(`tr[data-opening-id="${id}"]`)).toContainText('Closed');
  await expectNoNeedTermsInDom(page, 'the openings in English');
  await expectAccessible(page, 'the openings in English');

  // Nothing of the need catalogue in any request or response of the whole flow.
  await traffic.settle();
  expect(traffic.seen.length).toBeGreaterThan(10);
  expect(traffic.seen.some((s) => s.what.includes('ListSupportNeeds'))).toBe(false);
  expect(traffic.seen.some((s) => s.what.includes('SuggestCandidates') && s.what.startsWith('response 200'))).toBe(true);
  const leaks = traffic.seen
    .map((s) => ({ what: s.what, found: needTermsIn(s.text, terms) }))
    .filter((s) => s.found.length > 0);
  expect(leaks, JSON.stringify(leaks, null, 2)).toEqual([]);
  watch.assertClean();
});

interface GapCount { participants: number; suppressed: boolean }
interface SupplyGaps {
  municipalities: {
    municipalityCode: string;
    freePlaces: number;
    needGaps: unknown[];
    fieldGaps: (GapCount & { occupationField: string })[];
    supportGaps: (GapCount & { supportCode: string })[];
  }[];
  snapshotVersion: string;
}

/** The rows a chart of counts must show for `gaps`, in order: key and value text. */
function expectedRows(gaps: (GapCount & { key: string })[]): { key: string; value: string }[] {
  return gaps.map((g) => ({ key: g.key, value: g.suppressed ? 'undanhållet (färre än 5)' : `${g.participants} deltagare` }));
}

/** A chart's rows as drawn: key, value text, the full label (the row's <title>), withheld or not. */
async function drawnRows(chart: ReturnType<Page['getByTestId']>) {
  return chart.locator('svg .bar-chart-row').evaluateAll((rows) => rows.map((r) => ({
    key: r.getAttribute('data-key') ?? '',
    value: r.querySelector('.bar-chart-value')?.textContent ?? '',
    title: r.querySelector('title')?.textContent ?? '',
    withheld: r.classList.contains('withheld'),
    bar: r.querySelector('.bar-chart-bar') !== null,
  })));
}

/** The support chart of the chosen municipality equals the API's support_gaps, with names. */
async function expectSupportChart(page: Page, gaps: SupplyGaps['municipalities'][number]) {
  const supports = page.getByTestId('gaps-supports');
  if (gaps.supportGaps.length === 0) {
    await expect(supports).toHaveCount(0);
    await expect(page.getByText('Inget stöd saknas i kommunen.')).toBeVisible();
    return;
  }
  await expect(supports.locator('svg[role="img"]')).toBeVisible();
  const drawn = await drawnRows(supports);
  const labels = supportLabels();
  expect(drawn.map((r) => ({ key: r.key, value: r.value })))
    .toEqual(expectedRows(gaps.supportGaps.map((g) => ({ ...g, key: g.supportCode }))));
  for (const [i, row] of drawn.entries()) {
    const g = gaps.supportGaps[i];
    // Named from the supports table, never a bare code.
    const label = labels.get(g.supportCode);
    expect(label, g.supportCode).toBeTruthy();
    expect(row.title.startsWith(`${label}: `), row.title).toBe(true);
    expect(row.title).not.toContain(g.supportCode);
    // Withheld counts are drawn as withheld, never as a bar.
    expect(row.withheld).toBe(g.suppressed);
    expect(row.bar).toBe(!g.suppressed);
  }
  // The text alternative holds the same rows, by name.
  await supports.getByText('Visa som tabell').click();
  await expect(supports.locator('table tbody th')).toHaveText(gaps.supportGaps.map((g) => labels.get(g.supportCode) ?? ''));
  await expect(supports.locator('table tbody td')).toHaveText(expectedRows(
    gaps.supportGaps.map((g) => ({ ...g, key: g.supportCode }))).map((r) => r.value));
}

test('supply gaps are drawn per municipality with the supports missing, small counts withheld, and no support need reaches the page', async ({ page, playwright }) => {
  test.setTimeout(90_000);
  const watch = watchPage(page);
  const traffic = recordTraffic(page);
  await signIn(page, tokens.employer);
  // The bars must equal what the page itself received.
  const answered = page.waitForResponse((r) => r.url().endsWith('/placement.v1.EmployerService/GetSupplyGaps'));
  await page.getByRole('link', { name: 'Saknade platser' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Saknade platser' })).toBeVisible();
  const api = (await (await answered).json()) as SupplyGaps;

  // An employer contact gets no need counts at all: the field is empty, so a
  // need code shared with a support (which the term check skips) cannot hide there.
  expect(api.municipalities.length).toBeGreaterThan(0);
  for (const m of api.municipalities) expect(m.needGaps, m.municipalityCode).toEqual([]);
  expect(api.municipalities.some((m) => m.supportGaps.length > 0)).toBe(true);

  // The overview: one bar per municipality, largest first, names not codes.
  const overview = page.getByTestId('gaps-overview');
  await expect(overview.locator('svg[role="img"]')).toBeVisible();
  const labels = await overview.locator('svg .bar-chart-label').allTextContents();
  expect(labels.length).toBeGreaterThan(0);
  for (const l of labels) expect(l).not.toMatch(/^\d{4}$/);

  // The chart's numbers are the API's.
  const wishes = (m: SupplyGaps['municipalities'][number]) =>
    m.fieldGaps.reduce((s, g) => s + (g.suppressed ? 0 : g.participants), 0);
  const top = [...api.municipalities].filter((m) => wishes(m) > 0).sort((a, b) => wishes(b) - wishes(a))[0];
  const firstRow = overview.locator('svg .bar-chart-row').first();
  await expect(firstRow).toHaveAttribute('data-key', top.municipalityCode);
  await expect(firstRow.locator('.bar-chart-value')).toContainText(`${wishes(top)} önskemål`);

  // The detail of the top municipality: one row per field, withheld ones drawn as withheld.
  const picker = page.getByLabel('Visa yrkesområden och stöd i kommunen');
  await expect(picker).toHaveValue(top.municipalityCode);
  const detail = page.getByTestId('gaps-detail');
  await expect(detail.locator('svg .bar-chart-row')).toHaveCount(top.fieldGaps.length);
  expect((await drawnRows(detail)).map((r) => ({ key: r.key, value: r.value })))
    .toEqual(expectedRows(top.fieldGaps.map((g) => ({ ...g, key: g.occupationField }))));
  const suppressed = top.fieldGaps.filter((g) => g.suppressed).length;
  await expect(detail.locator('svg .bar-chart-row.withheld')).toHaveCount(suppressed);
  await expect(detail.locator('svg .bar-chart-row.withheld .bar-chart-bar')).toHaveCount(0);
  if (suppressed > 0) {
    await expect(detail.locator('svg .bar-chart-row.withheld .bar-chart-value').first()).toHaveText('undanhållet (färre än 5)');
  }
  // The text alternative holds the same rows.
  await detail.getByText('Visa som tabell').click();
  await expect(detail.locator('table tbody tr')).toHaveCount(top.fieldGaps.length);

  // The supports missing there: the bars are the API's support_gaps.
  await expectSupportChart(page, top);
  await expectNoNeedTermsInDom(page, 'the supply gaps');
  await screenshot(page, 'employer-supply-gaps');
  await expectAccessible(page, 'the supply gaps');

  // Another municipality, one with a withheld support count if there is one.
  const others = api.municipalities.filter((m) => m.municipalityCode !== top.municipalityCode && m.supportGaps.length > 0);
  const other = others.find((m) => m.supportGaps.some((g) => g.suppressed)) ?? others[0];
  if (other) {
    await picker.selectOption(other.municipalityCode);
    await expectSupportChart(page, other);
    await expectNoNeedTermsInDom(page, 'the supply gaps of a second municipality');
  }

  // Nothing of the need catalogue in any request or response of the page,
  // the supply gaps' own answer included.
  await traffic.settle();
  expect(traffic.seen.some((s) => s.what.includes('GetSupplyGaps') && s.what.startsWith('response 200'))).toBe(true);
  const leaks = traffic.seen
    .map((s) => ({ what: s.what, found: needTermsIn(s.text, terms) }))
    .filter((s) => s.found.length > 0);
  expect(leaks, JSON.stringify(leaks, null, 2)).toEqual([]);

  // The check is not blind: a coach's answer from the same server counts
  // needs, and the terms find them there.
  const coach = await playwright.request.newContext({
    baseURL: new URL(page.url()).origin,
    extraHTTPHeaders: { 'Connect-Protocol-Version': '1' },
  });
  try {
    expect((await coach.post('/api/session', { data: { token: tokens.coach } })).status()).toBe(200);
    const coachAnswer = await coach.post('/placement.v1.EmployerService/GetSupplyGaps', { data: {} });
    expect(coachAnswer.status()).toBe(200);
    const coachGaps = (await coachAnswer.json()) as SupplyGaps;
    expect(coachGaps.municipalities.some((m) => m.needGaps.length > 0)).toBe(true);
    expect(needTermsIn(JSON.stringify(coachGaps), terms).length).toBeGreaterThan(0);
  } finally {
    await coach.dispose();
  }
  watch.assertClean();
});

test('opening titles are shown as text, and the skill picker works from the keyboard', async ({ page }) => {
  const watch = watchPage(page);
  await signIn(page, tokens.employer);

  // An opening titled with markup: the characters are shown, nothing runs.
  const id = xssOpeningId();
  expect(id).toMatch(/^O\d{6}$/);
  await page.goto(`${page.url().split('#')[0]}#/employer/opening/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Ändra platsen ${xssTitle}`);
  await expect(page.getByLabel('Rubrik', { exact: true })).toHaveValue(xssTitle);
  await expect(page.getByLabel('Organisationens namn')).toHaveValue('Testorganisation <b>fet</b>');
  await page.getByRole('link', { name: 'Kandidater', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Kandidater till ${xssTitle}`);
  expect(await page.locator('main img, main b').count()).toBe(0);

  // Keyboard only: search a skill, add it with Enter, remove it with Enter;
  // focus returns to the search field each time.
  await page.goto(`${page.url().split('#')[0]}#/employer/new`);
  const search = page.getByRole('group', { name: 'Kompetens som krävs (valfritt)' }).getByRole('searchbox');
  await search.focus();
  await page.keyboard.type('diskning');
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus')).toHaveAttribute('data-code', '9412.01');
  await page.keyboard.press('Enter');
  await expect(search).toBeFocused();
  const chip = page.locator('.chip[data-code="9412.01"]');
  await expect(chip).toBeVisible();
  await chip.getByRole('button', { name: 'Ta bort Diskning och diskmaskin' }).focus();
  await page.keyboard.press('Enter');
  await expect(chip).toHaveCount(0);
  await expect(search).toBeFocused();
  watch.assertClean();
});
