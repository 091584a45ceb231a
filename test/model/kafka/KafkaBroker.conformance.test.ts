/** The messaging conformance suite against the simulated Kafka, with zero and with random produce latency. */
import { describe } from 'vitest';
import { Simulation } from '../../../src/sim/Simulation.js';
import { KafkaBroker } from '../../../src/model/kafka/KafkaBroker.js';
import { runConformance } from './messageConsumer.conformance.js';

describe('KafkaBroker, zero latency', () => {
  runConformance({
    create: () => {
      const sim = new Simulation({ seed: 7 });
      const broker = new KafkaBroker(sim, { latencyMs: { dist: 'constant', value: 0 } });
      return { provider: broker, sim, maxLatencyMs: 0, depth: (t) => broker.depth(t) };
    },
  });
});

describe('KafkaBroker, uniform 1–20 ms latency', () => {
  runConformance({
    create: () => {
      const sim = new Simulation({ seed: 7 });
      const broker = new KafkaBroker(sim, { latencyMs: { dist: 'uniform', min: 1, max: 20 } });
      return { provider: broker, sim, maxLatencyMs: 20, depth: (t) => broker.depth(t) };
    },
  });
});
