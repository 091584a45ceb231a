/**
 * Closed-loop clients: latency feeds back into load. With N clients, think time Z and response time R,
 * Little's law on the closed loop gives throughput X = N / (R + Z); a slower system therefore receives less
 * work. Tolerance 5%: the law is exact for long-run averages, and 60 s of 2,000-10,000 completions leave a few
 * percent of edge effects (clients mid-cycle at the window's ends).
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/runScenario.js';

function run(runTime: string, invokers: number, clients = 40, think = '500ms') {
  const text = `
name: closed-loop
duration: 70s
warmup: 10s
drain: 2m
invokers: { count: ${invokers}, userMemory: 1GB, coldStart: 0ms }
workload:
  actions:
    - name: guest/api
      memory: 256MB
      duration: { dist: exponential, mean: ${runTime} }
      clients: { count: ${clients}, thinkTime: { dist: exponential, mean: ${think} } }
`;
  const { summary } = runScenario(parseScenarioText(text, 'closed-loop.yaml'));
  // Completions of activations sent in the 60 s measured window, over that window (summary.throughputPerSec
  // divides by the run's end, which includes the last activations' drain).
  return { x: summary.latencyMs.count / 60, r: summary.latencyMs.mean / 1000, s: summary };
}

describe('closed-loop clients', () => {
  it("obey Little's law with think time, and throughput falls as latency rises", () => {
    const fast = run('50ms', 20);
    const slow = run('400ms', 20);
    const starved = run('50ms', 1); // 4 containers for 40 clients: queueing adds latency
    for (const { x, r } of [fast, slow, starved]) expect(Math.abs((x * (r + 0.5)) / 40 - 1)).toBeLessThan(0.05);
    expect(slow.r).toBeGreaterThan(fast.r);
    expect(slow.x).toBeLessThan(fast.x * 0.75);
    expect(starved.r).toBeGreaterThan(fast.r);
    expect(starved.x).toBeLessThan(fast.x);
    // Nothing is sent after the arrival window: at most one activation per client is still resolving then.
    expect(fast.s.activations.inFlight).toBe(0);
    expect(fast.s.activations.rejected).toBe(0);
  });

  it('clients and arrivals exclude each other', () => {
    const text = `
name: both
workload:
  actions:
    - name: guest/api
      arrivals: 10/s
      clients: { count: 5 }
`;
    expect(() => parseScenarioText(text, 'both.yaml')).toThrow(/workload\.actions\[0\]\.clients: an action has either open `arrivals` or closed-loop `clients`/);
  });
});
