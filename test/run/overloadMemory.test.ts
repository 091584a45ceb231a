/**
 * What a waiting activation costs in memory (the overload issue's budget): the overload benchmark scenario
 * (scenarios/bench/overload.yaml, a cluster that melts down so activations pile up in Kafka and in the
 * controllers' bookkeeping) runs in a child process with `--expose-gc`; after a forced GC at a few points, the
 * heap in use grows with the activations in flight by the bytes each one holds (record, message, entry, promise,
 * timer and queue slots). The slope between the first and the last point must stay under the budget. The
 * figures at whole-process scale (peak RSS against a healthy run) are `npm run bench -- --only=overload`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
/**
 * Live heap per activation in flight; measured 550–560 bytes (2026-12-03, after the compact record and message;
 * 720 before), so the margin covers noise (±10 bytes between runs), not growth.
 */
const BUDGET_BYTES = 640;

describe('overload memory', () => {
  it(`a waiting activation holds at most ${BUDGET_BYTES} bytes of live heap`, () => {
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', `${root}node_modules/vite-node/vite-node.mjs`, `${root}test/run/overloadMemoryChild.ts`, `${root}scenarios/bench/overload.yaml`, 'duration=40s', 'warmup=5s', 'drain=0s'],
      { encoding: 'utf8', cwd: root },
    );
    const points = JSON.parse(out) as { simulatedMs: number; inFlight: number; heapBytes: number }[];
    const first = points[0]!;
    const last = points[points.length - 1]!;
    // The scenario must still melt down, or the slope would measure nothing.
    expect(last.inFlight - first.inFlight).toBeGreaterThan(10_000);
    const bytesPerActivation = (last.heapBytes - first.heapBytes) / (last.inFlight - first.inFlight);
    expect(bytesPerActivation, JSON.stringify(points)).toBeLessThan(BUDGET_BYTES);
  });
});
