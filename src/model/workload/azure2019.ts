/**
 * Marginals fitted to the published figures of the Azure Functions 2019 workload (Shahrad et al., "Serverless
 * in the Wild", USENIX ATC 2020). docs/scenarios.md#workloadpopulation lists each figure, where it was read,
 * and which anchors are owsim's own choice; the population test checks the fits reproduce the figures.
 *
 * Each fit is an empirical inverse CDF, linear between anchors in log10 of the quantity (log-uniform between
 * neighbouring anchors), which is how the paper's CDFs are drawn.
 */

/** (probability, log10 value) anchors of an inverse CDF. */
export type LogQuantiles = readonly (readonly [number, number])[];

/**
 * Invocations per function per day. Anchors from the figures: invocation frequencies span about eight orders
 * of magnitude (p0 once in two weeks, 10^-1.15/day, to p100 10^6.85/day); 45% are invoked at most once an hour
 * (24/day) and 81% at most once a minute (1440/day). The p95 and p99 anchors were tuned so the most popular
 * 18.6% receive 99.6% of invocations.
 */
export const AZURE2019_INVOCATIONS_PER_DAY: LogQuantiles = [
  [0, -1.15],
  [0.45, Math.log10(24)],
  [0.81, Math.log10(1440)],
  [0.95, 4.6],
  [0.99, 5.6],
  [1, 6.85],
];

/**
 * A function's typical run time, ms. Figure: about half of functions run under 1 s on average (p50 = 1 s).
 * The other anchors are owsim's choice: 1 ms at p0, 100 ms at p25, 10 s at p90, 1 min at p99 and Azure's 10-min
 * function time limit of the time at p100.
 */
export const AZURE2019_RUN_TIME_MS: LogQuantiles = [
  [0, 0],
  [0.25, 2],
  [0.5, 3],
  [0.9, 4],
  [0.99, Math.log10(60_000)],
  [1, Math.log10(600_000)],
];

/**
 * Allocated memory per application, MB. Figures: half of applications allocate at most about 170 MB and 90%
 * never more than 400 MB. Anchors of owsim's choice: 32 MB at p0 and the consumption plan's 1.5 GB at p100.
 */
export const AZURE2019_MEMORY_MB: LogQuantiles = [
  [0, Math.log10(32)],
  [0.5, Math.log10(170)],
  [0.9, Math.log10(400)],
  [1, Math.log10(1536)],
];

/** Share of functions with a timer trigger (16% of functions; periodic, inter-arrival CV 0). */
export const AZURE2019_TIMER_FRACTION = 0.16;

/** The value at probability u of a log-linear inverse CDF. */
export function logQuantile(anchors: LogQuantiles, u: number): number {
  let i = 1;
  while (i < anchors.length - 1 && anchors[i]![0] < u) i++;
  const [p0, v0] = anchors[i - 1]!;
  const [p1, v1] = anchors[i]!;
  return 10 ** (v0 + ((u - p0) / (p1 - p0)) * (v1 - v0));
}

/** P(X ≤ x) of a log-linear inverse CDF (for tests and docs). */
export function logCdf(anchors: LogQuantiles, x: number): number {
  const v = Math.log10(x);
  if (v <= anchors[0]![1]) return 0;
  for (let i = 1; i < anchors.length; i++) {
    const [p0, v0] = anchors[i - 1]!;
    const [p1, v1] = anchors[i]!;
    if (v <= v1) return p0 + ((v - v0) / (v1 - v0)) * (p1 - p0);
  }
  return 1;
}
