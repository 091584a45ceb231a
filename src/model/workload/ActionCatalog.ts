/**
 * The workload's actions: for each, the metadata OpenWhisk's controller and invoker see (`ActionMeta`), the
 * invoking identity, and the distributions of what its code does (run time, application errors, record
 * size), each drawn from the action's own named streams so every variant of a scenario runs the same work.
 */
import type { ActionConfig } from '../../scenario/types.js';
import { makeDistribution, type Distribution } from '../../sim/distributions.js';
import type { ActionMeta, Identity } from '../messages.js';

export interface CatalogEntry {
  readonly meta: ActionMeta;
  readonly user: Identity;
  readonly duration: Distribution;
  readonly recordSize: Distribution;
  readonly errorProbability: number;
  readonly blocking: boolean;
  readonly config: ActionConfig;
}

/** Blackbox (docker) actions are routed to the blackbox invoker partition. */
export function isBlackboxKind(kind: string): boolean {
  return kind === 'blackbox' || kind.startsWith('blackbox:');
}

export function buildActionCatalog(actions: readonly ActionConfig[]): CatalogEntry[] {
  return actions.map((config, index) => {
    const slash = config.name.indexOf('/');
    const meta: ActionMeta = {
      index,
      fqn: config.name,
      namespace: slash > 0 ? config.name.slice(0, slash) : config.name,
      kind: config.kind,
      pull: isBlackboxKind(config.kind),
      memoryMb: config.memoryMb,
      timeoutMs: config.timeoutMs,
      concurrency: config.concurrency,
    };
    return {
      meta,
      user: { namespace: config.namespace, uuid: `uuid-${config.namespace}` },
      duration: makeDistribution(config.durationMs),
      recordSize: makeDistribution(config.recordSizeBytes),
      errorProbability: config.errorProbability,
      blocking: config.blocking,
      config,
    };
  });
}
