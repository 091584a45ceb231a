import { describe, expect, it } from 'vitest';
import { medianRatios } from '../../src/bench/overloadBench.js';

describe('overload bench figures', () => {
  it('takes each figure’s median over the pairs, so one disturbed pair does not decide the verdict', () => {
    const pairs = [
      { bytesPerInFlight: 1500, speedRatio: 0.71, cpuSpeedRatio: 0.7 },
      { bytesPerInFlight: 2600, speedRatio: 0.52, cpuSpeedRatio: 0.69 },
      { bytesPerInFlight: 1700, speedRatio: 0.69, cpuSpeedRatio: 0.72 },
    ];
    expect(medianRatios(pairs)).toEqual({ bytesPerInFlight: 1700, speedRatio: 0.69, cpuSpeedRatio: 0.7 });
    expect(medianRatios(pairs.slice(0, 2))).toEqual({ bytesPerInFlight: 2050, speedRatio: 0.615, cpuSpeedRatio: 0.695 });
    expect(medianRatios(pairs.slice(2))).toEqual(pairs[2]);
  });
});
