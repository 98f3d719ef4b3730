import { defineConfig } from 'vitest/config';

// WebKitGTK suites (tests/webkit): slow, one browser at a time.
export default defineConfig({
  test: {
    include: ['tests/webkit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
