// Where things are: the repository, the built binaries, the built console,
// the artifact folder; and what the global setup hands the tests.
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');
export const buildDir = process.env.PLACEMENT_BUILD_DIR ?? path.join(repoRoot, 'build/release');
export const consoleDir = process.env.PLACEMENT_CONSOLE_DIR ?? path.join(repoRoot, 'build/web-console');
export const artifactDir = process.env.PLACEMENT_WEB_ARTIFACTS ?? path.join(buildDir, 'web-artifacts');
export const chromiumPath = process.env.PLACEMENT_CHROMIUM ?? '/usr/bin/chromium';

/** Demo sign-ins (data/demo/credentials.csv). */
export const tokens = {
  coach: 'demo-coach-haninge-0136-01',
  otherCoach: 'demo-coach-malmo-1280-04',
  employer: 'demo-employer-contact-token-1',
  operator: 'demo-operator-token-0001',
  admin: 'demo-admin-token-00000001',
  auditor: 'demo-auditor-token-00000001',
};

/** Set by global-setup.ts for the workers. */
export function webUrl(): string {
  const url = process.env.PLACEMENT_TEST_WEB_URL;
  if (!url) throw new Error('PLACEMENT_TEST_WEB_URL unset: run through playwright.config.ts');
  return url;
}

/** A second gateway whose sessions end after two idle seconds. */
export function shortSessionUrl(): string {
  const url = process.env.PLACEMENT_TEST_SHORT_SESSION_URL;
  if (!url) throw new Error('PLACEMENT_TEST_SHORT_SESSION_URL unset');
  return url;
}

/** A third gateway that slows sign-ins down after two failures. */
export function strictSignInUrl(): string {
  const url = process.env.PLACEMENT_TEST_STRICT_URL;
  if (!url) throw new Error('PLACEMENT_TEST_STRICT_URL unset');
  return url;
}

/** The opening whose title is markup, published by the global setup. */
export const xssTitle = '<img src=x onerror=alert(1)>';
export function xssOpeningId(): string {
  return process.env.PLACEMENT_TEST_XSS_OPENING ?? '';
}
