// The admin in a real browser against real processes: import a CSV file
// with a bad row through the file picker and read the row error in the
// table; a file lacking a column or above 16 MiB is refused at the field;
// the export links download what the import accepts.
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, tokens } from './env';
import { expectAccessible, screenshot, signIn, watchPage } from './helpers';

/** data/demo/openings.csv's header and its first data row. */
function demoOpenings(): { header: string; row: string } {
  const [header, row] = fs.readFileSync(path.join(repoRoot, 'data/demo/openings.csv'), 'utf8').split(/\r?\n/);
  return { header, row };
}

test('an admin imports a CSV file with a bad row and reads the row error in the table', async ({ page }) => {
  const watch = watchPage(page);
  await signIn(page, tokens.admin);
  await expect(page.getByRole('heading', { level: 1, name: 'Import och export' })).toBeVisible();
  await screenshot(page, 'admin-data');
  await expectAccessible(page, 'the admin page');

  // Without a kind and a file, the error summary says so.
  await page.getByRole('button', { name: 'Importera' }).click();
  const summary = page.getByTestId('error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText(['Välj vad filen innehåller.', 'Välj en CSV-fil.']);

  // Two rows: one good (a new id), one with a capacity out of range.
  const { header, row } = demoOpenings();
  const columns = header.split(',');
  const capacity = columns.indexOf('capacity');
  expect(capacity).toBeGreaterThan(0);
  const good = row.replace(/^O000001,/, 'O000901,');
  // The title is quoted and holds a comma: split the row after it.
  const bad = good.replace(/^O000901,/, 'O000902,');
  const cells = bad.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '')).slice(0, columns.length);
  cells[capacity] = '0';
  const csv = `${header}\n${good}\n${cells.join(',')}\n`;

  await page.getByLabel('Platser (openings.csv)').check();
  await page.getByLabel('CSV-fil', { exact: true }).setInputFiles({ name: 'openings-test.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  // A check only: the shared test database stays as the other tests expect it.
  await page.getByLabel('Bara kontrollera filen, spara ingenting').check();
  await page.getByRole('button', { name: 'Importera' }).click();

  const result = page.getByTestId('import-result');
  await expect(result.getByRole('heading', { name: 'Resultat av importen av openings-test.csv' })).toBeVisible();
  await expect(result.getByText('Kontroll: ingenting sparades.')).toBeVisible();
  await expect(result.getByTestId('rows-read')).toHaveText('2');
  await expect(result.getByTestId('rows-inserted')).toHaveText('1');
  await expect(result.getByTestId('rows-rejected')).toHaveText('1');
  const table = result.getByTestId('row-errors');
  // Every error is on line 3 (a row may break several rules); the capacity is among them.
  await expect(table.locator('tbody tr').first()).toBeVisible();
  const shown = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent ?? '')));
  expect(shown.map((r) => r[0])).toEqual(shown.map(() => '3'));
  const capacityError = shown.find((r) => r[1] === 'capacity');
  expect(capacityError, JSON.stringify(shown)).toBeDefined();
  expect(capacityError![2]).toBe('0');
  expect(capacityError![3]).toMatch(/1 to 1000/);
  await screenshot(page, 'admin-import-errors');
  await expectAccessible(page, 'the import report');

  // A file whose header lacks a column is refused as a whole, shown at the field.
  await page.getByLabel('CSV-fil', { exact: true }).setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('id,kind\nO000903,work_training\n') });
  await page.getByRole('button', { name: 'Importera' }).click();
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toContainText(/^Filen godtogs inte: .*missing column 'organisation_id'/);

  // A file above the server's 16 MiB is refused in words before anything is sent.
  const imports: string[] = [];
  page.on('request', (r) => { if (r.url().endsWith('/AdminService/ImportData')) imports.push(r.url()); });
  const big = Buffer.alloc(16 * 1024 * 1024 + 1, 'a');
  await page.getByLabel('CSV-fil', { exact: true }).setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: big });
  await page.getByRole('button', { name: 'Importera' }).click();
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText(
    'Filen big.csv är 16,1 MiB, och högst 16 MiB kan importeras på en gång. Dela upp den i mindre filer: raderna läses in efter id, så delarna kan importeras en i taget.');
  await expect(page.locator('#import-file-error')).toContainText('högst 16 MiB');
  await expectAccessible(page, 'a file too large');
  expect(imports).toEqual([]);

  // The export links download CSV the import accepts.
  const link = page.getByRole('link', { name: 'Ladda ned platser (CSV)' });
  await expect(link).toHaveAttribute('href', '/api/export?kind=openings');
  const download = await page.evaluate(async () => {
    const r = await fetch('/api/export?kind=openings');
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  });
  expect(download.status).toBe(200);
  expect(download.type).toContain('text/csv');
  expect(download.text.split('\n')[0]).toBe(header);
  watch.assertClean();
});
