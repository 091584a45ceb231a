/**
 * The scenario's `faults:` list (issue 7): scheduled faults the world suffers during a run. One strict mapping
 * per fault with every field any kind uses (so an unknown key gets a "did you mean"); which fields a kind
 * needs, which it refuses, and whether a target names an entity of the cluster are cross-field checks
 * (`checkFaults`, run after the structure is valid). `resolveFaults` turns the file form into `FaultConfig`s
 * with entity names resolved to indices.
 *
 *   faults:
 *     - { at: 2m, kind: invoker-crash, target: invoker3, for: 30s }
 *     - { at: 3m, kind: controller-crash, target: controller1, for: 30s, newAddress: true }
 *     - { at: 4m, kind: partition, between: [controller0, controller1], for: 20s }
 *     - { at: 5m, kind: kafka-slow, latency: 500ms, for: 1m }
 *     - { at: 6m, kind: store-slow, throughput: 100/s, for: 2m }
 *     - { at: 7m, kind: ping-loss, target: invoker2, probability: 0.5, for: 1m }
 *     - { at: 8m, kind: store-errors, probability: 0.3, latency: 5s, for: 1m }
 *     - { at: 9m, kind: store-throttle, requestUnitsPerSecond: 400/s, retryAfter: 100ms, for: 1m }
 */
import { z } from 'zod';
import type { FaultConfig, FaultKind, StoreThrottleConfig } from './types.js';
import type { CheckProblem } from './checks.js';
import { bool, durationMs, fraction, oneOf, ratePerSec, text } from './leaves.js';
import { formatDuration } from './units.js';

export const FAULT_KINDS = [
  'invoker-crash',
  'controller-crash',
  'partition',
  'kafka-outage',
  'kafka-slow',
  'store-slow',
  'ping-loss',
  'store-errors',
  'store-throttle',
] as const satisfies readonly FaultKind[];
const kindsAreExhaustive: [Exclude<FaultKind, (typeof FAULT_KINDS)[number]>] extends [never] ? true : never = true;
void kindsAreExhaustive;

const ENTITY = /^(invoker|controller)(0|[1-9][0-9]*)$/;

export const faultSchema = z.strictObject({
  at: durationMs(),
  kind: oneOf(FAULT_KINDS),
  for: durationMs({ allowZero: false }),
  target: text(ENTITY, 'an entity name like invoker3 or controller0').optional(),
  between: z.array(text(ENTITY, 'a controller name like controller0')).optional(),
  latency: durationMs({ allowZero: false }).optional(),
  throughput: ratePerSec({ allowZero: false }).optional(),
  probability: fraction().optional(),
  /** controller-crash only: the restarted controller comes back at a new network address. */
  newAddress: bool().optional(),
  requestUnitsPerSecond: ratePerSec({ allowZero: false }).optional(),
  retryAfter: durationMs().optional(),
});

export type FaultFile = z.output<typeof faultSchema>;
type FaultField = 'target' | 'between' | 'latency' | 'throughput' | 'probability' | 'requestUnitsPerSecond' | 'retryAfter';

/** The fields each kind takes besides `at`, `kind` and `for`, with what each means in words. */
const FIELDS: Record<FaultKind, Partial<Record<FaultField, string>>> = {
  'invoker-crash': { target: 'an invoker name like invoker3' },
  'controller-crash': { target: 'a controller name like controller1' },
  partition: { between: 'two controller names, like [controller0, controller1]' },
  'kafka-outage': {},
  'kafka-slow': { latency: 'an extra produce latency like 500ms' },
  'store-slow': { throughput: 'the store throughput during the fault, like 100/s' },
  'ping-loss': { target: 'an invoker name like invoker2', probability: 'a drop probability like 0.5' },
  'store-errors': { probability: 'the probability a bulk call fails, like 0.3', latency: 'how long a failing call takes to fail, like 5s' },
  'store-throttle': { requestUnitsPerSecond: 'the request units the store grants per second, like 400/s', retryAfter: "the 429 answer's retry-after, like 100ms" },
};
const ALL_FIELDS: FaultField[] = ['target', 'between', 'latency', 'throughput', 'probability', 'requestUnitsPerSecond', 'retryAfter'];

function entityIndex(name: string, prefix: 'invoker' | 'controller'): number | null {
  const m = ENTITY.exec(name);
  if (m === null || m[1] !== prefix) return null;
  return Number(m[2]);
}

export interface FaultCluster {
  durationMs: number;
  drainMs: number;
  invokers: number;
  controllers: number;
  /** The scenario models the activation store (store-slow needs it). */
  store: boolean;
  /** Controllers replicate their books (a partition cuts that gossip). */
  distributed: boolean;
}

/** Cross-field checks of `faults[i]`: fields per kind, targets that exist, a start inside the run. */
export function checkFaults(faults: readonly FaultFile[], cluster: FaultCluster): CheckProblem[] {
  const problems: CheckProblem[] = [];
  faults.forEach((f, i) => {
    const at = ['faults', i];
    const fields = FIELDS[f.kind];
    for (const field of ALL_FIELDS) {
      const given = f[field] !== undefined;
      const wanted = fields[field];
      if (wanted !== undefined && !given) {
        problems.push({ path: [...at, field], message: `a ${f.kind} fault needs \`${field}\``, expected: wanted, got: 'nothing (the field is missing)' });
      } else if (wanted === undefined && given) {
        const takes = Object.keys(fields);
        problems.push({
          path: [...at, field],
          message: `a ${f.kind} fault takes no \`${field}\``,
          expected: takes.length > 0 ? `only at, kind, for, ${takes.join(', ')}` : 'only at, kind and for',
          got: JSON.stringify(f[field]),
        });
      }
    }
    // A fault may start during the drain (a crash while the cluster empties), not after the run's horizon.
    const horizonMs = cluster.durationMs + cluster.drainMs;
    if (f.at >= horizonMs) {
      problems.push({
        path: [...at, 'at'],
        message: `the fault starts at or after the end of the run (duration + drain = ${formatDuration(horizonMs)})`,
        expected: `a time before ${formatDuration(horizonMs)}`,
        got: formatDuration(f.at),
      });
    }
    if (f.target !== undefined && fields.target !== undefined) {
      const prefix = f.kind === 'controller-crash' ? 'controller' : 'invoker';
      const count = prefix === 'controller' ? cluster.controllers : cluster.invokers;
      const index = entityIndex(f.target, prefix);
      if (index === null || index >= count) {
        problems.push({
          path: [...at, 'target'],
          message: index === null ? `a ${f.kind} fault targets a ${prefix}` : `there is no ${f.target}: the cluster has ${count} ${prefix}s`,
          expected: `one of ${prefix}0 … ${prefix}${count - 1}`,
          got: f.target,
        });
      }
    }
    if ((f.kind === 'store-slow' || f.kind === 'store-errors' || f.kind === 'store-throttle') && !cluster.store) {
      problems.push({ path: [...at, 'kind'], message: `a ${f.kind} fault needs the activation store, and the scenario has no store: section`, expected: 'a store: section, or another fault kind', got: f.kind });
    }
    if (f.newAddress !== undefined && f.kind !== 'controller-crash') {
      problems.push({ path: [...at, 'newAddress'], message: `a ${f.kind} fault takes no \`newAddress\` (only a controller-crash restarts at a new address)`, expected: `only at, kind, for${Object.keys(fields).map((k) => ', ' + k).join('')}`, got: JSON.stringify(f.newAddress) });
    }
    if (f.between !== undefined && fields.between !== undefined) {
      const names = f.between;
      const indices = names.map((n) => entityIndex(n, 'controller'));
      const expected = `two different controllers among controller0 … controller${cluster.controllers - 1}`;
      if (names.length !== 2 || indices.some((x) => x === null || x >= cluster.controllers) || indices[0] === indices[1]) {
        problems.push({ path: [...at, 'between'], message: 'a partition is between two different existing controllers', expected, got: JSON.stringify(names) });
      }
    }
  });
  return problems;
}

/** What a throttling store charges per record and how its client retries (`store.throttle` without the budget). */
export type ThrottleClient = Pick<StoreThrottleConfig, 'requestUnitsPerRecord' | 'maxRetries' | 'maxRetryWaitMs'>;

/**
 * File form → resolved `FaultConfig`s; `checkFaults` must have passed. `throttleClient` is the client side of
 * every store-throttle fault (the store's own `throttle`, else its defaults).
 */
export function resolveFaults(faults: readonly FaultFile[], throttleClient: ThrottleClient): FaultConfig[] {
  return faults.map((f): FaultConfig => {
    const base = { atMs: f.at, forMs: f.for };
    switch (f.kind) {
      case 'invoker-crash':
        return { kind: f.kind, ...base, target: entityIndex(f.target!, 'invoker')! };
      case 'controller-crash':
        return { kind: f.kind, ...base, target: entityIndex(f.target!, 'controller')!, newAddress: f.newAddress === true };
      case 'partition':
        return { kind: f.kind, ...base, between: [entityIndex(f.between![0]!, 'controller')!, entityIndex(f.between![1]!, 'controller')!] };
      case 'kafka-outage':
        return { kind: f.kind, ...base };
      case 'kafka-slow':
        return { kind: f.kind, ...base, latencyMs: f.latency! };
      case 'store-slow':
        return { kind: f.kind, ...base, throughputPerSec: f.throughput! };
      case 'ping-loss':
        return { kind: f.kind, ...base, target: entityIndex(f.target!, 'invoker')!, probability: f.probability! };
      case 'store-errors':
        return { kind: f.kind, ...base, probability: f.probability!, latencyMs: f.latency! };
      case 'store-throttle':
        return { kind: f.kind, ...base, requestUnitsPerSecond: f.requestUnitsPerSecond!, retryAfterMs: f.retryAfter!, ...throttleClient };
    }
  });
}
