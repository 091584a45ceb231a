/**
 * TimerLanes must be indistinguishable from arming every timer in the agenda: same firing times, same order
 * among simultaneous events (other components' events included), same number of kernel events, same answers
 * from `cancel`. The main check replays one random script of arming, cancelling and unrelated events against
 * both and compares everything observable.
 */
import { describe, expect, it } from 'vitest';
import { TimerLanes } from '../../../src/model/common/TimerLanes.js';
import { simScheduler } from '../../../src/model/common/simScheduler.js';
import type { Cancellable, Scheduler } from '../../../src/model/messaging.js';
import { Simulation } from '../../../src/sim/Simulation.js';

interface Replay {
  log: string[];
  events: number;
}

/**
 * Runs a random script: events at random times and priorities that arm timers (a few delays, or many with
 * `delays` large), cancel pending ones (sometimes twice, sometimes after they fired) and schedule more events;
 * timer callbacks log, and some arm or cancel timers themselves. The script's choices depend only on what it
 * has seen, so two schedulers that behave alike replay it identically.
 */
function replay(seed: number, lanes: boolean, delays: readonly number[]): Replay {
  const sim = new Simulation({ seed });
  const plain = simScheduler(sim);
  const timers: Scheduler = lanes ? new TimerLanes(plain) : plain;
  const rng = sim.rng('script');
  const log: string[] = [];
  const handles: Cancellable[] = [];
  let nextTimer = 0;
  let budget = 4000;

  const arm = (): void => {
    const delay = delays[rng.nextInt(delays.length)]!;
    handles.push(timers.scheduleOnce(delay, fired, nextTimer++));
  };
  const cancelSome = (): void => {
    if (handles.length === 0) return;
    const i = rng.nextInt(handles.length);
    log.push(`cancel#${i} ${timers.cancel(handles[i]!)}@${sim.now}`);
  };
  function fired(id: number): void {
    log.push(`timer${id}@${sim.now}`);
    const roll = rng.nextInt(4);
    if (roll === 0) arm();
    else if (roll === 1) cancelSome();
  }
  function step(tag: number): void {
    log.push(`event${tag}@${sim.now}`);
    if (budget-- <= 0) return;
    const actions = 1 + rng.nextInt(3);
    for (let k = 0; k < actions; k++) {
      const roll = rng.nextInt(10);
      if (roll < 5) arm();
      else if (roll < 8) cancelSome();
      else sim.schedule(rng.nextInt(20), step, tag * 10 + k, rng.nextInt(3) - 1);
    }
    sim.schedule(delays[rng.nextInt(delays.length)]!, step, tag + 1, rng.nextInt(3) - 1);
  }

  sim.schedule(0, step, 1);
  sim.schedule(0, step, 1000);
  sim.run();
  return { log, events: sim.eventsProcessed };
}

describe('TimerLanes', () => {
  it('fires, orders and cancels exactly like one agenda event per timer', () => {
    for (const seed of [1, 2, 3]) {
      const delays = [0, 5, 5, 20, 50];
      const reference = replay(seed, false, delays);
      expect(reference.log.filter((l) => l.startsWith('timer')).length).toBeGreaterThan(1000);
      expect(reference.log.some((l) => / false@/.test(l))).toBe(true);
      expect(replay(seed, true, delays)).toEqual(reference);
    }
  });

  it('stays exact when there are more distinct delays than lanes (the general agenda takes the rest)', () => {
    const delays = Array.from({ length: 40 }, (_, i) => i * 3);
    expect(replay(4, true, delays)).toEqual(replay(4, false, delays));
  });

  it('keeps one agenda event per delay, and about as many slots as pending timers when most are cancelled', () => {
    const sim = new Simulation({ seed: 1 });
    const lanes = new TimerLanes(simScheduler(sim));
    const fired: number[] = [];
    const record = (id: number) => fired.push(id);
    lanes.scheduleOnce(60_000, record, -1);
    const kept: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const handle = lanes.scheduleOnce(60_000, record, i);
      if (i % 100 === 0) kept.push(i);
      else lanes.cancel(handle);
      sim.run({ until: sim.now + 1 });
    }
    expect(lanes.pending).toBe(1 + kept.length);
    expect(sim.pending).toBe(1);
    expect(lanes.slotsInUse).toBeLessThan(2 * lanes.pending + 1100);
    sim.run();
    expect(fired).toEqual([-1, ...kept]);
    expect(lanes.pending).toBe(0);
  });

  it('hands out small negative integers (never −1), and a stale handle cancels nothing', () => {
    const sim = new Simulation({ seed: 1 });
    const lanes = new TimerLanes(simScheduler(sim));
    const noop = () => {};
    const first = lanes.scheduleOnce(10, noop);
    expect(lanes.cancel(first)).toBe(true);
    expect(lanes.cancel(first)).toBe(false);
    for (let i = 0; i < 1000; i++) {
      const handle = lanes.scheduleOnce(10, noop);
      expect(handle).toBe(handle | 0);
      expect(handle).toBeLessThan(-1);
      if (i % 2 === 0) lanes.cancel(handle);
    }
    // The slot of `first` has been reused many times since.
    expect(lanes.cancel(first)).toBe(false);
    expect(lanes.pending).toBe(500);
  });

  it('without the ordering hooks, every timer goes to the inner scheduler', () => {
    const sim = new Simulation({ seed: 1 });
    const { now, scheduleOnce, cancel } = simScheduler(sim);
    const lanes = new TimerLanes({ now, scheduleOnce, cancel });
    const seen: number[] = [];
    const handle = lanes.scheduleOnce(5, (x: number) => seen.push(x), 1);
    lanes.scheduleOnce(5, (x: number) => seen.push(x), 2);
    expect(handle).toBeGreaterThanOrEqual(0);
    expect(lanes.pending).toBe(0);
    expect(lanes.cancel(handle)).toBe(true);
    sim.run();
    expect(seen).toEqual([2]);
  });
});
