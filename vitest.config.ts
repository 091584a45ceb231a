import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';

export default defineConfig({
  resolve: {
    // Tests exercise the sources, not the build, so the package self-reference points at src.
    alias: { owsim: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Invariant checkers on for every run the tests make (test/setup.ts).
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one fork fewer than the cores: on the 2-core CI machine that is one file at a time,
    // while most of a file's time is its own single thread. Two forks there: 472 s → 341 s for the whole suite.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
