/**
 * invokers.containerPolicy: a module consulted at warm selection, eviction and keep-alive. Without hooks it is
 * OpenWhisk's own pool byte for byte; with hooks it changes what it should; a module that breaks its contract
 * or cannot be loaded ends with exit 2 naming the module's file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/runScenario.js';
import { renderSummaryJson } from '../../../src/report/SummaryJsonReporter.js';
import { OwsimError } from '../../../src/errors.js';
import { ContainerPolicyError } from '../../../src/model/invoker/ContainerPolicySeam.js';
import { defaultDeps } from '../../../src/cli/defaultDeps.js';
import { runCli } from '../../cli/helpers.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'container-policies');
const examples = join(import.meta.dirname, '..', '..', '..', 'examples', 'container-policies');
const scenarioFile = join(fixtures, 'scenario.yaml');

/** Memory is short (evictions), idle timeouts expire, two namespaces share actions. */
function scenario(policy: string | null, extra = ''): string {
  return `
name: policy-check
duration: 3m
invokers:
  count: 2
  userMemory: 1GB
  idleTimeout: 20s
${policy === null ? '' : `  containerPolicy: ${policy}\n`}${extra}
workload:
  actions:
    - { name: guest/a, memory: 256MB, duration: { dist: exponential, mean: 300ms }, arrivals: { process: poisson, rate: 3/s } }
    - { name: guest/b, memory: 256MB, duration: { dist: exponential, mean: 400ms }, arrivals: { process: poisson, rate: 2/min } }
    - { name: guest/c, memory: 512MB, duration: { dist: exponential, mean: 200ms }, arrivals: { process: poisson, rate: 1/s } }
    - { name: other/d, memory: 384MB, duration: { dist: exponential, mean: 250ms }, arrivals: { process: poisson, rate: 30/min } }
    - { name: other/e, memory: 256MB, duration: { dist: exponential, mean: 250ms }, arrivals: { process: poisson, rate: 4/min } }
`;
}

/** One action called every 15 minutes for 2 hours (7 calls). */
function periodic(policy: string | null): string {
  return `
name: periodic
duration: 2h
invokers:
  count: 1
  userMemory: 1GB
${policy === null ? '' : `  containerPolicy: ${policy}\n`}
workload:
  actions:
    - { name: guest/cron, memory: 256MB, duration: { dist: constant, value: 1s }, arrivals: { process: constant, rate: 4/h } }
`;
}

function summaryOf(text: string, file = scenarioFile): string {
  return renderSummaryJson(runScenario(parseScenarioText(text, file)).summary);
}

function thrown(fn: () => unknown): OwsimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof OwsimError) return e;
    throw e;
  }
  throw new Error('expected an OwsimError');
}

describe('invokers.containerPolicy', () => {
  it('a module without hooks is OpenWhisk own pool: the same summary bytes', () => {
    const none = summaryOf(scenario(null));
    expect(summaryOf(scenario(`{ module: ${join(examples, 'noop.mjs')} }`))).toBe(none);
  });

  it('is relative to the scenario file and lands in the resolved scenario with its absolute path', () => {
    const s = parseScenarioText(scenario('{ module: ../../../examples/container-policies/noop.mjs }'), scenarioFile);
    expect(s.invokers.containerPolicy).toEqual({ module: '../../../examples/container-policies/noop.mjs', file: join(examples, 'noop.mjs'), options: {} });
  });

  it('selectVictim decides which idle container goes (MRU instead of LRU moves the cold starts)', () => {
    const lru = JSON.parse(summaryOf(scenario(null)));
    const mru = JSON.parse(summaryOf(scenario('{ module: ./mru-victim.mjs }')));
    expect(lru.activations.completed).toBe(lru.activations.arrived);
    expect(mru.activations.completed).toBe(mru.activations.arrived);
    expect(JSON.stringify(mru)).not.toBe(JSON.stringify(lru));
  });

  it('selectWarm and ctx.rng: a random warm container from the policy own stream, deterministic', () => {
    const text = scenario('{ module: ./uses-ctx.mjs }');
    const a = summaryOf(text);
    expect(summaryOf(text)).toBe(a);
    expect(a).not.toBe(summaryOf(scenario(null)));
  });

  it('keepAlive: twice OpenWhisk keep-alive keeps a 15-minute timer warm and holds more idle memory', () => {
    const base = JSON.parse(summaryOf(periodic(null)));
    const longer = JSON.parse(summaryOf(periodic('{ module: ./uses-ctx.mjs }')));
    expect(base.coldStarts.count).toBe(7);
    expect(longer.coldStarts.count).toBe(1);
    expect(longer.containers.idleMemoryMeanMb).toBeGreaterThan(base.containers.idleMemoryMeanMb);
  });

  it('a pre-warm window: a periodic action is unloaded after each call and pre-warmed before the next', () => {
    const base = JSON.parse(summaryOf(periodic(null)));
    const pre = JSON.parse(summaryOf(periodic('{ module: ./prewarm-fixed.mjs, options: { prewarmMs: 840000, keepAliveMs: 120000 } }')));
    expect(base.activations.completed).toBe(7);
    expect(base.coldStarts.count).toBe(7); // every 15 minutes, OpenWhisk keeps a container 10 minutes
    expect(pre.activations.completed).toBe(7);
    expect(pre.coldStarts.count).toBe(1); // only the first: later calls find the pre-warmed container
    expect(pre.containers.idleMemoryMeanMb).toBeLessThan(base.containers.idleMemoryMeanMb);
  });

  it('an index out of range ends the run with exit 2, the module file and the activation', () => {
    const e = thrown(() => summaryOf(scenario('{ module: ./out-of-range.mjs }')));
    expect(e).toBeInstanceOf(ContainerPolicyError);
    expect(e.exitCode).toBe(2);
    expect(e.details.path).toBe('invokers.containerPolicy.module');
    expect(e.message).toContain('out-of-range.mjs: container policy selectWarm()');
    expect(e.message).toMatch(/selectWarm\(\) returned \d+, expected null or a whole number from 0 to \d+ .*\(activation \d+ of guest\/\w at [\d.]+ ms\)/);
  });

  it('a hook that throws: exit 2 with the line in the module', () => {
    const e = thrown(() => summaryOf(scenario('{ module: ./throws.mjs }')));
    expect(e).toBeInstanceOf(ContainerPolicyError);
    expect(e.exitCode).toBe(2);
    expect(e.format()).toMatch(/throws\.mjs:6: container policy keepAlive\(\) threw: no keep-alive for guest\//);
  });

  it('a missing module, one without a default export, and bad options are scenario errors naming the field', () => {
    const missing = thrown(() => parseScenarioText(scenario('{ module: ./nowhere.mjs }'), scenarioFile));
    expect(missing.exitCode).toBe(2);
    expect(missing.details).toMatchObject({ file: scenarioFile, path: 'invokers.containerPolicy.module' });
    expect(missing.message).toMatch(/module not found: .*nowhere\.mjs/);
    const noDefault = thrown(() => parseScenarioText(scenario('{ module: ./no-default.mjs }'), scenarioFile));
    expect(noDefault.message).toMatch(/no-default\.mjs has no default export/);
    const notPolicy = thrown(() => parseScenarioText(scenario('{ module: ../../../examples/container-policies/rare-arrivals.yaml }'), scenarioFile));
    expect(notPolicy.message).toContain('unsupported extension');
    const badOptions = thrown(() => parseScenarioText(scenario('{ module: ./prewarm-fixed.mjs, options: { prewarmMs: -1, keepAliveMs: 5 } }'), scenarioFile));
    expect(badOptions.format()).toContain('invokers.containerPolicy.options.prewarmMs');
    expect(badOptions.details).toMatchObject({ file: scenarioFile, path: 'invokers.containerPolicy.options.prewarmMs' });
    expect(badOptions.exitCode).toBe(2);
  });
});

describe('owsim run --check with a container policy', () => {
  it('a policy that reads Math.random is named with its line (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'owsim-policy-check-'));
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, scenario(`{ module: ${join(fixtures, 'math-random.mjs')} }`));
    const r = await runCli(['run', file, '--check', '-q', '--out', join(dir, 'out')], defaultDeps);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/math-random\.mjs:7: uses Math\.random/);
    expect(r.stderr).not.toContain('    at ');
  });
});

describe('the hybrid histogram example (Shahrad et al.)', () => {
  it('cuts the cold starts of the rare actions on hours of idle gaps, deterministically', () => {
    const set = ['duration=8h'];
    const base = coldStartsByAction('rare-arrivals.yaml', set);
    const hybrid = coldStartsByAction('hybrid-histogram.yaml', set);
    expect(hybrid.summary.activations.arrived).toBe(base.summary.activations.arrived);
    expect(hybrid.summary.activations.completed).toBe(hybrid.summary.activations.arrived);
    // Timer-driven calls every 15 minutes to 2 hours: all cold under OpenWhisk's 10-minute keep-alive, almost
    // none once the histogram has learned their gaps (the first few calls of each still are).
    for (const action of ['reports/hourly-report', 'reports/sync', 'iot/compact']) {
      expect(base.cold.get(action)).toBe(base.calls.get(action));
      expect(hybrid.cold.get(action)!).toBeLessThanOrEqual(2);
    }
    // The busy action's extra containers keep OpenWhisk's keep-alive: fewer cold starts overall too (88 -> 76
    // under the scala-map free-pool order; the rare actions' savings are partly spent on the busy one's).
    expect(hybrid.summary.coldStarts.count).toBeLessThan(base.summary.coldStarts.count);
    const again = coldStartsByAction('hybrid-histogram.yaml', set);
    expect(renderSummaryJson(again.summary)).toBe(renderSummaryJson(hybrid.summary));
  });
});

/** Runs an example scenario and counts calls and cold starts per action. */
function coldStartsByAction(name: string, set: string[]) {
  const file = join(examples, name);
  const calls = new Map<string, number>();
  const cold = new Map<string, number>();
  const { summary } = runScenario(parseScenarioText(readFileSync(file, 'utf8'), file, set), {
    instrument(cluster) {
      const metrics = cluster.metrics;
      const started = metrics.activationStarted.bind(metrics);
      metrics.activationStarted = (invoker, record, isCold, nowMs) => {
        const action = cluster.scenario.workload.actions[record.actionIndex]!.name;
        calls.set(action, (calls.get(action) ?? 0) + 1);
        if (isCold) cold.set(action, (cold.get(action) ?? 0) + 1);
        started(invoker, record, isCold, nowMs);
      };
    },
  });
  return { summary, calls, cold };
}

describe('docs/extending.md container-policy example (cron-prewarm)', () => {
  const docs = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'extending.md'), 'utf8');

  it('is the shipped examples/container-policies/cron-prewarm.mjs, word for word', () => {
    const at = docs.indexOf('`policies/cron-prewarm.mjs`');
    const start = docs.indexOf('```js\n', at) + '```js\n'.length;
    expect(docs.slice(start, docs.indexOf('```\n', start))).toBe(readFileSync(join(examples, 'cron-prewarm.mjs'), 'utf8'));
  });

  it('a timer-driven action starts cold once and holds less idle memory than under OpenWhisk', () => {
    const base = JSON.parse(summaryOf(periodic(null)));
    const cron = JSON.parse(summaryOf(periodic(`{ module: ${join(examples, 'cron-prewarm.mjs')}, options: { periods: { guest/cron: 15 } } }`)));
    expect(base.coldStarts.count).toBe(7);
    expect(cron.coldStarts.count).toBe(1);
    expect(cron.activations.completed).toBe(7);
    expect(cron.containers.idleMemoryMeanMb).toBeLessThan(base.containers.idleMemoryMeanMb / 2);
  });
});
