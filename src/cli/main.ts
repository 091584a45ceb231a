/**
 * The `owsim` command line: a thin layer over the library (STYLE P14). yargs parses and checks the flags, the
 * command modules call library functions that return values, and this file turns whatever is thrown into an
 * exit status (printError.ts). `main` never touches `process`: bin/owsim.js passes the real streams, tests
 * pass string collectors and, through `deps`, a fake run and loader.
 *
 * yargs runs with `exitProcess(false)` and a `fail` handler that throws a UsageError, so an unknown command or
 * flag exits 2 with yargs' message and no stack. Command handlers only record which command was chosen; the
 * command runs after parsing, outside yargs, so its errors are ours to classify.
 */
import yargs, { type Argv } from 'yargs';
import { exitCodes, OwsimError, UsageError } from '../errors.js';
import { REPORTER_NAMES } from '../report/reporterNames.js';
// Commands are imported when chosen (below), so `owsim --help` and `owsim validate` never load the simulator,
// the charts, the canvas or the worker pool; only their argument types are needed here.
import type { CompareArgs } from './commands/compare.js';
import type { FuzzArgs } from './commands/fuzz.js';
import type { InitArgs } from './commands/init.js';
import { INIT_KINDS } from './initKinds.js';
import type { MergeArgs } from './commands/merge.js';
import type { PlanArgs } from './commands/plan.js';
import type { SweepArgs } from './commands/sweep.js';
import type { RunArgs } from './commands/run.js';
import type { ValidateArgs } from './commands/validate.js';
import { requiredDeps, type CliDeps } from './deps.js';
import type { CliIo } from './io.js';
import { printError } from './printError.js';
import { owsimVersion } from '../version.js';

export type { CliIo, TextSink } from './io.js';
export type { CliDeps } from './deps.js';

export interface CliContext {
  io: CliIo;
  deps: CliDeps;
}

type Chosen =
  | { command: 'run'; args: RunArgs }
  | { command: 'validate'; args: ValidateArgs }
  | { command: 'list' }
  | { command: 'schema' }
  | { command: 'compare'; args: CompareArgs }
  | { command: 'sweep'; args: SweepArgs }
  | { command: 'merge'; args: MergeArgs }
  | { command: 'plan'; args: PlanArgs }
  | { command: 'fuzz'; args: FuzzArgs }
  | { command: 'init'; args: InitArgs };

/** Help is wrapped at a fixed width so it reads the same in every terminal and in tests. */
const HELP_WIDTH = 100;

function buildParser(choose: (c: Chosen) => void): Argv {
  const setOption = {
    type: 'string',
    requiresArg: true,
    describe: 'override a scenario field, e.g. invokers.count=20 (repeatable)',
  } as const;
  return yargs()
    .scriptName('owsim')
    .usage('$0 <command> [options]\n\nDeterministic simulator of an Apache OpenWhisk-style platform.')
    .command(
      'run [scenario]',
      'run a scenario (default: the built-in quick start) and write reports',
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'scenario file, or the name of a shipped scenario' })
          .option('seed', { type: 'string', requiresArg: true, describe: "root seed (overrides the scenario's)" })
          .option('seeds', {
            type: 'string',
            requiresArg: true,
            describe: 'run N seeds (--seed, --seed+1, …): per-seed folders plus means and 95% intervals',
          })
          .option('workers', { type: 'string', requiresArg: true, describe: 'worker threads for --seeds [default: min(seeds, available CPUs)]' })
          .option('out', { type: 'string', requiresArg: true, describe: 'report folder [default: reports/<scenario>/]' })
          .option('set', setOption)
          .option('report', {
            type: 'string',
            requiresArg: true,
            describe: `reports to write, comma-separated: ${REPORTER_NAMES.join(',')} [default: all]`,
          })
          .option('quiet', { type: 'boolean', alias: 'q', describe: 'no progress bar and no summary' })
          .option('check', { type: 'boolean', describe: 'check invariants while running: a violation exits 3 with the invariant and a reproduce line' })
          .option('force', { type: 'boolean', describe: 'run even when the estimate is above a billion kernel events' })
          .option('debug', { type: 'boolean', describe: 'print the stack of internal errors' }),
      (argv) => choose({ command: 'run', args: argv as RunArgs }),
    )
    .command(
      'fuzz',
      'swarm testing: run random scenarios with random faults and every invariant checker on',
      (y) =>
        y
          .option('seeds', { type: 'string', requiresArg: true, describe: 'how many seeds [default: 10]' })
          .option('from', { type: 'string', requiresArg: true, describe: 'first seed [default: 1]' })
          .option('out', { type: 'string', requiresArg: true, describe: 'folder for failing scenarios [default: fuzz-failures/]' })
          .option('quiet', { type: 'boolean', alias: 'q', describe: 'no line per seed' })
          .option('balancer', {
            type: 'string',
            requiresArg: true,
            describe: 'a balancer or placement-policy module the swarm may draw besides the built-ins (repeatable)',
          })
          .option('debug', { type: 'boolean', describe: 'print the stack of internal errors' }),
      (argv) => choose({ command: 'fuzz', args: argv as FuzzArgs }),
    )
    .command(
      'validate <file>',
      'load and validate a scenario without running it',
      (y) =>
        y
          .positional('file', { type: 'string', describe: 'scenario file' })
          .option('set', setOption)
          .option('debug', { type: 'boolean', describe: 'print the stack of internal errors' }),
      (argv) => choose({ command: 'validate', args: argv as ValidateArgs }),
    )
    .command('list', 'list the shipped scenarios', (y) => y, () => choose({ command: 'list' }))
    .command('schema', "print the scenario files' JSON Schema (for editor completion and checking)", (y) => y, () => choose({ command: 'schema' }))
    .command(
      'compare <base> <candidate>',
      'compare two runs (run folders or summary.json files) and gate on regressions',
      (y) =>
        y
          .positional('base', { type: 'string', describe: 'baseline run folder or summary.json' })
          .positional('candidate', { type: 'string', describe: 'candidate run folder or summary.json' })
          .option('fail-on', {
            type: 'string',
            requiresArg: true,
            describe: "exit 1 when a rule holds, e.g. 'latencyMs.p99>+10%', 'activations.lost>0' (repeatable)",
          })
          .option('out', { type: 'string', requiresArg: true, describe: 'also write the Markdown table to this file' })
          .option('tolerance', {
            type: 'string',
            requiresArg: true,
            describe: 'one seed a side: relative changes up to this count as unchanged [default: 1%]',
          })
          .option('debug', { type: 'boolean', describe: 'print the stack of internal errors' }),
      (argv) => choose({ command: 'compare', args: argv as CompareArgs }),
    )
    .command(
      'sweep <scenario>',
      "run every point of the scenario's sweep: grid (× seeds) and write sweep.csv and capacity charts",
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'scenario file with a sweep: section, or a shipped scenario' })
          .option('workers', { type: 'string', requiresArg: true, describe: 'worker threads [default: available CPUs]' })
          .option('shard', {
            type: 'string',
            requiresArg: true,
            describe: 'run only shard i of N (i/N, 1-based) and write a partial result for owsim merge',
          })
          .option('out', { type: 'string', requiresArg: true, describe: 'output folder [default: reports/<scenario>-sweep/]' })
          .option('seeds', { type: 'string', requiresArg: true, describe: 'seeds per point [default: sweep.seeds or 1]' })
          .option('seed', { type: 'string', requiresArg: true, describe: "first seed [default: the scenario's]" })
          .option('set', setOption)
          .option('keep-points', { type: 'boolean', describe: "keep each run's report folder under OUT/points/, linked from OUT/index.html" })
          .option('per-name', {
            type: 'string',
            requiresArg: true,
            describe: 'also write per-name metric groups as sweep.csv columns: invokers, topics, controllers, oom.invokers or all (repeatable)',
          })
          .option('quiet', { type: 'boolean', alias: 'q', describe: 'no progress lines' })
          .option('debug', { type: 'boolean', describe: 'print the stack of internal errors' }),
      (argv) => choose({ command: 'sweep', args: argv as SweepArgs }),
    )
    .command(
      'merge <dirs..>',
      'combine the folders of owsim sweep --shard i/N into the sweep.csv and charts of the whole sweep',
      (y) =>
        y
          .positional('dirs', { type: 'string', array: true, describe: 'the shard folders (all N of them)' })
          .option('out', { type: 'string', requiresArg: true, demandOption: true, describe: 'output folder' })
          .option('quiet', { type: 'boolean', alias: 'q', describe: 'no summary line' })
          .option('debug', { type: 'boolean', describe: 'print the stack of internal errors' }),
      (argv) => choose({ command: 'merge', args: argv as MergeArgs }),
    )
    .command(
      'plan <scenario>',
      'find the smallest value of a scenario field that meets a target, by bisection',
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'scenario file, or a shipped scenario' })
          .option('vary', { type: 'string', requiresArg: true, demandOption: true, describe: 'the field to vary, e.g. invokers.count' })
          .option('target', { type: 'string', requiresArg: true, demandOption: true, describe: "the goal, e.g. 'latencyMs.p99<500'" })
          .option('min', { type: 'string', requiresArg: true, describe: 'smallest value tried [default: 1]' })
          .option('max', { type: 'string', requiresArg: true, describe: 'largest value tried [default: 64]' })
          .option('seeds', { type: 'string', requiresArg: true, describe: 'seeds per value (the metric is their mean) [default: 1]' })
          .option('seed', { type: 'string', requiresArg: true, describe: "first seed [default: the scenario's]" })
          .option('set', setOption)
          .option('out', { type: 'string', requiresArg: true, describe: 'also write the Markdown report to this file' })
          .option('quiet', { type: 'boolean', alias: 'q', describe: 'no progress lines' })
          .option('debug', { type: 'boolean', describe: 'print the stack of internal errors' }),
      (argv) => choose({ command: 'plan', args: argv as PlanArgs }),
    )
    .command(
      'init <kind> <name>',
      'write a starting point for your own module: a typed skeleton, a scenario and a test',
      (y) =>
        y
          .positional('kind', { type: 'string', choices: [...INIT_KINDS], describe: 'what to write' })
          .positional('name', { type: 'string', describe: 'the module name (it names the files)' })
          .option('dir', { type: 'string', requiresArg: true, describe: 'folder to write into [default: .]' })
          .option('debug', { type: 'boolean', describe: 'print the stack of internal errors' }),
      (argv) => choose({ command: 'init', args: argv as InitArgs }),
    )
    .demandCommand(1, 'no command given')
    .recommendCommands()
    .strict()
    .version(owsimVersion())
    .help()
    .alias('h', 'help')
    .wrap(HELP_WIDTH)
    .exitProcess(false)
    .fail((message: string | undefined, err: Error | undefined) => {
      if (err instanceof OwsimError) throw err;
      throw new UsageError(message ?? err?.message ?? 'bad command line');
    });
}

async function resolveDeps(deps: Partial<CliDeps> | undefined): Promise<CliDeps> {
  if (deps !== undefined && requiredDeps.every((k) => typeof deps[k] === 'function')) return deps as CliDeps;
  const { defaultDeps } = await import('./defaultDeps.js');
  return { ...defaultDeps, ...deps };
}

/** Runs the `owsim` command line and returns the process exit status (see `exitCodes`). */
export async function main(argv: string[], io: CliIo, deps?: Partial<CliDeps>): Promise<number> {
  // Read before parsing so a failure during parsing or loading still honours it.
  const debug = argv.includes('--debug');
  let chosen: Chosen | undefined;
  let parserOutput = '';
  try {
    await buildParser((c) => {
      chosen = c;
    }).parseAsync(argv, {}, (_err, _argv, output) => {
      parserOutput = output;
    });
  } catch (err) {
    return printError(err, io, debug);
  }
  // --help and --version: yargs hands us the text instead of printing it.
  if (parserOutput !== '') io.stdout.write(parserOutput.endsWith('\n') ? parserOutput : `${parserOutput}\n`);
  if (chosen === undefined) return exitCodes.ok;

  try {
    const ctx: CliContext = { io, deps: await resolveDeps(deps) };
    switch (chosen.command) {
      case 'run':
        return await (await import('./commands/run.js')).runCommand(chosen.args, ctx);
      case 'validate':
        return await (await import('./commands/validate.js')).validateCommand(chosen.args, ctx);
      case 'list':
        return await (await import('./commands/list.js')).listCommand(ctx);
      case 'schema':
        return await (await import('./commands/schema.js')).schemaCommand(ctx);
      case 'compare':
        return await (await import('./commands/compare.js')).compareCommand(chosen.args, ctx);
      case 'sweep':
        return await (await import('./commands/sweep.js')).sweepCommand(chosen.args, ctx);
      case 'merge':
        return await (await import('./commands/merge.js')).mergeCommand(chosen.args, ctx);
      case 'plan':
        return await (await import('./commands/plan.js')).planCommand(chosen.args, ctx);
      case 'fuzz':
        return await (await import('./commands/fuzz.js')).fuzzCommand(chosen.args, ctx);
      case 'init':
        return await (await import('./commands/init.js')).initCommand(chosen.args, ctx);
    }
  } catch (err) {
    return printError(err, io, debug);
  }
}
