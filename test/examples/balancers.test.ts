/**
 * The example placement policies in examples/balancers: power of two choices and consistent hashing with
 * bounded loads. Their decisions on a hand-made controller view, then whole runs: every activation completes,
 * the same seed gives the same bytes, and each policy shows the property it is for.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runScenario.js';
import { renderSummaryJson } from '../../src/report/SummaryJsonReporter.js';
import { OwsimError } from '../../src/errors.js';
import type { InvokerView, PlacementContext, PlacementPolicyModule, PlacementRequest } from '../../src/model/controller/PlacementPolicy.js';

const examples = join(import.meta.dirname, '..', '..', 'examples', 'balancers');
type ExampleModule = PlacementPolicyModule & { optionsSchema: { parse(v: unknown): unknown } };
/** The example modules as plain JavaScript (no declaration files): loaded by path. */
const load = async (file: string): Promise<ExampleModule> => ((await import(join(examples, file))) as { default: ExampleModule }).default;
const p2c = await load('p2c.mjs');
const ch = await load('consistent-hashing-bounded.mjs');

/** A controller view with settable loads and health, and a scripted rng. */
function fakeContext(count: number, draws: number[] = []) {
  const invokers: InvokerView[] = Array.from({ length: count }, (_, index) => ({
    index,
    name: `invoker${index}`,
    healthy: true,
    userMemoryMB: 2048,
    inFlight: 0,
    freeMemoryMB: 2048,
  }));
  let d = 0;
  const ctx: PlacementContext = {
    invokers: () => invokers.map((i) => ({ ...i })),
    rng: () => draws[d++ % Math.max(1, draws.length)] ?? 0,
    now: () => 0,
    controller: { index: 0, clusterSize: () => 1 },
  };
  return { ctx, invokers: invokers as { -readonly [K in keyof InvokerView]: InvokerView[K] }[] };
}

function request(action: string, activationId = 1): PlacementRequest {
  return { activationId, namespace: action.split('/')[0]!, action, memoryMB: 256, blackbox: false, concurrency: 1, timeoutMs: 60_000 };
}

function scenario(balancer: string, extra = ''): string {
  return `
name: balancer-example
duration: 3m
warmup: 20s
controllers: { count: 1, loadBalancer: ${balancer} }
invokers: { count: 4, userMemory: 2GB }
workload:
  actions:
${Array.from({ length: 12 }, (_, i) => `    - { name: ns${i % 3}/action${i}, memory: 256MB, duration: { dist: lognormal, median: 80ms, p99: 600ms }, arrivals: { process: poisson, rate: ${1 + (i % 4)}/s } }`).join('\n')}
${extra}`;
}

function run(balancer: string, extra = '') {
  return runScenario(parseScenarioText(scenario(balancer, extra), join(examples, 'scenario.yaml'))).summary;
}

describe('power of two choices (examples/balancers/p2c.mjs)', () => {
  it('sends to the less loaded of two different random healthy invokers', () => {
    const { ctx, invokers } = fakeContext(4, [0.3, 0.0]); // picks invoker 1, then (of the other three) invoker 0
    invokers[0]!.inFlight = 5;
    invokers[1]!.inFlight = 2;
    const policy = p2c.create(ctx, p2c.optionsSchema.parse({}));
    expect(policy.schedule(request('guest/a'))).toBe(1);
    invokers[1]!.healthy = false;
    invokers[2]!.healthy = false;
    invokers[3]!.healthy = false;
    expect(policy.schedule(request('guest/a'))).toBe(0);
    invokers[0]!.healthy = false;
    expect(policy.schedule(request('guest/a'))).toBeNull();
  });

  it('spreads a run evenly over the invokers, deterministically', () => {
    const text = '{ module: ./p2c.mjs }';
    const a = run(text);
    expect(a.activations.completed).toBe(a.activations.arrived);
    const counts = Object.values(a.invokers).map((i) => i.activations);
    const mean = counts.reduce((x, y) => x + y, 0) / counts.length;
    for (const c of counts) expect(Math.abs(c - mean) / mean).toBeLessThan(0.05);
    expect(renderSummaryJson(run(text))).toBe(renderSummaryJson(a));
  });

  it('rejects choices below 2 naming the field (exit 2)', () => {
    let error: unknown;
    try {
      run('{ module: ./p2c.mjs, options: { choices: 1 } }');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OwsimError);
    expect((error as OwsimError).exitCode).toBe(2);
    expect((error as OwsimError).format()).toContain('controllers.loadBalancer.options.choices');
  });
});

describe('consistent hashing with bounded loads (examples/balancers/consistent-hashing-bounded.mjs)', () => {
  it('keeps an action on its ring invoker until that invoker reaches the load bound, then walks clockwise', () => {
    const { ctx, invokers } = fakeContext(4);
    const policy = ch.create(ctx, ch.optionsSchema.parse({ epsilon: 0.25 }));
    const home = policy.schedule(request('guest/a'))!;
    expect(policy.schedule(request('guest/a', 2))).toBe(home);
    // Total load 8 over 4 invokers: bound ceil(1.25 × 9 / 4) = 3. The home at 3 is full; the next is not.
    for (const i of invokers) i.inFlight = 1;
    invokers[home]!.inFlight = 3;
    invokers.find((i) => i.index !== home)!.inFlight = 2;
    const moved = policy.schedule(request('guest/a', 3))!;
    expect(moved).not.toBe(home);
    expect(invokers[moved]!.inFlight).toBeLessThan(3);
    // The same overflow goes to the same successor every time (a ring walk, not a random pick).
    expect(policy.schedule(request('guest/a', 4))).toBe(moved);
    invokers[home]!.inFlight = 0;
    expect(policy.schedule(request('guest/a', 5))).toBe(home);
    for (const i of invokers) i.healthy = false;
    expect(policy.schedule(request('guest/a', 6))).toBeNull();
  });

  it('spreads different actions over the ring', () => {
    const { ctx } = fakeContext(4);
    const policy = ch.create(ctx, ch.optionsSchema.parse({}));
    const homes = new Set(Array.from({ length: 40 }, (_, i) => policy.schedule(request(`guest/action${i}`))));
    expect(homes.size).toBe(4);
  });

  it('in a run: every activation completes, deterministically, with fewer cold starts than p2c (locality)', () => {
    const text = '{ module: ./consistent-hashing-bounded.mjs, options: { epsilon: 0.25 } }';
    const chRun = run(text);
    expect(chRun.activations.completed).toBe(chRun.activations.arrived);
    expect(renderSummaryJson(run(text))).toBe(renderSummaryJson(chRun));
    const p2cRun = run('{ module: ./p2c.mjs }');
    // Locality: an action's activations stay on few invokers, so fewer containers start cold.
    expect(chRun.coldStarts.count).toBeLessThan(p2cRun.coldStarts.count);
  });
});
