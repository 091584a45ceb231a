/**
 * Placement policy and balancer modules end to end through `owsim run` (in process, real library): the
 * done-when check of docs/extending.md (a round-robin module taken from the docs spreads evenly over the
 * healthy invokers, and two runs give the same summary.json bytes), the other documented examples, options
 * validation, and every way a module can misbehave (exit 2, file, line, activation, no stack without --debug).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/helpers.js';
import type { Summary } from '../../../src/report/types.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'extend');
const balancers = join(fixtures, 'balancers');
const docs = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'extending.md'), 'utf8');

/** The first code block of `lang` after `heading` in docs/extending.md. */
function docExample(heading: string, lang: string): string {
  const at = docs.indexOf(heading);
  expect(at).toBeGreaterThanOrEqual(0);
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(docs.slice(at));
  return match![1]!;
}

/** A small scenario naming `module` (absolute), written to a fresh folder; invoker3 crashes at 20 s. */
function scenarioWith(module: string, extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'owsim-module-'));
  const file = join(dir, 'scenario.yaml');
  writeFileSync(
    file,
    `name: module-case
seed: 5
duration: 40s
warmup: 0s
drain: 20s
controllers:
  loadBalancer: { module: ${JSON.stringify(module)}${extra} }
invokers: { count: 4, userMemory: 2GB }
workload:
  actions:
    - name: guest/hello
      memory: 256MB
      duration: { dist: lognormal, median: 50ms, p99: 200ms }
      arrivals: { process: poisson, rate: 40/s }
faults:
  - { at: 20s, kind: invoker-crash, target: invoker3, for: 2m }
`,
  );
  return file;
}

async function run(file: string, ...flags: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'owsim-module-out-'));
  const result = await runCli(['run', file, '--out', out, '--report', 'json', '--quiet', ...flags], {});
  return { ...result, out };
}

describe('the done-when check: a round-robin module written from docs/extending.md', () => {
  it('is the docs example, byte for byte', () => {
    expect(readFileSync(join(balancers, 'round-robin.mjs'), 'utf8')).toBe(docExample('### Example: round robin over the healthy invokers', 'js'));
  });

  it('runs with owsim run, spreads evenly over the healthy invokers, and gives identical summary.json bytes twice', async () => {
    const file = join(fixtures, 'round-robin.yaml');
    const first = await run(file);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const second = await run(file);
    const bytes = readFileSync(join(first.out, 'summary.json'));
    expect(readFileSync(join(second.out, 'summary.json')).equals(bytes)).toBe(true);

    const summary = JSON.parse(bytes.toString('utf8')) as Summary;
    const per = [0, 1, 2, 3].map((i) => summary.invokers[`invoker${i}`]!.activations);
    // invoker0..2 stay healthy all run long and take turns: equal to within one activation.
    expect(Math.max(...per.slice(0, 3)) - Math.min(...per.slice(0, 3))).toBeLessThanOrEqual(1);
    // invoker3 crashed at 20 s of 60 s: once supervision marks it down the policy skips it.
    expect(per[3]!).toBeLessThan(per[0]! * 0.5);
    expect(summary.activations.lost).toBe(0);
    expect(summary.activations.rejected).toBe(0);
    // Nothing vanishes: every arrival is completed or still in flight (those sent to invoker3 before it was seen down).
    expect(summary.activations.completed + summary.activations.inFlight + summary.activations.timedOut).toBe(summary.activations.arrived);
  }, 120_000);
});

describe('the other examples of docs/extending.md', () => {
  it('the TypeScript power-of-two-choices policy loads without a build step and validates its options', async () => {
    expect(readFileSync(join(balancers, 'p2c.ts'), 'utf8')).toBe(docExample('### Example in TypeScript: power of two choices', 'ts'));
    const ok = await run(scenarioWith(join(balancers, 'p2c.ts'), ', options: { choices: 3 }'));
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const bad = await run(scenarioWith(join(balancers, 'p2c.ts'), ', options: { choices: 1 }'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('controllers.loadBalancer.options.choices');
    expect(bad.stderr).toContain('scenario.yaml');
  }, 120_000);

  it('the full balancer extending CommonLoadBalancer places activations', async () => {
    expect(readFileSync(join(balancers, 'leastLoaded.mjs'), 'utf8')).toBe(docExample('### Example: least loaded, as a full balancer', 'js'));
    const result = await run(scenarioWith(join(balancers, 'leastLoaded.mjs')));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(result.out, 'summary.json'), 'utf8')) as Summary;
    expect(summary.activations.completed).toBeGreaterThan(1000);
    expect(summary.invokers.invoker2!.activations).toBeGreaterThan(0);
  }, 120_000);

  it('a module path is relative to the scenario file, and a TypeScript module gets its options', async () => {
    const file = scenarioWith('./balancers/withOptions.ts', ', options: { target: 1 }');
    const dir = join(file, '..');
    mkdirSync(join(dir, 'balancers'));
    copyFileSync(join(balancers, 'withOptions.ts'), join(dir, 'balancers', 'withOptions.ts'));
    const result = await run(file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(result.out, 'summary.json'), 'utf8')) as Summary;
    expect(summary.invokers.invoker0!.activations).toBe(0);
    expect(summary.invokers.invoker1!.activations).toBeGreaterThan(1000);
  }, 120_000);
});

describe('a module that misbehaves: exit 2, its file, the line, the activation, no stack', () => {
  const cases: { module: string; flags?: string[]; message: RegExp }[] = [
    { module: 'throws.mjs', message: /throws\.mjs:9: schedule threw for activation \d+: TypeError: cannot read the weights/ },
    { module: 'outOfRange.mjs', message: /outOfRange\.mjs:6: schedule returned invoker 4, out of range \(there are 4 invokers: 0 to 3\) for activation \d+/ },
    { module: 'unhealthy.mjs', message: /unhealthy\.mjs:6: schedule returned invoker 3, which is not healthy \(\w+\) for activation \d+/ },
    { module: 'notANumber.mjs', message: /notANumber\.mjs:6: schedule returned "invoker0", not an invoker index for activation \d+/ },
    { module: 'mathRandom.mjs', flags: ['--check'], message: /mathRandom\.mjs:8: uses Math\.random while placing activation \d+/ },
    { module: 'dateNow.mjs', flags: ['--check'], message: /dateNow\.mjs:8: uses Date\.now while placing activation \d+/ },
    { module: 'moduleState.mjs', flags: ['--check'], message: /two runs of the same seed differ \(summary\.json [\w.]+\): the module is not repeatable/ },
    { module: 'noDefault.mjs', message: /noDefault\.mjs has no default export/ },
    { module: 'missing.mjs', message: /module not found: .*missing\.mjs/ },
  ];
  for (const c of cases) {
    it(c.module, async () => {
      const result = await run(scenarioWith(join(balancers, c.module)), ...(c.flags ?? []));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(c.message);
      expect(result.stderr).toContain('controllers.loadBalancer.module');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }, 120_000);
  }

  it('--debug adds the module’s own stack', async () => {
    const result = await run(scenarioWith(join(balancers, 'throws.mjs')), '--debug');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at .*throws\.mjs:9/);
  }, 120_000);

  it('without --check a Math.random module runs (the check is what catches it)', async () => {
    const result = await run(scenarioWith(join(balancers, 'mathRandom.mjs')));
    expect(result.code).toBe(0);
  }, 120_000);
});
