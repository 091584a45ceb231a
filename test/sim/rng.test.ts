import { describe, expect, it } from 'vitest';
import { RngStreams, createRng } from '../../src/sim/rng.js';

const draw = (rng: { nextFloat(): number }, n: number) => Array.from({ length: n }, () => rng.nextFloat());

describe('named random streams', () => {
  it('the same (seed, name) always gives the same numbers', () => {
    expect(draw(new RngStreams(42).stream('invoker3/coldStart'), 5)).toEqual(
      draw(new RngStreams(42).stream('invoker3/coldStart'), 5),
    );
  });

  it('pins the algorithm: these exact values must never change', () => {
    const values = draw(createRng(1, 'pinned'), 3).map((x) => x.toFixed(12));
    expect(values).toMatchInlineSnapshot(`
      [
        "0.380655937362",
        "0.291880778968",
        "0.680233692518",
      ]
    `);
  });

  it('adding or drawing from another stream never shifts a stream', () => {
    const alone = new RngStreams(9);
    const a1 = draw(alone.stream('a'), 10);
    const crowded = new RngStreams(9);
    draw(crowded.stream('z'), 1000);
    crowded.stream('b');
    const a2 = draw(crowded.stream('a'), 10);
    expect(a2).toEqual(a1);
  });

  it('different names and different seeds give different numbers', () => {
    const s = new RngStreams(5);
    expect(draw(s.stream('a'), 3)).not.toEqual(draw(s.stream('b'), 3));
    expect(draw(new RngStreams(5).stream('a'), 3)).not.toEqual(draw(new RngStreams(6).stream('a'), 3));
  });

  it('nextInt stays in range and is roughly uniform', () => {
    const rng = createRng(3);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100000; i++) counts[rng.nextInt(10)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
  });

  it('nextGaussian has mean 0 and variance 1', () => {
    const rng = createRng(4);
    let sum = 0;
    let sumSq = 0;
    const n = 200000;
    for (let i = 0; i < n; i++) {
      const x = rng.nextGaussian();
      sum += x;
      sumSq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.01);
  });
});
