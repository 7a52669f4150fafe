// The coach's main task with the keyboard alone: sign in, find a participant,
// change the travel mode, read the suggestions, accept a proposal. Nothing is
// clicked; every step is Tab, typing, arrow keys, Enter or Space.
import { expect, test } from '@playwright/test';
import { tokens, webUrl } from './env';
import { tabTo, watchPage } from './helpers';

test('the coach flow works with the keyboard alone', async ({ page }) => {
  const watch = watchPage(page);
  await page.goto(`${webUrl()}/`);
  await expect(page.getByRole('heading', { level: 1, name: 'Logga in' })).toBeVisible();

  // The skip link comes first and focus is visible on it.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Hoppa till innehållet' })).toBeFocused();
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).not.toBe('none');

  await tabTo(page, '#token');
  await page.keyboard.type(tokens.coach);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Mina deltagare' })).toBeFocused();

  // Find the participant by typing in the search field, then follow the link.
  await tabTo(page, '#caseload-search');
  await page.keyboard.type('P0000016');
  await expect(page.getByText('Visar 1 av')).toBeVisible();
  await tabTo(page, 'a[href="#/coach/participant/P0000016"]');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Deltagare P0000016' })).toBeFocused();
  const results = page.locator('#suggestion-results');
  await expect.poll(async () => Number(await results.getAttribute('data-rendered'))).toBeGreaterThan(0);
  const rendered = Number(await results.getAttribute('data-rendered'));
  const before = await results.locator('article.match').evaluateAll((n) => n.map((x) => x.getAttribute('data-opening-id')));

  // Change the travel mode with the arrow keys and save with Enter.
  await tabTo(page, '#travel-mode', 250);
  await expect(page.locator('#travel-mode')).toHaveValue('TRAVEL_MODE_PUBLIC_TRANSPORT');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('#travel-mode')).toHaveValue('TRAVEL_MODE_WALK');
  await tabTo(page, 'form.profile button[type="submit"]', 250);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Sparat: färdsätt.' })).toBeVisible();
  await expect.poll(async () => Number(await results.getAttribute('data-rendered'))).toBeGreaterThan(rendered);
  const after = await results.locator('article.match').evaluateAll((n) => n.map((x) => x.getAttribute('data-opening-id')));
  expect(after).not.toEqual(before);

  // The suggestions' reasons are reachable: a reasons block toggles with the keyboard.
  if (after.length > 0) {
    await tabTo(page, '#suggestion-results details summary');
    await page.keyboard.press('Enter');
    await expect(page.locator('#suggestion-results details').first()).not.toHaveAttribute('open', '');
    await page.keyboard.press('Enter');
    await expect(page.locator('#suggestion-results details').first()).toHaveAttribute('open', '');
  }

  // The map's dots are reachable and say what they are; Enter explains one.
  const dot = page.locator('.map a.map-point').first();
  if (await dot.count() > 0) {
    await tabTo(page, '.map a.map-point', 200);
    await expect(page.locator('.map-focus')).not.toHaveText('Peka på eller tabba till en punkt för att se vad den är.');
    // The focused dot shows it: a thick ring in the focus colour.
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement!.querySelector('circle')!).strokeWidth);
    expect(ring).toBe('3.5px');
    await page.keyboard.press('Enter');
    await expect(page.locator('#why-heading')).toBeFocused();
  }

  // To the proposal inbox through the main menu, and accept the first proposal.
  await tabTo(page, 'nav a[href="#/coach/proposals"]', 300, true);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Förslag att besluta om' })).toBeFocused();
  const accept = page.locator('li.proposal button.primary').first();
  await expect(accept).toBeVisible();
  const id = await page.locator('li.proposal').first().getAttribute('data-proposal-id');
  await tabTo(page, `li.proposal[data-proposal-id="${id}"] button.primary`, 80);
  await page.keyboard.press('Enter');
  await expect(page.locator(`li.proposal[data-proposal-id="${id}"] .badge`)).toHaveText('Accepterat');
  await expect(page.getByRole('status').filter({ hasText: 'Accepterat:' })).toBeVisible();

  // Sign out with the keyboard.
  await tabTo(page, 'header button:not([lang])', 300, true);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Du är utloggad.')).toBeVisible();
  watch.assertClean();
});
