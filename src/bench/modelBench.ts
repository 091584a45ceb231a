/**
 * Whole-model benchmarks: run a scenario and report simulated activations per wall second, kernel events per
 * second and events per activation. Peak memory is measured in a child process per run (a fresh heap), so two
 * run lengths can be compared for flatness.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadScenarioFile } from '../scenario/load.js';
import { runScenario } from '../runScenario.js';

export interface ModelBenchResult {
  name: string;
  activations: number;
  events: number;
  wallMs: number;
  activationsPerSec: number;
  eventsPerSec: number;
  eventsPerActivation: number;
}

export function benchScenario(file: string, overrides: string[] = [], name = file): ModelBenchResult {
  const scenario = loadScenarioFile(file, overrides);
  const start = performance.now();
  const { summary } = runScenario(scenario);
  const wallMs = performance.now() - start;
  const activations = summary.activations.arrived;
  return {
    name,
    activations,
    events: summary.events,
    wallMs,
    activationsPerSec: (activations / wallMs) * 1000,
    eventsPerSec: (summary.events / wallMs) * 1000,
    eventsPerActivation: summary.events / Math.max(1, activations),
  };
}

/** Runs one scenario in a fresh Node process and returns its peak resident set size in MB. */
export function peakRssMb(file: string, overrides: string[]): { rssMb: number; activations: number } {
  const script = fileURLToPath(new URL('./rssChild.js', import.meta.url));
  const out = execFileSync(process.execPath, [script, file, ...overrides], { encoding: 'utf8' });
  return JSON.parse(out) as { rssMb: number; activations: number };
}
