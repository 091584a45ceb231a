/**
 * `npm run bench`: prints kernel and whole-model throughput. Each benchmark runs a warm-up pass, then
 * `repeats` measured passes, and the median is reported. Targets are the figures set in the issues.
 */
import { holdModel, mmcModel, type BenchResult } from './kernelBench.js';

const repeats = Number(process.argv.find((a) => a.startsWith('--repeats='))?.split('=')[1] ?? 5);

function median(results: BenchResult[]): BenchResult {
  const sorted = [...results].sort((a, b) => a.eventsPerSec - b.eventsPerSec);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(run: () => BenchResult): BenchResult {
  run();
  return median(Array.from({ length: repeats }, run));
}

const fmt = (x: number) => (x / 1e6).toFixed(2) + ' M/s';

const hold = measure(() => holdModel(1000, 2_000_000));
console.log(`kernel ${hold.name}: ${fmt(hold.eventsPerSec)} events (${hold.events} events, ${hold.wallMs.toFixed(0)} ms)`);

const mmc = measure(() => mmcModel(16, 0.8, 1_000_000));
const target = 6e6;
console.log(
  `kernel ${mmc.name}, 1,000,000 customers: ${fmt(mmc.eventsPerSec)} events ` +
    `(target ≥ ${fmt(target)}: ${mmc.eventsPerSec >= target ? 'met' : 'NOT met'}); ` +
    `mean wait ${mmc.extra!.meanWaitMs!.toFixed(3)} ms simulated vs ${mmc.extra!.erlangCMeanWaitMs!.toFixed(3)} ms Erlang C`,
);
