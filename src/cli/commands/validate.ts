/**
 * `owsim validate FILE [--set …]`: loads and validates a scenario without running it and prints a one-line
 * digest. A bad file surfaces as the loader's ScenarioError/FileError, which main prints (exit 2).
 */
import { formatDuration } from '../../report/format.js';
import { describeEstimate, estimateRun, MAX_ESTIMATED_EVENTS } from '../../scenario/estimate.js';
import type { Scenario } from '../../scenario/types.js';
import type { CliContext } from '../main.js';
import { loadScenarioArg, parseOverrides } from './scenarioArg.js';

export interface ValidateArgs {
  file?: string;
  set?: unknown;
}

export function describeScenario(s: Scenario): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [
    plural(s.workload.actions.length + (s.workload.population?.actions ?? 0), 'action') + (s.workload.population !== null ? ` (${s.workload.population.actions} generated)` : ''),
    plural(s.invokers.count, 'invoker'),
    plural(s.controllers.count, 'controller'),
    s.controllers.loadBalancerModule !== null ? `balancer module ${s.controllers.loadBalancerModule.module}` : `${s.controllers.loadBalancer} balancer`,
    `${formatDuration(s.durationMs)} simulated`,
    `seed ${s.seed}`,
  ].join(', ');
}

export async function validateCommand(args: ValidateArgs, ctx: CliContext): Promise<number> {
  const overrides = parseOverrides(args.set);
  const { scenario } = await loadScenarioArg(args.file, overrides, ctx.deps);
  ctx.io.stdout.write(`ok: ${scenario.name} (${describeScenario(scenario)})\n`);
  const estimate = estimateRun(scenario);
  ctx.io.stdout.write(`${describeEstimate(estimate)}\n`);
  if (estimate.events > MAX_ESTIMATED_EVENTS) ctx.io.stdout.write(`owsim run will refuse it without --force (more than ${MAX_ESTIMATED_EVENTS / 1e9} billion kernel events)\n`);
  return 0;
}
