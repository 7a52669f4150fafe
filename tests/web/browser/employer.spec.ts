// The employer contact in a real browser against real processes: publish an
// opening with the pickers, change one field (only it is sent in the update
// mask), see candidates, pause, reopen and close it with a reason; read the
// supply gaps. No code or label of the support-need catalogue may reach
// these pages: not in the DOM, not in any request, not in any response.
import { expect, test, type Page } from '@playwright/test';
import { tokens, xssOpeningId, xssTitle } from './env';
import { expectAccessible, screenshot, signIn, watchPage } from './helpers';
import { needTermsIn, recordTraffic, supportNeedTerms } from './support-need-terms';

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

test('supply gaps are drawn per municipality, small counts withheld, and no support need is shown', async ({ page }) => {
  const watch = watchPage(page);
  await signIn(page, tokens.employer);
  await page.getByRole('link', { name: 'Saknade platser' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Saknade platser' })).toBeVisible();

  // The overview: one bar per municipality, largest first, names not codes.
  const overview = page.getByTestId('gaps-overview');
  await expect(overview.locator('svg[role="img"]')).toBeVisible();
  const labels = await overview.locator('svg .bar-chart-label').allTextContents();
  expect(labels.length).toBeGreaterThan(0);
  for (const l of labels) expect(l).not.toMatch(/^\d{4}$/);

  // The chart's numbers are the API's: compare with GetSupplyGaps itself.
  const api = await page.evaluate(async () => {
    const r = await fetch('/placement.v1.EmployerService/GetSupplyGaps', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Connect-Protocol-Version': '1' }, body: '{}',
    });
    return (await r.json()) as { municipalities: { municipalityCode: string; fieldGaps: { participants: number; suppressed: boolean; occupationField: string }[] }[] };
  });
  const wishes = (m: (typeof api.municipalities)[number]) =>
    m.fieldGaps.reduce((s, g) => s + (g.suppressed ? 0 : g.participants), 0);
  const top = [...api.municipalities].filter((m) => wishes(m) > 0).sort((a, b) => wishes(b) - wishes(a))[0];
  const firstRow = overview.locator('svg .bar-chart-row').first();
  await expect(firstRow).toHaveAttribute('data-key', top.municipalityCode);
  await expect(firstRow.locator('.bar-chart-value')).toContainText(`${wishes(top)} önskemål`);

  // The detail of the top municipality: one row per field, withheld ones drawn as withheld.
  await expect(page.getByLabel('Visa yrkesområden i kommunen')).toHaveValue(top.municipalityCode);
  const detail = page.getByTestId('gaps-detail');
  await expect(detail.locator('svg .bar-chart-row')).toHaveCount(top.fieldGaps.length);
  const suppressed = top.fieldGaps.filter((g) => g.suppressed).length;
  await expect(detail.locator('svg .bar-chart-row.withheld')).toHaveCount(suppressed);
  await expect(detail.locator('svg .bar-chart-row.withheld .bar-chart-bar')).toHaveCount(0);
  if (suppressed > 0) {
    await expect(detail.locator('svg .bar-chart-row.withheld .bar-chart-value').first()).toHaveText('undanhållet (färre än 5)');
  }
  // The text alternative holds the same rows.
  await detail.getByText('Visa som tabell').click();
  await expect(detail.locator('table tbody tr')).toHaveCount(top.fieldGaps.length);

  // The check is not blind: the API's own answer counts needs per municipality.
  expect(needTermsIn(JSON.stringify(api), terms).length).toBeGreaterThan(0);
  await expectNoNeedTermsInDom(page, 'the supply gaps');
  await screenshot(page, 'employer-supply-gaps');
  await expectAccessible(page, 'the supply gaps');
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
