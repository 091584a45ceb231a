/** docs/findings.md "Validation against theory and measurements": the M/M/16 reduction (scenarios/validation/mmc.yaml). */
import { join } from 'node:path';
import { packageRoot } from '../scenario/builtin.js';
import { loadScenarioFile } from '../scenario/load.js';
import { erlangCMeanWait } from '../sim/queueingTheory.js';
import { onSeeds, type FindingsBlock } from './block.js';
import { fifoQueueMeanWait, MMC_SCENARIO_QUEUE } from './fifoQueue.js';

const scenario = 'scenarios/validation/mmc.yaml';
/** Seeds of the shipped 30-minute run whose spread the paragraph quotes. */
const SPREAD_SEEDS = 12;
/** The long FIFO-queue runs (as test/validation/mmc.test.ts runs them): seeds 1–3, 40 h after a 1-minute warm-up. */
const LONG_SEEDS = [1, 2, 3];
const LONG_WARMUP_MS = 60_000;
const LONG_HOURS = 40;

const mean = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
/** Sample standard deviation (n − 1). */
const sd = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
const signed = (x: number, digits: number) => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(digits)}`;

export const validationBlocks: FindingsBlock[] = [
  {
    id: 'mmc',
    cheap: false,
    runs: onSeeds({ scenario }, SPREAD_SEEDS),
    render(outs) {
      const q = MMC_SCENARIO_QUEUE;
      const theoryMs = erlangCMeanWait(q.servers, 1 / q.arrivalMeanMs, 1 / q.serviceMeanMs);
      const long = LONG_SEEDS.map((seed) => fifoQueueMeanWait(q, seed, LONG_WARMUP_MS, LONG_WARMUP_MS + LONG_HOURS * 3_600_000));
      const longMean = mean(long.map((r) => r.meanWaitMs));
      const customers = mean(long.map((r) => r.customers));
      const waits = outs.map((o) => o.summary.waitMs.mean);
      const minutes = Math.round(loadScenarioFile(join(packageRoot(), scenario)).durationMs / 60_000);
      return (
        `**M/M/16 reduction** (\`${scenario}\`, \`test/validation/mmc.test.ts\`). With zero Kafka latency and ` +
        `zero cold start, one invoker with ${q.servers} slots, exponential run times (mean ${q.serviceMeanMs} ms) and Poisson arrivals at ${Math.round(1000 / q.arrivalMeanMs)}/s ` +
        `(ρ = ${((1000 / q.arrivalMeanMs) * (q.serviceMeanMs / 1000) / q.servers).toFixed(1)}), the whole pipeline — front door, controller, legacy balancer, Kafka, the invoker's MessageFeed and ` +
        `ContainerPool, active acks — gives every activation exactly the wait of a ${q.servers}-server FIFO queue fed the same random ` +
        `numbers (same count, same mean wait to 10⁻³ ms, on seeds 1–3: the test checks it). That FIFO queue, run for ${LONG_HOURS} simulated hours on each of ` +
        `seeds ${LONG_SEEDS[0]}–${LONG_SEEDS.at(-1)} (≈ ${(customers / 1e6).toFixed(1)} M customers each), has a mean wait of ${longMean.toFixed(3)} ms, ` +
        `${signed(((longMean - theoryMs) / theoryMs) * 100, 1)}% from Erlang C's ${theoryMs.toFixed(3)} ms (the test asks for 2%). ` +
        `A single ${minutes}-minute run has a standard deviation of about ${Math.round((sd(waits) / theoryMs) * 100)}% around it ` +
        `(${SPREAD_SEEDS} seeds of the model: mean ${mean(waits).toFixed(3)} ms, sd ${sd(waits).toFixed(3)} ms), which is why the per-run check is the pathwise one.\n`
      );
    },
  },
];
