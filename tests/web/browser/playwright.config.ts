// Browser tests of the web console: Debian's Chromium (never a downloaded
// browser) against real placement-server and placement-web processes that
// global-setup.ts starts on loopback. One worker: the tests share one
// database and change it (a profile, a decided proposal).
import { defineConfig } from '@playwright/test';
import * as path from 'node:path';
import { artifactDir, chromiumPath } from './env';

export default defineConfig({
  testDir: __dirname,
  testMatch: /.*\.spec\.ts$/,
  globalSetup: path.join(__dirname, 'global-setup.ts'),
  outputDir: path.join(artifactDir, 'test-results', process.env.PLACEMENT_WEB_RUN ?? 'all'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  globalTimeout: 240_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    viewport: { width: 1280, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
