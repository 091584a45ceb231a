// Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, "Consistent Hashing with Bounded
// Loads", SODA 2018). Every invoker owns `replicas` points on a hash ring; an activation's key (its action, so
// the same action keeps landing where its containers are warm) hashes to a point, and it goes to the first
// healthy invoker clockwise whose load is below the bound ceil((1 + epsilon) * (total load + 1) / healthy
// invokers). Load is this controller's count of activations in flight. The bound caps any invoker at
// (1 + epsilon) times the average, and an overloaded invoker's work moves to its ring successors only.
import { z } from 'zod';

export const optionsSchema = z
  .object({
    /** Allowed imbalance: no invoker holds more than (1 + epsilon) times the average load. */
    epsilon: z.number().positive().default(0.25),
    /** Points per invoker on the ring (virtual nodes): more points, smoother key spread. */
    replicas: z.number().int().min(1).max(1000).default(64),
    /** What an activation's key is: the action (locality of warm containers) or the namespace. */
    key: z.enum(['action', 'namespace']).default('action'),
  })
  .strict();

/** 32-bit FNV-1a: a fixed, platform-independent hash (never iteration order or object identity). */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche (murmur3's fmix32) so nearby keys spread over the ring.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export default {
  name: 'consistent-hashing-bounded-loads',
  optionsSchema,
  create(ctx, options) {
    const count = ctx.invokers().length;
    // The ring: point hashes ascending, with the invoker owning each point (ties broken by invoker index).
    const points = [];
    for (let i = 0; i < count; i++) {
      for (let r = 0; r < options.replicas; r++) points.push({ hash: fnv1a(`invoker${i}#${r}`), invoker: i });
    }
    points.sort((a, b) => a.hash - b.hash || a.invoker - b.invoker);
    const hashes = Uint32Array.from(points, (p) => p.hash);
    const owners = Int32Array.from(points, (p) => p.invoker);
    const keyHashes = new Map();

    /** First ring position with hash >= h (wrapping to 0). */
    function firstAtOrAfter(h) {
      let lo = 0;
      let hi = hashes.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (hashes[mid] < h) lo = mid + 1;
        else hi = mid;
      }
      return lo === hashes.length ? 0 : lo;
    }

    return {
      schedule(req) {
        const invokers = ctx.invokers();
        let healthy = 0;
        let load = 0;
        for (const invoker of invokers) {
          if (!invoker.healthy) continue;
          healthy++;
          load += invoker.inFlight;
        }
        if (healthy === 0) return null;
        const bound = Math.ceil(((1 + options.epsilon) * (load + 1)) / healthy);
        const key = options.key === 'action' ? req.action : req.namespace;
        let h = keyHashes.get(key);
        if (h === undefined) keyHashes.set(key, (h = fnv1a(key)));
        const start = firstAtOrAfter(h);
        for (let step = 0; step < hashes.length; step++) {
          const invoker = invokers[owners[(start + step) % hashes.length]];
          if (invoker.healthy && invoker.inFlight < bound) return invoker.index;
        }
        return null; // unreachable: some healthy invoker is always below the bound
      },
    };
  },
};
