import base from './playwright.config';
import { defineConfig } from '@playwright/test';

// The browser audits (packages/app/e2e-audits): same backend and Chromium as
// the browser tests, not part of ./platform test.
export default defineConfig({
  ...base,
  testDir: 'packages/app/e2e-audits',
  testMatch: '**/*.audit.ts',
});
