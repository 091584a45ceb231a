/** The messaging conformance suite against the in-memory provider used by the port's unit tests. */
import { describe } from 'vitest';
import { Simulation } from '../../../src/sim/Simulation.js';
import { InMemoryMessagingProvider } from '../../../src/model/kafka/InMemoryMessaging.js';
import { simScheduler } from '../../../src/model/common/simScheduler.js';
import { runConformance } from './messageConsumer.conformance.js';

describe('InMemoryMessagingProvider', () => {
  runConformance({
    create: () => {
      const sim = new Simulation({ seed: 7 });
      const provider = new InMemoryMessagingProvider(simScheduler(sim));
      return { provider, sim, maxLatencyMs: 0, depth: (t) => provider.depth(t) };
    },
  });
});
