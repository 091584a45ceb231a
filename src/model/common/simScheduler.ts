/**
 * Adapter from the simulation kernel to the port's `Scheduler` seam (OpenWhisk's `scheduler.scheduleOnce`).
 * The port never imports src/sim; whoever builds the cluster passes it `simScheduler(sim)`.
 */
import type { Simulation } from '../../sim/Simulation.js';
import type { Cancellable, Scheduler } from '../messaging.js';

export function simScheduler(sim: Simulation): Scheduler {
  return {
    now: () => sim.now,
    scheduleOnce: (delayMs: number, fn: (arg: any) => void, arg?: unknown): Cancellable => sim.schedule(delayMs, fn, arg),
    cancel: (handle: Cancellable): boolean => sim.cancel(handle),
    reserveSeq: (): number => sim.reserveSeq(),
    scheduleAtSeq: (timeMs: number, seq: number, fn: (arg: any) => void, arg?: unknown): Cancellable => sim.scheduleAtSeq(timeMs, seq, fn, arg),
  };
}
