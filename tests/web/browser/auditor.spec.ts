// The auditor in a real browser: signing in lands on a start page that
// points to the CLI (the console has no review pages yet), with the role in
// the header, and nothing else is offered.
import { expect, test } from '@playwright/test';
import { tokens } from './env';
import { expectAccessible, signIn, watchPage } from './helpers';

test('an auditor signs in and is pointed to the CLI', async ({ page }) => {
  const watch = watchPage(page);
  await signIn(page, tokens.auditor);
  await expect(page.getByRole('heading', { level: 1, name: 'Granskning av åtkomstloggen' })).toBeVisible();
  await expect(page.getByText('placement --token=… audit log')).toBeVisible();
  await expect(page.getByText('Inloggad: AUD-0001 (granskare)')).toBeVisible();
  await expectAccessible(page, 'the auditor start page');
  watch.assertClean();
});
