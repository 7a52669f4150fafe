// The security cases of the console, in a real browser against the real
// gateway: no session, another coach's participant, a POST without the
// Connect header (the CSRF guard), markup in data, session expiry, and where
// the session lives.
import { expect, test } from '@playwright/test';
import { shortSessionUrl, strictSignInUrl, tokens, webUrl, xssOpeningId, xssTitle } from './env';
import { expectAccessible, screenshot, signIn, watchPage } from './helpers';

test('without a session every page is the sign-in page, and a deep link survives sign-in', async ({ page }) => {
  const watch = watchPage(page);
  await page.goto(`${webUrl()}/#/coach/participant/P0000012`);
  await expect(page.getByRole('heading', { level: 1, name: 'Logga in' })).toBeVisible();
  await expect(page.getByText('P0000012')).toHaveCount(0);
  await screenshot(page, 'sign-in');
  await expectAccessible(page, 'the sign-in page');

  // A wrong token is refused in words, and the field says so.
  await page.getByLabel('Inloggningsnyckel').fill('not-a-token');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Nyckeln gäller inte. Kontrollera den och försök igen.');
  await expect(page.getByLabel('Inloggningsnyckel')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'the sign-in page with an error');
  await screenshot(page, 'sign-in-error');

  await page.getByLabel('Inloggningsnyckel').fill(tokens.coach);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Deltagare P0000012' })).toBeVisible();

  // The API refuses without a session too.
  const anonymous = await page.request.fetch(`${webUrl()}/placement.v1.ParticipantRegistry/ListParticipants`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'Connect-Protocol-Version': '1', Cookie: '' }, data: '{}',
  });
  expect([200, 401]).toContain(anonymous.status());
  watch.assertClean();
});

test('the session lives only in an HttpOnly cookie: not in script, storage or the address', async ({ page, context }) => {
  await signIn(page, tokens.coach);
  const seen = await page.evaluate(() => ({
    cookie: document.cookie,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    url: location.href,
  }));
  for (const value of Object.values(seen)) {
    expect(value).not.toContain(tokens.coach);
    expect(value).not.toContain('placement_session');
  }
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'placement_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Strict');
  expect(session?.value).toMatch(/^[0-9a-f]{64}$/);
});

test('another coach\'s participant is refused in words', async ({ page }) => {
  const watch = watchPage(page);
  // P0000001 belongs to caseload C1290-01, not to the Haninge coach.
  await signIn(page, tokens.coach, undefined, '#/coach/participant/P0000001');
  await expect(page.getByRole('alert').first()).toContainText(
    'Deltagaren P0000001 finns inte i din deltagarlista. Du kan bara se och ändra dina egna deltagare.');
  await expect(page.locator('form.profile')).toHaveCount(0);
  await expect(page.locator('#suggestion-results')).toHaveCount(0);
  await screenshot(page, 'coach-refused');
  await expectAccessible(page, 'the refused participant page');
  watch.assertClean();
});

test('a POST without the Connect header is refused (CSRF guard), with it the same call works', async ({ page }) => {
  await signIn(page, tokens.coach);
  const url = `${webUrl()}/placement.v1.CoachService/SuggestOpenings`;
  const data = JSON.stringify({ participantId: 'P0000012', k: 3 });
  const refused = await page.request.post(url, { headers: { 'Content-Type': 'application/json' }, data });
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toEqual({ code: 'invalid_argument', message: 'missing header Connect-Protocol-Version: 1' });
  // What a cross-site form could send: no custom header, a form content type.
  const form = await page.request.post(url, { headers: { 'Content-Type': 'text/plain' }, data });
  expect(form.status()).toBe(400);
  const allowed = await page.request.post(url, {
    headers: { 'Content-Type': 'application/json', 'Connect-Protocol-Version': '1' }, data,
  });
  expect(allowed.status()).toBe(200);
  // The pages carry the strict policy and the other headers.
  const index = await page.request.get(`${webUrl()}/`);
  const csp = index.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(index.headers()['x-content-type-options']).toBe('nosniff');
  expect(index.headers()['referrer-policy']).toBe('no-referrer');
});

test('an opening titled with markup shows those characters and runs nothing', async ({ page }) => {
  const watch = watchPage(page);
  const id = xssOpeningId();
  expect(id).toMatch(/^O\d{6}$/);
  await signIn(page, tokens.coach, undefined, '#/coach/participant/P0000012');
  await expect(page.locator('#suggestion-results')).toHaveAttribute('aria-busy', 'false');
  await page.getByLabel('Platsens id').fill(id);
  await page.getByRole('button', { name: 'Förklara' }).click();
  const article = page.locator(`section[aria-labelledby="why-heading"] article[data-opening-id="${id}"]`);
  await expect(article.getByRole('heading', { name: xssTitle })).toBeVisible();
  await expect(article.getByRole('heading', { name: xssTitle })).toHaveText(xssTitle);
  await expect(article.getByText('Testorganisation <b>fet</b>', { exact: false })).toBeVisible();
  // If it is among the suggestions, it shows there as text too.
  const suggested = page.locator(`#suggestion-results article[data-opening-id="${id}"] h3`);
  if (await suggested.count() > 0) await expect(suggested).toHaveText(xssTitle);
  expect(await page.locator('img[src="x"], b').count()).toBe(0);
  await page.waitForTimeout(200);
  await screenshot(page, 'coach-markup-as-text');
  watch.assertClean();
});

test('an idle session ends: the next action shows the sign-in page and says why', async ({ page }) => {
  const watch = watchPage(page);
  // This gateway ends sessions after two idle seconds.
  await signIn(page, tokens.coach, shortSessionUrl());
  await expect(page.getByRole('heading', { level: 1, name: 'Mina deltagare' })).toBeVisible();
  await page.waitForTimeout(3_000);
  await page.getByRole('link', { name: 'Förslag att besluta om' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Logga in' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(
    'Du har loggats ut eftersom du varit inaktiv en längre tid. Logga in igen.');
  await screenshot(page, 'session-expired');
  await expectAccessible(page, 'the sign-in page after expiry');
  // Signing in again leads back where the person was going.
  await page.getByLabel('Inloggningsnyckel').fill(tokens.coach);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Förslag att besluta om' })).toBeVisible();
  watch.assertClean();
});

test('sign-out ends the session on the server', async ({ page }) => {
  await signIn(page, tokens.coach);
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await expect(page.getByText('Du är utloggad.')).toBeVisible();
  const after = await page.request.get(`${webUrl()}/api/session`);
  expect(after.status()).toBe(401);
});

test('repeated failed sign-ins are slowed down, and the page says how long to wait', async ({ page }) => {
  const watch = watchPage(page);
  // This gateway refuses sign-ins for a while after two failures from one address.
  await page.goto(`${strictSignInUrl()}/`);
  const field = page.getByLabel('Inloggningsnyckel');
  const submit = page.getByRole('button', { name: 'Logga in' });
  for (let i = 0; i < 2; i++) {
    await field.fill(`wrong-token-${i}`);
    await submit.click();
    await expect(page.getByRole('alert')).toHaveText('Nyckeln gäller inte. Kontrollera den och försök igen.');
  }
  await field.fill(tokens.coach);
  await submit.click();
  await expect(page.getByRole('alert')).toHaveText(/^För många misslyckade försök\. Vänta \d+ (sekund|sekunder) och försök igen\.$/);
  await screenshot(page, 'sign-in-slowed');
  await expectAccessible(page, 'the sign-in page when slowed down');
  // After the wait the right token works.
  await page.waitForTimeout(2_200);
  await submit.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mina deltagare' })).toBeVisible();
  watch.assertClean();
});
