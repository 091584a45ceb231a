// The hybrid histogram keep-alive policy of "Serverless in the Wild" (Shahrad et al., USENIX ATC '20, §4.2),
// as an owsim container policy (invokers.containerPolicy). The paper's unit is the application; here it is
// the action. Per action it keeps a histogram of idle times (from the moment the action's last activation in
// this invoker finished to its next arrival) in 1-minute bins over a 4-hour range. When the action goes idle
// and its histogram is representative, its container is unloaded at once and a new one is pre-warmed after
// the head percentile of the idle times (minus a margin), then kept until the tail percentile (plus a
// margin). When it is not (too few idle times, a flat histogram, or too many idle times beyond the range),
// the container is kept for a fixed keep-alive. The paper switches to an ARIMA forecast for applications
// whose idle times mostly exceed the range; this example uses the fixed keep-alive instead.
//
// The paper's applications run one instance at a time; OpenWhisk runs several containers of a busy action.
// A container that becomes idle while the action still has activations in the pool is not the action going
// idle: it keeps OpenWhisk's keep-alive (ctx.defaultKeepAliveMs), as without the policy.
import { z } from 'zod';

const MINUTE = 60_000;

export const optionsSchema = z
  .object({
    /** Histogram range in minutes (idle times beyond it are out of bounds). */
    rangeMinutes: z.number().int().positive().default(240),
    /** Pre-warm at this percentile of the idle times. */
    headPercentile: z.number().min(0).max(100).default(5),
    /** Keep alive until this percentile. */
    tailPercentile: z.number().min(0).max(100).default(99),
    /** Safety margin: the pre-warm window shrinks and the keep-alive window grows by this fraction. */
    margin: z.number().min(0).max(1).default(0.1),
    /** The histogram is representative when the coefficient of variation of its bin counts exceeds this. */
    cvThreshold: z.number().min(0).default(2),
    /** ...and it holds at least this many idle times. */
    minSamples: z.number().int().min(1).default(5),
    /** ...and at most this fraction of idle times fell beyond the range. */
    maxOutOfBounds: z.number().min(0).max(1).default(0.5),
    /** Keep-alive when the histogram is not representative, in minutes (the paper: the histogram range). */
    fallbackKeepAliveMinutes: z.number().positive().default(240),
  })
  .strict();

/** Idle-time statistics of one action. */
class IdleHistogram {
  constructor(bins) {
    this.counts = new Array(bins).fill(0);
    this.total = 0;
    this.outOfBounds = 0;
  }

  record(idleMs) {
    const bin = Math.floor(idleMs / MINUTE);
    if (bin >= this.counts.length) this.outOfBounds++;
    else {
      this.counts[bin]++;
      this.total++;
    }
  }

  /** The bin holding the p-th percentile of the in-range idle times. */
  percentileBin(p) {
    const target = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= target) return i;
    }
    return this.counts.length - 1;
  }

  /** Coefficient of variation of the bin counts: high when the idle times cluster in a few bins. */
  cv() {
    const n = this.counts.length;
    const mean = this.total / n;
    if (mean === 0) return 0;
    let sq = 0;
    for (const c of this.counts) sq += (c - mean) * (c - mean);
    return Math.sqrt(sq / n) / mean;
  }
}

export default {
  name: 'hybrid-histogram',
  optionsSchema,
  create(ctx, o) {
    const histograms = new Map();
    /** When each action went idle (its last activation here finished), until its next arrival. */
    const idleSince = new Map();
    /** Activations of each action in this invoker's pool (running, starting or buffered). */
    const inPool = new Map();
    const fallback = o.fallbackKeepAliveMinutes * MINUTE;

    return {
      onArrival(req) {
        inPool.set(req.action, (inPool.get(req.action) ?? 0) + 1);
        const since = idleSince.get(req.action);
        if (since === undefined) return;
        idleSince.delete(req.action);
        let h = histograms.get(req.action);
        if (h === undefined) histograms.set(req.action, (h = new IdleHistogram(o.rangeMinutes)));
        h.record(ctx.now() - since);
      },

      onCompleted(req) {
        inPool.set(req.action, inPool.get(req.action) - 1);
      },

      keepAlive(action) {
        // Other activations of the action are still here: the action is not idle, only this container is.
        if (inPool.get(action.action) > 0) return ctx.defaultKeepAliveMs;
        idleSince.set(action.action, ctx.now());
        const h = histograms.get(action.action);
        if (h === undefined || h.total < o.minSamples) return fallback;
        if (h.outOfBounds > o.maxOutOfBounds * (h.total + h.outOfBounds) || h.cv() <= o.cvThreshold) return fallback;
        const head = h.percentileBin(o.headPercentile) * MINUTE;
        const tail = (h.percentileBin(o.tailPercentile) + 1) * MINUTE;
        const prewarmMs = Math.floor(head * (1 - o.margin));
        const keepAliveMs = Math.ceil(tail * (1 + o.margin)) - prewarmMs;
        return prewarmMs > 0 ? { prewarmMs, keepAliveMs } : keepAliveMs;
      },
    };
  },
};
