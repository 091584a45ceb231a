/**
 * `owsim init container-policy NAME`: a typed container-policy module that starts as OpenWhisk's own
 * behaviour written out (so a user changes one decision at a time), a small scenario that runs it, and a test
 * (node's built-in runner) that runs the scenario with and without the policy and checks what must hold.
 */
import type { TemplateFile } from './balancerTemplate.js';

export function containerPolicyTemplate(name: string): TemplateFile[] {
  const title = name.replace(/-/g, ' ');
  return [
    {
      name: `${name}.ts`,
      text: `// ${title}: a container-pool policy for owsim (invokers.containerPolicy). It starts as OpenWhisk's own
// behaviour written out; change one decision at a time and compare with \`owsim compare\`.
// The hooks and what they may return: docs/extending.md, "Container-pool policies".
import { z } from 'zod';
import type { ContainerPolicyModule } from 'owsim';

export const optionsSchema = z
  .object({
    /** How long an idle container is kept, in minutes; absent: OpenWhisk's (pauseGrace + idleTimeout). */
    keepAliveMinutes: z.number().positive().optional(),
  })
  .strict();

type Options = z.infer<typeof optionsSchema>;

const policy: ContainerPolicyModule<Options> = {
  name: '${name}',
  optionsSchema,
  create(ctx, options) {
    const keepAliveMs = options.keepAliveMinutes !== undefined ? options.keepAliveMinutes * 60_000 : ctx.defaultKeepAliveMs;
    return {
      // Which warm container takes the activation: candidates are the action's containers with spare
      // concurrency; OpenWhisk prefers an initialized one (null would force a cold start).
      selectWarm(req, candidates) {
        const ready = candidates.findIndex((c) => !c.initializing);
        return ready >= 0 ? ready : 0;
      },
      // Memory is short: which idle container goes. \`idle\` is least recently used first (OpenWhisk: LRU).
      selectVictim(idle, needMB) {
        return 0;
      },
      // A container became idle: how long to keep it (or { prewarmMs, keepAliveMs } to unload it now and
      // start a new one later).
      keepAlive(action, container) {
        return keepAliveMs;
      },
    };
  },
};

export default policy;
`,
    },
    {
      name: `${name}.scenario.yaml`,
      text: `# A small scenario that runs the ${name} container policy:
#   npx owsim run ${name}.scenario.yaml
#   npx owsim run ${name}.scenario.yaml --set invokers.containerPolicy.options.keepAliveMinutes=30
name: ${name}
duration: 2h
warmup: 10m
sampleInterval: 10s
invokers:
  count: 2
  userMemory: 2GB
  containerPolicy:
    module: ./${name}.ts
    options: {}
workload:
  actions:
    - { name: guest/busy, memory: 256MB, duration: { dist: lognormal, median: 50ms, p99: 300ms }, arrivals: { process: poisson, rate: 5/s } }
    - { name: guest/hourly, memory: 256MB, duration: { dist: lognormal, median: 500ms, p99: 2s }, arrivals: { process: constant, rate: 4/h } }
    - { name: guest/rare, memory: 512MB, duration: { dist: lognormal, median: 1s, p99: 4s }, arrivals: { process: poisson, rate: 3/h } }
`,
    },
    {
      name: `${name}.test.mjs`,
      text: `// Run with: node --test ${name}.test.mjs   (needs owsim installed: npm install owsim)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile, parseScenarioText, runScenario } from 'owsim';

const scenarioFile = fileURLToPath(new URL('./${name}.scenario.yaml', import.meta.url));

test('${name}: every activation completes, and the same seed gives the same summary', () => {
  const first = runScenario(loadScenarioFile(scenarioFile)).summary;
  assert.equal(first.activations.completed, first.activations.arrived);
  assert.equal(first.activations.lost, 0);
  const second = runScenario(loadScenarioFile(scenarioFile)).summary;
  assert.equal(JSON.stringify(second), JSON.stringify(first));
});

test('${name}: as generated it is OpenWhisk own pool (the same summary as without a policy)', () => {
  const withPolicy = runScenario(loadScenarioFile(scenarioFile)).summary;
  const text = readFileSync(scenarioFile, 'utf8').replace(/^  containerPolicy:\\n(?:    .*\\n)+/m, '');
  assert.ok(!/^  containerPolicy:/m.test(text));
  const without = runScenario(parseScenarioText(text, scenarioFile)).summary;
  // Remove this test once the policy makes its own decisions; compare the two with \`owsim compare\` instead.
  assert.deepEqual(withPolicy, without);
});
`,
    },
  ];
}
