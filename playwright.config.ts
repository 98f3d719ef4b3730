import { defineConfig } from '@playwright/test';

// Browser tests run against the built app (dist/) in real Chromium; each test
// starts its own app and model servers and a fresh browser profile.
export default defineConfig({
  testDir: 'tests',
  testMatch: ['e2e/**/*.spec.ts', 'browser/**/*.spec.ts'],
  fullyParallel: false,
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/e2e.json' }]] : 'list',
  globalSetup: './tests/support/globalSetup.ts',
});
