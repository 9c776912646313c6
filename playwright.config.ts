import { defineConfig } from '@playwright/test';

// Browser end-to-end tests in Debian's Chromium (never a downloaded browser).
// The backend serves the built app (yarn workspace app build) on :7007 with a
// fresh SQLite directory, like a single-container deployment.
const port = Number(process.env.PAVED_E2E_PORT ?? 7007);
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: true,
  retries: 0,
  workers: 1,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'artifacts/e2e-report' }]],
  outputDir: 'artifacts/e2e-results',
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: 'node scripts/e2e-backend.mjs',
    url: `${baseURL}/.backstage/health/v1/readiness`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { PAVED_E2E_PORT: String(port) },
  },
});
