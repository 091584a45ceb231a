/**
 * What `owsim init balancer NAME` writes: a typed placement-policy skeleton (least in-flight among the healthy
 * invokers, ties broken by the seeded stream), a scenario that runs it, and a test runnable with `node --test`
 * that runs the scenario twice through owsim and checks the policy keeps every activation and is repeatable.
 */
export interface TemplateFile {
  /** File name relative to the output folder. */
  name: string;
  text: string;
}

export function balancerTemplate(name: string): TemplateFile[] {
  const policy = `${name}.ts`;
  const scenario = `${name}.scenario.yaml`;
  const test = `${name}.test.mjs`;
  return [
    {
      name: policy,
      text: `// Placement policy "${name}" for owsim (docs/extending.md). Run it: owsim run ${scenario} --check
import { z } from 'zod';
import type { PlacementContext, PlacementPolicy, PlacementPolicyModule, PlacementRequest } from 'owsim';

/** Options from the scenario (controllers.loadBalancer.options), validated by owsim before the run. */
export const optionsSchema = z.object({
  /** Invokers with at least this many activations in flight are skipped while another has room. */
  maxInFlight: z.number().int().positive().default(16),
});
export type Options = z.infer<typeof optionsSchema>;

const policy: PlacementPolicyModule<Options> = {
  name: '${name}',
  create(ctx: PlacementContext, options: Options): PlacementPolicy {
    // Keep all state in here: owsim loads the module once and calls create once per controller.
    return {
      schedule(req: PlacementRequest): number | null {
        let best: number | null = null;
        let bestLoad = Infinity;
        let ties = 0;
        for (const invoker of ctx.invokers()) {
          if (!invoker.healthy || invoker.freeMemoryMB < req.memoryMB) continue;
          const load = Math.min(invoker.inFlight, options.maxInFlight);
          if (load < bestLoad) {
            best = invoker.index;
            bestLoad = load;
            ties = 1;
          } else if (load === bestLoad && ctx.rng() * ++ties < 1) {
            // Reservoir sampling over the ties, from the seeded stream (never Math.random).
            best = invoker.index;
          }
        }
        // null rejects the activation (noInvokers); fall back to any healthy invoker first.
        return best ?? ctx.invokers().find((invoker) => invoker.healthy)?.index ?? null;
      },
      onCompleted(_activationId: number, _invokerIndex: number): void {},
      onInvokerStateChange(_index: number, _healthy: boolean): void {},
    };
  },
};

export default policy;
`,
    },
    {
      name: scenario,
      text: `# A small cluster under the "${name}" placement policy.
name: ${name}
seed: 1
duration: 1m
drain: 1m
controllers:
  loadBalancer: { module: ./${policy}, options: { maxInFlight: 16 } }
invokers: { count: 4, userMemory: 2GB }
workload:
  actions:
    - name: guest/hello
      memory: 256MB
      duration: { dist: lognormal, median: 50ms, p99: 400ms }
      arrivals: { process: poisson, rate: 40/s }
    - name: guest/render
      memory: 512MB
      duration: { dist: lognormal, median: 800ms, p99: 2s }
      arrivals: { process: poisson, rate: 2/s }
faults:
  - { at: 20s, kind: invoker-crash, target: invoker3, for: 20s }
`,
    },
    {
      name: test,
      text: `// Tests for the "${name}" placement policy: node --test ${test}
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile, runScenario } from 'owsim';

const scenarioFile = fileURLToPath(new URL('./${scenario}', import.meta.url));

test('${name} places every activation and uses every healthy invoker', () => {
  const { summary } = runScenario(loadScenarioFile(scenarioFile), { checks: true });
  const a = summary.activations;
  assert.equal(a.rejected, 0);
  // Every arrival is accounted for (lost: running on invoker3 when it crashed).
  assert.equal(a.completed + a.timedOut + a.lost + a.inFlight, a.arrived);
  for (const name of ['invoker0', 'invoker1', 'invoker2']) assert.ok(summary.invokers[name].activations > 0, name);
});

test('${name} is repeatable: the same seed gives the same summary', () => {
  const first = runScenario(loadScenarioFile(scenarioFile));
  const second = runScenario(loadScenarioFile(scenarioFile));
  assert.equal(JSON.stringify(second.summary), JSON.stringify(first.summary));
});
`,
    },
  ];
}
