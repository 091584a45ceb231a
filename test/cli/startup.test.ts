/**
 * Start-up stays light (issue 16 item 20): the command line's entry module imports no command, chart, canvas,
 * worker-pool or simulator code eagerly; each command loads when chosen. The time itself is a figure in
 * `npm run bench` (startupBench.ts), not a timed test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const eagerImports = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*? from '([^']+)';/gms)].map((m) => m[1]!);

describe('owsim start-up', () => {
  it('main.ts imports commands, reporters and the simulator only lazily', () => {
    const eager = eagerImports('src/cli/main.ts');
    expect(eager.filter((m) => m.includes('/commands/'))).toEqual([]);
    expect(eager).not.toContain('../report/reporters.js');
    expect(eager.some((m) => /chart|canvas|piscina|runScenario|sweep/.test(m))).toBe(false);
  });

  it('the default dependencies load the simulator on the first run, not at import', () => {
    expect(eagerImports('src/cli/defaultDeps.ts')).not.toContain('../runScenario.js');
  });
});
