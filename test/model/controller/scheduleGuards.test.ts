/**
 * The 2017 placement functions' guards and clamps (the companion object of LoadBalancerService), beyond the
 * replayed LoadBalancerServiceObjectTests: the messages their failures carry, and the blackbox fraction's clamp.
 */
import { describe, expect, it } from 'vitest';
import { numBlackboxOf, partitionInvokers, schedulePR } from '../../../src/model/controller/LoadBalancerService.js';

describe('LoadBalancerService guards', () => {
  it('schedulePR rejects a non-positive threshold with OpenWhisk\'s requirement message', () => {
    expect(() => schedulePR([], 0, 1, false)).toThrow('invokerBusyThreshold should be > 0');
  });

  it('a NaN blackbox fraction is a bug, named', () => {
    expect(() => partitionInvokers([1, 2], Number.NaN)).toThrow('blackboxFraction is NaN');
  });

  it('numBlackbox truncates n × fraction, keeps at least one, and clamps the fraction to [0, 1]', () => {
    expect(numBlackboxOf(10, 0.5)).toBe(5);
    expect(numBlackboxOf(10, 0.39)).toBe(3);
    expect(numBlackboxOf(10, 0.05)).toBe(1);
    expect(numBlackboxOf(10, 3)).toBe(10);
    expect(numBlackboxOf(10, -2)).toBe(1);
  });
});
