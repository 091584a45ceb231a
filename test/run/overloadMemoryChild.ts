/**
 * Child process of overloadMemory.test.ts (run with `node --expose-gc` through vite-node): runs the overload
 * benchmark scenario for `duration` and, after a forced GC at the end of a few simulated chunks, prints the
 * activations in flight and the V8 heap in use at each, as JSON lines.
 */
import { getHeapStatistics } from 'node:v8';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runScenario.js';
import type { ClusterParts } from '../../src/model/Cluster.js';

const [file, ...overrides] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
let cluster: ClusterParts | null = null;
const points: { simulatedMs: number; inFlight: number; heapBytes: number }[] = [];
let next = 0;
runScenario(loadScenarioFile(file!, overrides), {
  checks: false,
  instrument: (c) => (cluster = c),
  onProgress: (p) => {
    if (p.simulatedMs < next) return;
    next = p.simulatedMs + p.totalMs / 4;
    gc();
    points.push({ simulatedMs: p.simulatedMs, inFlight: cluster!.metrics.inFlight, heapBytes: getHeapStatistics().used_heap_size });
  },
});
process.stdout.write(JSON.stringify(points));
