// Power of two choices (Mitzenmacher; Azar et al.): draw two different healthy invokers at random and send the
// activation to the less loaded of the two, by this controller's count of activations in flight on each.
// With d choices (option `choices`) the least loaded of d. Randomness comes from ctx.rng() only, so runs
// stay reproducible.
import { z } from 'zod';

export const optionsSchema = z
  .object({
    /** How many random healthy invokers to compare. */
    choices: z.number().int().min(2).default(2),
  })
  .strict();

export default {
  name: 'power-of-two-choices',
  optionsSchema,
  create(ctx, options) {
    const healthy = [];
    return {
      schedule() {
        healthy.length = 0;
        for (const invoker of ctx.invokers()) if (invoker.healthy) healthy.push(invoker);
        const n = healthy.length;
        if (n === 0) return null; // no healthy invoker: rejected as OpenWhisk's noInvokers
        // Partial Fisher-Yates: the first `d` entries become d different random invokers.
        const d = Math.min(options.choices, n);
        let best = null;
        for (let k = 0; k < d; k++) {
          const j = k + Math.floor(ctx.rng() * (n - k));
          const pick = healthy[j];
          healthy[j] = healthy[k];
          healthy[k] = pick;
          if (best === null || pick.inFlight < best.inFlight) best = pick;
        }
        return best.index;
      },
    };
  },
};
