import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

/**
 * The vitest configuration `npm run mutation` (stryker.config.mjs) runs the controller tests with. It is the
 * main configuration without test/setup.ts: that file only turns on the invariant checkers of `runScenario`,
 * which no controller or conformance test calls, yet importing it loads the whole simulator again for every
 * mutant, several times slower than the tests themselves.
 */
export default defineConfig({
  resolve: {
    alias: { owsim: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/conformance/**/*.test.ts', 'test/model/controller/**/*.test.ts', 'test/model/distributedControllers.test.ts'],
    testTimeout: 60_000,
    // One module graph per worker instead of one per test file: each mutant run imports the controller code once,
    // not once per test file that covers it. No test here keeps state between files.
    isolate: false,
  },
});
