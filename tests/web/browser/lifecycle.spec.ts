// A placement's whole life in a real browser against real processes: a
// coach holds a place from a suggestion, sees it among the holds, starts the
// placement, ends it with an outcome, and the timeline shows all of it; a
// placement started directly ends with the participant leaving the
// programme; releasing a hold frees the place, and a place taken meanwhile
// is refused in words; the employer sees the opening's placements as counts
// only.
import { expect, test, type Page } from '@playwright/test';
import { apiClient, publishHaningeOpening, today, type ApiClient } from './api-client';
import { tokens } from './env';
import { expectAccessible, screenshot, signIn, tabTo, watchPage } from './helpers';

test.describe.configure({ timeout: 90_000 });

/** Participants of the Haninge coach who are active in data/demo. */
const kCandidates = ['P0000012', 'P0000013', 'P0000016', 'P0000017', 'P0000051', 'P0000057', 'P0000063', 'P0000073'];

/** The first `n` candidates for whom the opening is possible (ExplainMatch), so the test does not hang on the data. */
async function eligibleFor(coach: ApiClient, openingId: string, n: number): Promise<string[]> {
  const found: string[] = [];
  for (const participantId of kCandidates) {
    const match = await coach.call<{ eligible?: boolean }>('CoachService', 'ExplainMatch', { participantId, openingId });
    if (match.eligible) found.push(participantId);
    if (found.length === n) return found;
  }
  throw new Error(`only ${found.length} of the candidates can take ${openingId}`);
}

/** Opens a participant's page and waits until the opening is among the suggestions (asking for 50 if need be). */
async function openWithSuggestion(page: Page, participantId: string, openingId: string): Promise<void> {
  await page.goto(`${new URL(page.url()).origin}/#/coach/participant/${participantId}`);
  await expect(page.getByRole('heading', { level: 1, name: `Deltagare ${participantId}` })).toBeVisible();
  const results = page.locator('#suggestion-results');
  await expect.poll(async () => Number(await results.getAttribute('data-rendered'))).toBeGreaterThan(0);
  await expect(results).toHaveAttribute('aria-busy', 'false');
  if (await page.locator(`#suggestion-results article[data-opening-id="${openingId}"]`).count() === 0) {
    await page.getByLabel('Antal förslag').selectOption('50');
  }
  await expect(page.locator(`#suggestion-results article[data-opening-id="${openingId}"]`)).toBeVisible();
  await expect(page.getByTestId('holds')).toBeVisible();
}

/** The n-th working day (Monday–Friday) after today in Swedish time, as the page words it ("fredag 4 december 2026"). */
function workingDaysAhead(n: number): string {
  const { year, month, day } = today();
  const date = new Date(Date.UTC(year, month - 1, day));
  for (let counted = 0; counted < n;) {
    date.setUTCDate(date.getUTCDate() + 1);
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) counted++;
  }
  return new Intl.DateTimeFormat('sv-SE', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

function suggestion(page: Page, openingId: string) {
  return page.locator(`#suggestion-results article[data-opening-id="${openingId}"]`);
}

async function timelineTexts(page: Page): Promise<string[]> {
  return page.locator('[data-testid="timeline"] ol.timeline li').allInnerTexts();
}

test('a coach holds a place from a suggestion, starts and ends the placement; the timeline and the employer\'s counts show it', async ({ page, browser }) => {
  const watch = watchPage(page);
  const employer = await apiClient(tokens.employer);
  const coach = await apiClient(tokens.coach);
  try {
    const title = 'Kök och servering (livscykel)';
    const openingId = await publishHaningeOpening(employer, title, 3);
    const [first, second] = await eligibleFor(coach, openingId, 2);
    const name = `${title} (${openingId})`;

    await signIn(page, tokens.coach);
    await openWithSuggestion(page, first, openingId);
    await expect(page.getByTestId('holds')).toContainText('Ingen plats är reserverad för deltagaren.');
    await expect(page.getByTestId('life')).toContainText('Deltagaren har ingen pågående placering.');
    await expect(suggestion(page, openingId)).toContainText('3 av 3 platser lediga');

    // Hold from the suggestion for the server's standard time (3 working days).
    await suggestion(page, openingId).getByRole('button', { name: 'Reservera plats …' }).click();
    const days = suggestion(page, openingId).getByLabel('Hur länge ska platsen vara reserverad?');
    await expect(days).toBeFocused();
    await expect(days).toHaveValue('0');
    await expectAccessible(page, 'the hold form on a suggestion');
    const holdRequest = page.waitForRequest((r) => r.url().endsWith('/placement.v1.PlacementService/HoldPlace'));
    await suggestion(page, openingId).getByRole('button', { name: 'Reservera platsen' }).click();
    expect((await holdRequest).postDataJSON()).toEqual({ participantId: first, openingId, workingDays: 0 });
    const notice = page.getByTestId('life-notice');
    await expect(notice).toContainText(`Platsen ${name} är reserverad för ${first} till och med ${workingDaysAhead(3)}.`);
    await expect(notice).toBeFocused();

    // The hold, with its expiry, among the participant's holds; the server agrees.
    const holds = await coach.call<{ holds: { holdId: string; expiresAt: string }[] }>('PlacementService', 'ListHolds', { participantId: first });
    expect(holds.holds).toHaveLength(1);
    const hold = page.locator(`[data-hold-id="${holds.holds[0].holdId}"]`);
    await expect(hold.getByRole('heading', { name })).toBeVisible();
    // Three working days after today, told by its last day (the hold ends at that day's end).
    await expect(hold).toContainText(`Reserverad till och med ${workingDaysAhead(3)}`);
    // The place counts as held for everyone: one free place fewer.
    await expect(suggestion(page, openingId)).toContainText('2 av 3 platser lediga');
    // One hold at a time: no more "hold" buttons on the suggestions.
    await expect(page.getByRole('button', { name: 'Reservera plats …' })).toHaveCount(0);
    await screenshot(page, 'coach-hold');
    await expectAccessible(page, 'the participant page with a hold');

    // Start the placement from the hold, today.
    await hold.getByRole('button', { name: 'Starta placeringen' }).click();
    await expect(notice).toContainText(`Placeringen på ${name} startar `);
    await expect(page.locator('p.meta').first()).toContainText('Placerad');
    const running = page.getByTestId('running-placement');
    await expect(running).toContainText(`Placerad på ${name} sedan `);
    await expect(page.getByTestId('holds')).toContainText('Ingen plats är reserverad för deltagaren.');

    // Ending needs an outcome: the error summary says so and links to the field.
    await running.getByRole('button', { name: 'Avsluta placeringen' }).click();
    const summary = running.getByTestId('error-summary');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('Välj hur placeringen slutade.');
    await expectAccessible(page, 'the end form with an error');
    await summary.getByRole('link', { name: 'Välj hur placeringen slutade.' }).click();
    await expect(running.getByLabel('Genomförd som planerat')).toBeFocused();

    // Moved up asks for the new step.
    await running.getByLabel('Gick vidare till ett högre steg').check();
    await running.getByRole('button', { name: 'Avsluta placeringen' }).click();
    await expect(summary).toContainText('Välj vilket steg deltagaren har gått vidare till.');
    const before = await coach.call<{ step?: number }>('ParticipantRegistry', 'GetParticipant', { participantId: first });
    const toStep = (before.step ?? 0) + 1;
    await running.getByLabel('Vilket steg har deltagaren gått vidare till?').selectOption(String(toStep));
    const endRequest = page.waitForRequest((r) => r.url().endsWith('/placement.v1.PlacementService/EndPlacement'));
    await running.getByRole('button', { name: 'Avsluta placeringen' }).click();
    const endBody = (await endRequest).postDataJSON() as Record<string, unknown>;
    expect(endBody).toMatchObject({ outcome: 'PLACEMENT_OUTCOME_MOVED_UP', toStep, leavesProgramme: false });
    await expect(notice).toHaveText('Placeringen är avslutad: Gick vidare till ett högre steg.');
    await expect(page.getByTestId('running-placement')).toHaveCount(0);
    await expect(page.locator('p.meta').first()).toContainText(`Steg ${toStep}`);
    await expect(page.locator('p.meta').first()).toContainText('Aktiv');
    // The profile form takes the new step and status, and has nothing unsaved.
    await expect(page.locator('#step')).toHaveValue(String(toStep));
    await expect(page.locator('#status')).toHaveValue('PARTICIPANT_STATUS_ACTIVE');
    await expect(page.getByText('Inga osparade ändringar.')).toBeVisible();

    // The timeline tells all of it, in date order, in words.
    const texts = await timelineTexts(page);
    const at = (pattern: string) => texts.findIndex((x) => x.includes(pattern));
    const heldAt = at(`Plats reserverad: ${name}.`);
    const startedAt = at(`Placeringen startade: ${name}. Från en reservation.`);
    const endedAt = at(`Placeringen avslutades: ${name}. Resultat: Gick vidare till ett högre steg. Nytt steg: Steg ${toStep}`);
    const stepAt = at(`till Steg ${toStep}`);
    expect(heldAt, texts.join('\n')).toBeGreaterThanOrEqual(0);
    expect(at(`Reservationen blev en placering: ${name}.`)).toBeGreaterThan(heldAt);
    expect(startedAt).toBeGreaterThan(heldAt);
    expect(endedAt).toBeGreaterThan(startedAt);
    expect(stepAt).toBeGreaterThanOrEqual(0);
    expect(texts[stepAt]).toContain('Efter en placering.');
    expect(texts[endedAt]).toContain('av C0136-01');
    await expect(page.locator('[data-testid="timeline"] li time').first()).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}$/);
    await screenshot(page, 'coach-timeline');
    await expectAccessible(page, 'the participant page after a placement ended');

    // A placement started directly, ended for health reasons with the participant leaving the programme.
    await openWithSuggestion(page, second, openingId);
    await page.getByText('Starta en placering direkt, utan reservation').click();
    await page.getByLabel('Id för platsen där placeringen startar').fill('X1');
    await page.getByRole('form', { name: 'Starta en placering direkt, utan reservation' }).getByRole('button', { name: 'Starta placeringen' }).click();
    await expect(page.getByTestId('life').getByTestId('error-summary')).toContainText('Ett plats-id är ett O följt av sex siffror');
    await page.locator('#direct-opening').fill(openingId);
    await page.getByRole('form', { name: 'Starta en placering direkt, utan reservation' }).getByRole('button', { name: 'Starta placeringen' }).click();
    await expect(page.getByTestId('life-notice')).toContainText(`Placeringen på ${name} startar `);
    const running2 = page.getByTestId('running-placement');
    await running2.getByLabel('Avbruten av hälsoskäl').check();
    await running2.getByLabel('Deltagaren lämnar programmet').check();
    await running2.getByRole('button', { name: 'Avsluta placeringen' }).click();
    await expect(page.getByTestId('life-notice')).toHaveText('Placeringen är avslutad: Avbruten av hälsoskäl. Deltagaren har lämnat programmet.');
    await expect(page.locator('p.meta').first()).toContainText('Har lämnat programmet');
    await expect(page.getByTestId('life')).toContainText('Deltagaren lämnade programmet ');
    await expect(page.getByTestId('life')).toContainText('Bara en aktiv deltagare kan få en plats reserverad eller en placering startad.');
    const texts2 = await timelineTexts(page);
    expect(texts2.some((x) => x.includes(`Placeringen startade: ${name}. Startad direkt.`)), texts2.join('\n')).toBe(true);
    expect(texts2.some((x) => x.includes('Resultat: Avbruten av hälsoskäl. Deltagaren lämnade programmet.'))).toBe(true);
    watch.assertClean();

    // The employer sees counts only: two ended, one moved up, one interrupted (not why), nobody named.
    const context = await browser.newContext();
    const employerPage = await context.newPage();
    const employerWatch = watchPage(employerPage);
    const bodies: string[] = [];
    employerPage.on('response', async (r) => {
      if (r.url().includes('/placement.v1.')) bodies.push(await r.text().catch(() => ''));
    });
    await signIn(employerPage, tokens.employer);
    await employerPage.goto(`${new URL(employerPage.url()).origin}/#/employer/opening/${openingId}`);
    const counts = employerPage.getByTestId('placement-counts');
    await expect(counts.getByRole('heading', { name: 'Placeringar på platsen' })).toBeVisible();
    const row = (field: string) => counts.locator(`tr[data-count="${field}"] td`);
    await expect(row('current')).toHaveText('0');
    await expect(row('ended')).toHaveText('2');
    await expect(row('movedUp')).toHaveText('1');
    await expect(row('interrupted')).toHaveText('1');
    await expect(row('completed')).toHaveText('0');
    await expect(row('placesHeld')).toHaveText('0');
    const api = await employer.call<Record<string, number>>('PlacementService', 'GetOpeningPlacementCounts', { openingId });
    expect(api).toMatchObject({ ended: 2, movedUp: 1, interrupted: 1 });
    const dom = await employerPage.locator('main').innerText();
    for (const secret of [first, second, 'hälsoskäl', 'HEALTH']) {
      expect(dom).not.toContain(secret);
      expect(bodies.some((b) => b.includes(secret)), `${secret} in a response`).toBe(false);
    }
    await screenshot(employerPage, 'employer-placement-counts');
    await expectAccessible(employerPage, 'the opening page with placement counts');
    employerWatch.assertClean();
    await context.close();
  } finally {
    await employer.dispose();
    await coach.dispose();
  }
});

test('releasing a hold frees the place; a place taken meanwhile is refused in words', async ({ page }) => {
  const watch = watchPage(page);
  const employer = await apiClient(tokens.employer);
  const coach = await apiClient(tokens.coach);
  try {
    const title = 'Sista platsen (livscykel)';
    const openingId = await publishHaningeOpening(employer, title, 1);
    const [mine, theirs] = await eligibleFor(coach, openingId, 2);

    await signIn(page, tokens.coach);
    await openWithSuggestion(page, mine, openingId);
    await expect(suggestion(page, openingId)).toContainText('1 av 1 platser lediga');
    await suggestion(page, openingId).getByRole('button', { name: 'Reservera plats …' }).click();
    await suggestion(page, openingId).getByLabel('Hur länge ska platsen vara reserverad?').selectOption('5');

    // Meanwhile the last place is held for someone else.
    const other = await coach.call<{ holdId: string }>('PlacementService', 'HoldPlace', { participantId: theirs, openingId, workingDays: 2 });
    expect(other.holdId).toMatch(/^H\d{7}$/);
    await suggestion(page, openingId).getByRole('button', { name: 'Reservera platsen' }).click();
    const refusal = suggestion(page, openingId).getByRole('alert');
    await expect(refusal).toContainText('Den sista lediga platsen togs alldeles nyss av någon annan. Välj en annan plats.');
    await expectAccessible(page, 'a hold refused because the last place was taken');

    // The other participant's page: release the hold there.
    await page.goto(`${new URL(page.url()).origin}/#/coach/participant/${theirs}`);
    const held = page.locator(`[data-hold-id="${other.holdId}"]`);
    await expect(held).toContainText(`Reserverad till och med ${workingDaysAhead(2)}`);
    await held.getByRole('button', { name: 'Släpp reservationen' }).click();
    await expect(page.getByTestId('life-notice')).toHaveText(`Reservationen av ${title} (${openingId}) är släppt. Platsen är ledig för andra igen.`);
    await expect(page.getByTestId('holds')).toContainText('Ingen plats är reserverad för deltagaren.');
    const opening = await employer.call<{ placesHeld?: number; placesTaken?: number }>('EmployerService', 'GetOpening', { openingId });
    expect(opening.placesHeld ?? 0).toBe(0);
    const texts = await timelineTexts(page);
    expect(texts.some((x) => x.includes(`Reservationen släpptes: ${title} (${openingId}).`)), texts.join('\n')).toBe(true);

    // The freed place can be held again, for 5 working days.
    await openWithSuggestion(page, mine, openingId);
    await expect(suggestion(page, openingId)).toContainText('1 av 1 platser lediga');
    await suggestion(page, openingId).getByRole('button', { name: 'Reservera plats …' }).click();
    await suggestion(page, openingId).getByLabel('Hur länge ska platsen vara reserverad?').selectOption('5');
    const holdRequest = page.waitForRequest((r) => r.url().endsWith('/placement.v1.PlacementService/HoldPlace'));
    await suggestion(page, openingId).getByRole('button', { name: 'Reservera platsen' }).click();
    expect((await holdRequest).postDataJSON()).toMatchObject({ workingDays: 5 });
    await expect(page.getByTestId('life-notice')).toContainText(`är reserverad för ${mine} till och med ${workingDaysAhead(5)}.`);
    await expect(page.getByTestId('holds').locator('li')).toHaveCount(1);
    // And released again from the page, so the place is free.
    await page.getByTestId('holds').getByRole('button', { name: 'Släpp reservationen' }).click();
    await expect(page.getByTestId('holds')).toContainText('Ingen plats är reserverad för deltagaren.');
    await expect(suggestion(page, openingId)).toContainText('1 av 1 platser lediga');
    watch.assertClean();
  } finally {
    await employer.dispose();
    await coach.dispose();
  }
});

test('holding, starting and ending a placement work with the keyboard alone', async ({ page }) => {
  const watch = watchPage(page);
  const employer = await apiClient(tokens.employer);
  const coach = await apiClient(tokens.coach);
  try {
    const title = 'Tangentbordet (livscykel)';
    const openingId = await publishHaningeOpening(employer, title, 2);
    const [participantId] = await eligibleFor(coach, openingId, 1);
    await signIn(page, tokens.coach);
    await openWithSuggestion(page, participantId, openingId);

    // From here on nothing is clicked: Tab, arrow keys, Space and Enter.
    await tabTo(page, `#suggestion-results article[data-opening-id="${openingId}"] button.hold-button`, 400);
    await page.keyboard.press('Enter');
    const days = page.locator(`#hold-${openingId}-days`);
    await expect(days).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(days).toHaveValue('1');
    const holdRequest = page.waitForRequest((r) => r.url().endsWith('/placement.v1.PlacementService/HoldPlace'));
    await tabTo(page, `#suggestion-results article[data-opening-id="${openingId}"] form.hold-form button[type="submit"]`, 5);
    await page.keyboard.press('Enter');
    expect((await holdRequest).postDataJSON()).toMatchObject({ workingDays: 1 });
    const notice = page.getByTestId('life-notice');
    await expect(notice).toBeFocused();
    await expect(notice).toContainText(`till och med ${workingDaysAhead(1)}.`);

    // Start from the hold: the start date is today already.
    await tabTo(page, '[data-hold-id] form button[type="submit"]', 10);
    await page.keyboard.press('Enter');
    await expect(notice).toContainText(`Placeringen på ${title} (${openingId}) startar `);
    await expect(notice).toBeFocused();

    // End: the first outcome by Space, then the form by Enter.
    await tabTo(page, 'input[name="end-outcome"]', 10);
    await page.keyboard.press('Space');
    await expect(page.locator('#end-outcome-PLACEMENT_OUTCOME_COMPLETED')).toBeChecked();
    await tabTo(page, '.end-form button[type="submit"]', 15);
    await page.keyboard.press('Enter');
    await expect(notice).toHaveText('Placeringen är avslutad: Genomförd som planerat.');
    await expect(notice).toBeFocused();
    await expect(page.getByTestId('timeline')).toContainText(`Placeringen avslutades: ${title} (${openingId}). Resultat: Genomförd som planerat.`);
    watch.assertClean();
  } finally {
    await employer.dispose();
    await coach.dispose();
  }
});
