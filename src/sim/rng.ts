/**
 * Named, seeded random streams. This is the only file that imports `seedrandom`, and it pins one algorithm
 * (Alea: fast, 32-bit state arithmetic, identical output on every platform), so an upgrade of the library
 * or a change of its default can never change a simulation's numbers.
 *
 * Each stream's seed is derived from (root seed, stream name), e.g. "invoker3/coldStart". Adding a stream
 * therefore never shifts the numbers of another, which gives common random numbers across variants of a
 * scenario: two runs that differ only in the load balancer draw the same arrivals and durations.
 */
import seedrandom from 'seedrandom';
import { assert } from './assert.js';

export interface Rng {
  /** Uniform in [0, 1). */
  nextFloat(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Standard normal N(0, 1). */
  nextGaussian(): number;
}

class AleaRng implements Rng {
  private readonly next: () => number;
  private spareGaussian = NaN;

  constructor(seed: string) {
    this.next = seedrandom.alea(seed);
  }

  nextFloat(): number {
    return this.next();
  }

  nextInt(n: number): number {
    // Hot (once per draw): the inverted form builds the message only when the check fails.
    if (!(n > 0)) assert(false, `nextInt: bound ${n} must be positive`);
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  // Marsaglia's polar method; the second value of each pair is kept for the next call.
  nextGaussian(): number {
    if (this.spareGaussian === this.spareGaussian) {
      const value = this.spareGaussian;
      this.spareGaussian = NaN;
      return value;
    }
    let u: number, v: number, s: number;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareGaussian = v * factor;
    return u * factor;
  }
}

export class RngStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(readonly rootSeed: number) {
    assert(Number.isFinite(rootSeed), `root seed ${rootSeed} is not finite`);
  }

  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (rng === undefined) {
      rng = new AleaRng(`owsim:${this.rootSeed}:${name}`);
      this.streams.set(name, rng);
    }
    return rng;
  }
}

/** A stand-alone stream, for tests and tools outside a simulation. */
export function createRng(seed: number, name = 'default'): Rng {
  return new RngStreams(seed).stream(name);
}
