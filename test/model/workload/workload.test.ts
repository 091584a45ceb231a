import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/Simulation.js';
import { ArrivalProcess } from '../../../src/model/workload/ArrivalProcess.js';
import { FrontDoor } from '../../../src/model/workload/FrontDoor.js';
import type { ArrivalSpec } from '../../../src/scenario/types.js';

function arrivalTimes(spec: ArrivalSpec, endMs: number, seed = 1): number[] {
  const sim = new Simulation({ seed });
  const times: number[] = [];
  new ArrivalProcess(sim, spec, sim.rng('a'), endMs, () => times.push(sim.now), null, 1).start();
  sim.run();
  return times;
}

describe('ArrivalProcess', () => {
  it('Poisson arrivals have the requested rate and exponential gaps (CV ≈ 1)', () => {
    const times = arrivalTimes({ process: 'poisson', ratePerSec: 100 }, 1_000_000);
    expect(times.length / 100_000).toBeCloseTo(1, 1);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeCloseTo(10, 0);
    expect(sd / mean).toBeCloseTo(1, 1);
  });

  it('constant arrivals are exactly 1/rate apart and stop at the end', () => {
    expect(arrivalTimes({ process: 'constant', ratePerSec: 10 }, 1000)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900]);
  });

  it('a burst raises the rate only inside its window', () => {
    const times = arrivalTimes({ process: 'burst', ratePerSec: 10, burstRatePerSec: 1000, atMs: 100_000, forMs: 10_000 }, 200_000);
    const inBurst = times.filter((t) => t >= 100_000 && t < 110_000).length;
    const outside = times.length - inBurst;
    expect(inBurst / 10_000).toBeCloseTo(1, 1);
    expect(outside / 1_900).toBeCloseTo(1, 0);
  });

  it('piecewise steps with a zero rate produce no arrivals in that step', () => {
    const times = arrivalTimes(
      { process: 'piecewise', steps: [{ atMs: 0, ratePerSec: 0 }, { atMs: 50_000, ratePerSec: 100 }] },
      100_000,
    );
    expect(times[0]).toBeGreaterThanOrEqual(50_000);
    expect(times.length / 5_000).toBeCloseTo(1, 1);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const spec: ArrivalSpec = { process: 'poisson', ratePerSec: 50 };
    expect(arrivalTimes(spec, 10_000, 3)).toEqual(arrivalTimes(spec, 10_000, 3));
    expect(arrivalTimes(spec, 10_000, 3)).not.toEqual(arrivalTimes(spec, 10_000, 4));
  });
});

describe('FrontDoor', () => {
  const make = (up: boolean[]) => up.map((isUp, i) => ({ isUp, i }));
  const sim = new Simulation({ seed: 1 });

  it('round-robin visits controllers in turn and skips one that is down', () => {
    const cs = make([true, false, true]);
    const door = new FrontDoor(cs, 'round-robin', sim.rng('fd'));
    expect(Array.from({ length: 4 }, () => door.route()!.i)).toEqual([0, 2, 0, 2]);
  });

  it('active-passive sends everything to the first controller that is up', () => {
    const cs = make([false, true, true]);
    const door = new FrontDoor(cs, 'active-passive', sim.rng('fd'));
    expect(door.route()!.i).toBe(1);
  });

  it('refuses when every controller is down', () => {
    for (const policy of ['round-robin', 'random', 'active-passive'] as const) {
      expect(new FrontDoor(make([false, false]), policy, sim.rng('fd')).route()).toBeNull();
    }
  });
});
