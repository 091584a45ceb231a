/**
 * `owsim fuzz --seeds N [--from S] [--out DIR] [--balancer MODULE]`: swarm testing (src/fuzz). Each seed draws a random valid
 * scenario with a random fault schedule and runs it with every invariant checker on. Prints one line per
 * seed (unless --quiet); exits 0 when every seed holds, otherwise 1 with one reproduce line per failing seed
 * (its scenario is written to DIR, default `fuzz-failures/`).
 */
import { exitCodes, UsageError } from '../../errors.js';
import type { FuzzSeedResult } from '../../fuzz/runFuzz.js';
import type { CliContext } from '../main.js';
import { MAX_SEED } from '../seeds.js';

export interface FuzzArgs {
  seeds?: unknown;
  from?: unknown;
  out?: string;
  quiet?: boolean;
  debug?: boolean;
  /** Balancer modules the swarm may draw (repeatable). */
  balancer?: unknown;
}

/** Most seeds one command runs (a typo guard: 1e9 seeds would run for days). */
export const MAX_FUZZ_SEEDS = 1_000_000;

function wholeNumber(raw: unknown, flag: string, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  if (Array.isArray(raw)) throw new UsageError(`${flag} given more than once`, { path: flag, got: raw.join(', ') });
  const text = String(raw).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`not a valid value for ${flag}`, { path: flag, expected: `a whole number from ${min} to ${max}`, got: text || '(empty)' });
  }
  return n;
}

/** How many scheduled faults a line lists before `+n more`. */
const FAULTS_SHOWN = 4;

/** One line per seed: the verdict, the faults it scheduled (not the kinds it enabled), the arrivals. */
export function describe(r: FuzzSeedResult): string {
  const shown = r.scheduled.slice(0, FAULTS_SHOWN).join('; ');
  const more = r.scheduled.length > FAULTS_SHOWN ? `; +${r.scheduled.length - FAULTS_SHOWN} more` : '';
  const faults = r.faults === 0 ? 'no faults' : `${r.faults} fault${r.faults === 1 ? '' : 's'}: ${shown}${more}`;
  return `seed ${r.seed}: ${r.ok ? 'ok' : `FAILED (${r.invariant})`} — ${faults}; ${r.arrived} arrivals`;
}

export async function fuzzCommand(args: FuzzArgs, ctx: CliContext): Promise<number> {
  const { io } = ctx;
  const seeds = wholeNumber(args.seeds, '--seeds', 1, MAX_FUZZ_SEEDS, 10);
  const from = wholeNumber(args.from, '--from', 0, MAX_SEED, 1);
  if (from + seeds - 1 > MAX_SEED) throw new UsageError('the seeds run past the largest seed', { path: '--seeds', expected: `at most ${MAX_SEED - from + 1} seeds from ${from}`, got: String(seeds) });
  const outDir = args.out ?? 'fuzz-failures';
  const quiet = args.quiet === true;
  // Loaded here, not at the top: the CLI loads the simulator only when a command needs it.
  const { runFuzz } = await import('../../fuzz/runFuzz.js');
  const balancers = await checkedBalancerModules(args.balancer);
  const results = runFuzz({
    seeds,
    from,
    outDir,
    balancers,
    onSeed: (r) => {
      if (!quiet) io.stdout.write(`${describe(r)}\n`);
    },
  });
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) {
    if (!quiet) io.stdout.write(`all ${seeds} seeds hold every invariant (seeds ${from}–${from + seeds - 1})\n`);
    return exitCodes.ok;
  }
  for (const r of failed) {
    io.stderr.write(`seed ${r.seed} violated ${r.invariant}:\n  ${(r.message ?? '').split('\n').join('\n  ')}\n`);
  }
  io.stderr.write(`${failed.length} of ${seeds} seeds failed; reproduce:\n`);
  for (const r of failed) io.stderr.write(`  ${r.reproduce}\n`);
  return exitCodes.failed;
}

/** `--balancer MODULE` (repeatable): each module resolved against the working directory and loaded once now. */
async function checkedBalancerModules(raw: unknown): Promise<string[]> {
  if (raw === undefined) return [];
  const specs = (Array.isArray(raw) ? raw : [raw]).map(String);
  const { loadUserModule } = await import('../../extend/moduleLoader.js');
  const { balancerModuleKind } = await import('../../extend/moduleKinds.js');
  return specs.map((spec) => {
    const mod = loadUserModule(spec, { field: '--balancer' });
    balancerModuleKind(mod, undefined, '--balancer');
    return mod.file;
  });
}
