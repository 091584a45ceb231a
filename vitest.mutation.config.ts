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
    include: ['test/conformance/**/*.test.ts', 'test/model/controller/**/*.test.ts', 'test/model/cluster/distributedControllers.test.ts'],
    testTimeout: 60_000,
    // Keep vitest's default isolation (a fresh module graph per test file): Stryker activates a mutant of a
    // module-level constant ("static" mutant) only by importing the module again, which `isolate: false` prevents,
    // so such mutants would survive whatever the tests check.
  },
});
