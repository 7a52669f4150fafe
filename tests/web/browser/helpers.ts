// Shared steps of the browser tests: sign-in, the axe-core check, screenshots,
// timings, and a watch on what the page must never do (CSP violations,
// dialogs, script errors).
import { expect, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { artifactDir, repoRoot, webUrl } from './env';

function allowedOrigins(): string[] {
  return [process.env.PLACEMENT_TEST_WEB_URL, process.env.PLACEMENT_TEST_SHORT_SESSION_URL,
    process.env.PLACEMENT_TEST_STRICT_URL]
    .filter((u): u is string => !!u).map((u) => new URL(u).origin);
}

const axeSource = fs.readFileSync(path.join(repoRoot, 'web/console/node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * Records what must not happen on a page: Content-Security-Policy violations,
 * uncaught errors, any dialog (an alert would mean injected script ran) and
 * any request to another origin (the console is self-contained).
 * Call `assertClean()` at the end of a test.
 */
export function watchPage(page: Page) {
  const problems: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // Self-contained: the console fetches nothing from any other origin.
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url === 'about:blank') return;
    const origin = new URL(url).origin;
    if (!allowedOrigins().includes(origin)) problems.push(`request to another origin: ${url}`);
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
  return {
    problems,
    assertClean: () => expect(problems, problems.join('\n')).toEqual([]),
  };
}

/** Opens the console and signs in with a token through the sign-in form. */
export async function signIn(page: Page, token: string, base = webUrl(), hash = ''): Promise<void> {
  await page.goto(`${base}/${hash}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Logga in' })).toBeVisible();
  await page.getByLabel('Inloggningsnyckel').fill(token);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();
}

/** Runs axe-core's WCAG 2.1 A and AA rules on the page; fails on any violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // page.evaluate runs outside the page's CSP, so the page keeps its strict policy.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  const violations = result.violations as { id: string; help: string; nodes: { target: string[]; failureSummary?: string }[] }[];
  const text = violations.map((v) => `${v.id}: ${v.help}\n${v.nodes.slice(0, 5)
    .map((n) => `  ${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n')}`).join('\n');
  expect(violations, `axe WCAG 2.1 A/AA violations on ${what}:\n${text}`).toEqual([]);
}

/** A full-page screenshot into the artifact folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(artifactDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactDir, `${name}.png`), fullPage: true });
}

/** Records a measured figure (reported, never asserted) in timings-<run>.json and the log. */
export function report(name: string, milliseconds: number): void {
  fs.mkdirSync(artifactDir, { recursive: true });
  const file = path.join(artifactDir, `timings-${process.env.PLACEMENT_WEB_RUN ?? 'all'}.json`);
  let all: Record<string, number> = {};
  try {
    all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>;
  } catch {
    all = {};
  }
  all[name] = Math.round(milliseconds * 10) / 10;
  fs.writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
  console.log(`measured: ${name} = ${all[name]} ms`);
}

/**
 * Presses Tab (at most `limit` times) until the focused element is the one
 * `selector` finds; fails otherwise. Keyboard only: nothing is clicked.
 */
export async function tabTo(page: Page, selector: string, limit = 60, shift = false): Promise<void> {
  // Wait until the target is on the page (data may still be loading).
  await page.locator(selector).first().waitFor({ state: 'visible' });
  for (let i = 0; i < limit; i++) {
    const here = await page.evaluate((sel) => {
      const target = document.querySelector(sel);
      return target !== null && document.activeElement === target;
    }, selector);
    if (here) return;
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab did not reach ${selector} in ${limit} presses`);
}
