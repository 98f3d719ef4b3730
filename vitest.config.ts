import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The app's JSX (Preact), for the test that imports every module of src/.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
