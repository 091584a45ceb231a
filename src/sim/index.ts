export { Simulation, type RunOptions, type RunResult, type EventCallback, type EventHandle } from './Simulation.js';
export { Agenda } from './Agenda.js';
export { RngStreams, createRng, type Rng } from './rng.js';
export * from './distributions.js';
export { LatencyHistogram, round3, type LatencySummary } from './LatencyHistogram.js';
export { TimeWeightedGauge } from './TimeWeightedGauge.js';
export { Sampler, SAMPLER_PRIORITY } from './Sampler.js';
export { assert, AssertionError } from './assert.js';
export { erlangC, erlangCMeanWait } from './queueingTheory.js';
