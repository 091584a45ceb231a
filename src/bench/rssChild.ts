/**
 * Child process of `peakRssMb` and `overloadBench`: runs one scenario in a fresh process and prints, as JSON, its
 * peak RSS (from the OS), the peak of the V8 heap in use (sampled after each simulated chunk, about 200 times a
 * run), the run's arrivals and mean activations in flight, and the wall time of the run itself.
 */
import { performance } from 'node:perf_hooks';
import { resourceUsage } from 'node:process';
import { getHeapStatistics } from 'node:v8';
import { loadScenarioFile } from '../scenario/load.js';
import { runScenario } from '../runScenario.js';

export interface RssChildResult {
  rssMb: number;
  heapMb: number;
  activations: number;
  meanInFlight: number;
  runMs: number;
}

const [file, ...overrides] = process.argv.slice(2);
const scenario = loadScenarioFile(file!, overrides);
let heapPeak = 0;
const start = performance.now();
const { summary } = runScenario(scenario, {
  onProgress: () => {
    const used = getHeapStatistics().used_heap_size;
    if (used > heapPeak) heapPeak = used;
  },
});
const runMs = performance.now() - start;
const result: RssChildResult = {
  // maxRSS is reported in kilobytes.
  rssMb: resourceUsage().maxRSS / 1024,
  heapMb: heapPeak / 2 ** 20,
  activations: summary.activations.arrived,
  meanInFlight: summary.littlesLaw.meanInFlight,
  runMs,
};
process.stdout.write(JSON.stringify(result));
