/**
 * `owsim merge DIR... --out OUT`: combines the folders written by `owsim sweep --shard i/N` into the sweep.csv
 * and capacity charts a single run of the whole sweep writes, byte for byte. Refuses (exit 2, naming the
 * folder) shards of another scenario or grid, a shard given twice, and a missing shard (src/sweep/shard.ts).
 */
import { exitCodes, UsageError } from '../../errors.js';
import { mergeShards } from '../../sweep/shard.js';
import type { CliContext } from '../main.js';
import { toStringList } from './scenarioArg.js';
import { writeSweepOutputs } from './sweep.js';

export interface MergeArgs {
  dirs?: unknown;
  out?: string;
  quiet?: boolean;
  debug?: boolean;
}

export async function mergeCommand(args: MergeArgs, ctx: CliContext): Promise<number> {
  const dirs = toStringList(args.dirs);
  if (dirs.length === 0) throw new UsageError('no shard folders given', { expected: 'owsim merge DIR... --out OUT' });
  if (args.out === undefined || args.out === '') throw new UsageError('an output folder is required', { path: '--out', expected: 'owsim merge DIR... --out OUT' });
  const outcome = mergeShards(dirs);
  const written = await writeSweepOutputs(outcome, args.out);
  if (args.quiet !== true) {
    ctx.io.stdout.write(
      `owsim merge: ${dirs.length} shard${dirs.length === 1 ? '' : 's'} of ${outcome.scenario} (${outcome.results.length} runs) → ` +
        `${written.csv}; ${written.charts} capacity charts in ${written.chartsDir}\n`,
    );
  }
  return exitCodes.ok;
}
