// Mutation testing of the controller layer (`npm run mutation`, docs/ci.md): each mutant of
// src/model/controller/*.ts is run only against the tests that cover it (the vitest runner records coverage per
// test), and only the controller layer's own tests are used: the conformance replays, the controller tests and the
// controllers-on-replicated-bookkeeping test.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: ['src/model/controller/*.ts'],
  testFiles: ['test/conformance/**/*.test.ts', 'test/model/controller/**/*.test.ts', 'test/model/distributedControllers.test.ts'],
  ignorePatterns: ['dist', 'reports', '*.cpuprofile', '.vitest-cache', '.stryker-tmp*'],
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
