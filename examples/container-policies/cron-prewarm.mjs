import { z } from 'zod';

export const optionsSchema = z
  .object({
    /** Actions called on a timer, and their period in minutes. */
    periods: z.record(z.string(), z.number().positive()),
    /** Start the container this long before the next call is due, in seconds. */
    leadSeconds: z.number().positive().default(30),
  })
  .strict();

export default {
  name: 'cron-prewarm',
  optionsSchema,
  create(ctx, options) {
    const lead = options.leadSeconds * 1000;
    return {
      keepAlive(action, container) {
        const period = options.periods[action.action];
        if (period === undefined) return ctx.defaultKeepAliveMs;
        // Idle since container.lastUsedMs (= now): the next call is due about one period after the last one
        // started, a little less after it ended; start early and keep it until well after the due time.
        const prewarmMs = Math.max(1, period * 60_000 - 2 * lead);
        return { prewarmMs, keepAliveMs: 4 * lead };
      },
    };
  },
};
