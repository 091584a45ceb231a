/**
 * Swarm testing's scenario generator (issue 7, after FoundationDB's simulation tests and TigerBeetle's VOPR):
 * one seed → one random but valid scenario file, as a plain document that `owsim run` can load.
 *
 * Each seed draws a small cluster (1–3 controllers, 2–6 invokers), a balancer (legacy, overflow, sharding),
 * bookkeeping (local, or distributed with two or more controllers), health rules (2017 or HEAD), sometimes a
 * random set of the opt-in OpenWhisk fixes, sometimes an activation store with a
 * backpressure strategy, a workload mix of 1–3 actions, and a fault schedule. Swarm testing: the seed first
 * draws which fault kinds are enabled at all (each with probability ½, among the kinds the drawn cluster can
 * have), then 0–5 faults of those kinds. Faults start in the first 70% of the arrival period and all heal
 * before arrivals stop (the fault phase); a drain long enough for the liveness check follows (the healed
 * phase). Everything is drawn from one `fuzz/<seed>` stream, so a seed is the whole reproduction.
 */
import { CONTROLLER_FIXES } from '../scenario/schema.js';
import type { FaultKind } from '../scenario/types.js';
import type { Rng } from '../sim/rng.js';
import { createRng } from '../sim/rng.js';

export interface FuzzDraw {
  /** The scenario file, as plain data (YAML-able). */
  document: Record<string, unknown>;
  /** Fault kinds this seed enabled (swarm testing). */
  enabledKinds: FaultKind[];
}

const pick = <T>(rng: Rng, values: readonly T[]): T => values[rng.nextInt(values.length)]!;
const between = (rng: Rng, lo: number, hi: number): number => lo + rng.nextInt(hi - lo + 1);

/** Arrival period of every fuzz scenario, in seconds: short, so dozens of seeds run in a minute. */
const DURATIONS_S = [60, 90, 120];
/**
 * The fixes a seed may turn on. The fuzzed actions' hashes are never Int.MinValue, so
 * `actor-survives-publish-throw` would change nothing; leaving it out keeps every seed's draws as they were.
 */
const FUZZED_FIXES = CONTROLLER_FIXES.filter((f) => f !== 'actor-survives-publish-throw');

/**
 * @param modules balancer modules (absolute paths) the swarm may draw besides the built-ins (`fuzz --balancer`):
 *   each is as likely as each built-in. The choice comes from its own stream, so a seed's other draws are the
 *   same with or without modules.
 */
export function drawFuzzScenario(seed: number, modules: readonly string[] = []): FuzzDraw {
  const rng = createRng(seed, `fuzz/${seed}`);
  const controllers = between(rng, 1, 3);
  const invokers = between(rng, 2, 6);
  const builtin = pick(rng, ['legacy', 'overflow', 'sharding'] as const);
  const moduleDraw = modules.length > 0 ? createRng(seed, `fuzz/${seed}/balancer`).nextInt(3 + modules.length) : 0;
  const loadBalancer = moduleDraw >= 3 ? { module: modules[moduleDraw - 3]! } : builtin;
  const bookkeeping = controllers >= 2 && rng.chance(0.5) ? 'distributed' : 'local';
  const withStore = rng.chance(0.3);
  const durationS = pick(rng, DURATIONS_S);
  const poolMode = rng.chance(0.8) ? 'memory' : 'count';
  // OpenWhisk's quirks are the default; some seeds turn on a random set of the opt-in fixes.
  const fixes = rng.chance(0.3) ? FUZZED_FIXES.filter(() => rng.chance(0.5)) : [];
  const healthRules = rng.chance(0.5) ? '2017' : 'head';

  // Some seeds load the cluster hard (queues, overflow, forced timeouts), most lightly.
  const maxRatePerSec = rng.chance(0.3) ? 60 : 12;
  const actionCount = between(rng, 1, 3);
  const actions: Record<string, unknown>[] = [];
  for (let i = 0; i < actionCount; i++) {
    const memoryMb = pick(rng, [128, 256, 256, 512]);
    const medianMs = pick(rng, [20, 50, 100, 300, 800]);
    actions.push({
      name: `fuzz/action${i}`,
      memory: `${memoryMb}MB`,
      timeout: `${pick(rng, [5, 10, 20])}s`,
      duration: { dist: 'lognormal', median: `${medianMs}ms`, p99: `${medianMs * pick(rng, [2, 4, 8])}ms` },
      arrivals: { process: 'poisson', rate: `${between(rng, 1, maxRatePerSec)}/s` },
      ...(rng.chance(0.2) ? { concurrency: between(rng, 2, 4) } : {}),
    });
  }

  // Swarm testing: which kinds this seed may use at all.
  const possible: FaultKind[] = ['invoker-crash', 'kafka-outage', 'kafka-slow', 'ping-loss'];
  if (controllers >= 2) possible.push('controller-crash');
  if (bookkeeping === 'distributed') possible.push('partition');
  if (withStore) possible.push('store-slow', 'store-errors', 'store-throttle');
  const enabledKinds = possible.filter(() => rng.chance(0.5));
  const faults: Record<string, unknown>[] = [];
  const faultCount = enabledKinds.length === 0 ? 0 : between(rng, 1, 5);
  const phaseEndMs = durationS * 1000 * 0.7;
  for (let i = 0; i < faultCount; i++) {
    const kind = pick(rng, enabledKinds);
    const atMs = 5000 + rng.nextInt(Math.floor(phaseEndMs - 5000));
    const forMs = Math.min(between(rng, 1, 20) * 1000, durationS * 1000 - 1000 - atMs);
    const fault: Record<string, unknown> = { at: `${atMs}ms`, kind, for: `${Math.max(500, forMs)}ms` };
    switch (kind) {
      case 'invoker-crash':
        fault['target'] = `invoker${rng.nextInt(invokers)}`;
        break;
      case 'controller-crash':
        fault['target'] = `controller${rng.nextInt(controllers)}`;
        break;
      case 'partition': {
        const a = rng.nextInt(controllers);
        const b = (a + 1 + rng.nextInt(controllers - 1)) % controllers;
        fault['between'] = [`controller${a}`, `controller${b}`];
        break;
      }
      case 'kafka-slow':
        fault['latency'] = `${pick(rng, [50, 200, 1000])}ms`;
        break;
      case 'store-slow':
        fault['throughput'] = `${pick(rng, [5, 50, 500])}/s`;
        break;
      case 'store-errors':
        fault['probability'] = pick(rng, [0.1, 0.5, 1]);
        fault['latency'] = `${pick(rng, [10, 500, 5000])}ms`;
        break;
      case 'store-throttle':
        fault['requestUnitsPerSecond'] = `${pick(rng, [50, 500, 5000])}/s`;
        fault['retryAfter'] = `${pick(rng, [10, 100, 1000])}ms`;
        break;
      case 'ping-loss':
        fault['target'] = `invoker${rng.nextInt(invokers)}`;
        fault['probability'] = pick(rng, [0.3, 0.7, 1]);
        break;
      case 'kafka-outage':
        break;
    }
    faults.push(fault);
  }
  faults.sort((a, b) => parseInt(String(a['at']), 10) - parseInt(String(b['at']), 10));

  const document: Record<string, unknown> = {
    name: `fuzz-${seed}`,
    description: `owsim fuzz seed ${seed}; fault kinds enabled: ${enabledKinds.join(', ') || 'none'}`,
    seed,
    duration: `${durationS}s`,
    // Healed phase: the longest timeout (20 s) + timeout grace (20 s) + the liveness slack (30 s), and more.
    drain: '3m',
    sampleInterval: '1s',
    controllers: {
      count: controllers,
      loadBalancer,
      bookkeeping,
      timeoutGrace: '20s',
      startHealthy: rng.chance(0.8),
      healthRules,
      ...(fixes.length > 0 ? { fixes } : {}),
      ...(bookkeeping === 'distributed' ? { replication: { gossipInterval: pick(rng, ['200ms', '1s', '2s']) } } : {}),
    },
    invokers: {
      count: invokers,
      userMemory: pick(rng, ['1GB', '2GB']),
      poolMode,
      ...(poolMode === 'count' ? { slots: between(rng, 2, 8) } : {}),
      coldStart: { dist: 'lognormal', median: '300ms', p99: '1200ms' },
    },
    kafka: { latency: pick(rng, ['1ms', '2ms', '10ms']) },
    ...(withStore ? { store: { throughput: pick(rng, ['200/s', '2000/s']), backpressure: pick(rng, ['none', 'drop', 'wait-enqueue', 'kafka-overflow']), batcher: { queueLimit: 1000 } } } : {}),
    workload: { actions },
    ...(faults.length > 0 ? { faults } : {}),
  };
  return { document, enabledKinds };
}
