/**
 * `owsim fuzz`'s engine: for each seed, draw a scenario (drawScenario.ts), load it through the ordinary
 * loader (so it is exactly what `owsim run` would see), and run it with every invariant checker on. A seed
 * fails when a checker reports a violation, or when anything else goes wrong inside the simulator (an
 * assertion, a crash); the scenario is then written to `<outDir>/fuzz-seed-<N>.yaml` and its reproduce line
 * is `owsim run <that file> --seed N --check`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { OwsimError } from '../errors.js';
import type { ClusterParts } from '../model/Cluster.js';
import { InvariantViolation } from '../model/checks/InvariantViolation.js';
import { parseScenarioText } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import type { RunOutput } from '../report/types.js';
import { runScenario, type RunScenarioOptions } from '../runScenario.js';
import { drawFuzzScenario } from './drawScenario.js';

export interface FuzzOptions {
  /** How many seeds, from `from` on. */
  seeds: number;
  from: number;
  /** Where failing scenarios are written. */
  outDir: string;
  /** Called after each seed (progress lines). */
  onSeed?: (result: FuzzSeedResult) => void;
  /** Tests: inject a bug into each world before it runs. */
  instrument?: (parts: ClusterParts) => void;
  /** Tests: another runner (default runScenario). */
  run?: (scenario: Scenario, options: RunScenarioOptions) => RunOutput;
  /** Balancer modules (absolute paths) the swarm may draw besides the built-ins (`--balancer`). */
  balancers?: readonly string[];
}

export interface FuzzSeedResult {
  seed: number;
  ok: boolean;
  /** Fault kinds the seed enabled. */
  enabledKinds: string[];
  faults: number;
  /** The faults the seed scheduled, in file order: `invoker-crash invoker1 at 12s for 5s`. */
  scheduled: string[];
  arrived: number;
  /** Failure only: the invariant (or `internal`), what went wrong, the scenario file and the command. */
  invariant?: string;
  message?: string;
  file?: string;
  reproduce?: string;
}

export function fuzzScenarioText(seed: number, balancers: readonly string[] = []): { text: string; enabledKinds: string[]; faults: number; scheduled: string[] } {
  const draw = drawFuzzScenario(seed, balancers);
  const header = `# owsim fuzz, seed ${seed}. Reproduce: owsim run <this file> --seed ${seed} --check\n`;
  const list = Array.isArray(draw.document['faults']) ? (draw.document['faults'] as Record<string, unknown>[]) : [];
  const scheduled = list.map((f) => {
    const target = f['target'] !== undefined ? ` ${String(f['target'])}` : Array.isArray(f['between']) ? ` ${(f['between'] as unknown[]).join('|')}` : '';
    return `${String(f['kind'])}${target} at ${String(f['at'])} for ${String(f['for'])}`;
  });
  return { text: header + stringify(draw.document, { lineWidth: 0 }), enabledKinds: draw.enabledKinds, faults: list.length, scheduled };
}

export function fuzzOne(seed: number, options: Pick<FuzzOptions, 'outDir' | 'instrument' | 'run' | 'balancers'>): FuzzSeedResult {
  const { text, enabledKinds, faults, scheduled } = fuzzScenarioText(seed, options.balancers);
  const fileName = `fuzz-seed-${seed}.yaml`;
  const result: FuzzSeedResult = { seed, ok: true, enabledKinds, faults, scheduled, arrived: 0 };
  try {
    // A drawn scenario that does not load is a bug in the generator: let it fail the seed like any other.
    const scenario = parseScenarioText(text, fileName);
    const run = options.run ?? runScenario;
    const output = run(scenario, { seed, checks: true, ...(options.instrument ? { instrument: options.instrument } : {}) });
    result.arrived = output.summary.activations.arrived;
    return result;
  } catch (err) {
    result.ok = false;
    if (err instanceof InvariantViolation) {
      result.invariant = err.invariant;
      result.message = err.format();
    } else if (err instanceof OwsimError) {
      // A user's balancer module that misbehaved (src/extend), or a drawn scenario that does not load.
      result.invariant = err.code === 'E_MODULE' ? 'module' : 'loads';
      result.message = err.format();
    } else {
      result.invariant = 'internal';
      result.message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    mkdirSync(options.outDir, { recursive: true });
    const file = join(options.outDir, fileName);
    writeFileSync(file, text);
    result.file = file;
    result.reproduce = `owsim run ${file} --seed ${seed} --check`;
    if (err instanceof InvariantViolation) err.reproduce = result.reproduce;
    return result;
  }
}

export function runFuzz(options: FuzzOptions): FuzzSeedResult[] {
  const results: FuzzSeedResult[] = [];
  for (let i = 0; i < options.seeds; i++) {
    const result = fuzzOne(options.from + i, options);
    results.push(result);
    options.onSeed?.(result);
  }
  return results;
}
