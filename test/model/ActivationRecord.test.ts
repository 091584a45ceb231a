import { describe, expect, it } from 'vitest';
import { ActivationRecord, Outcome } from '../../src/model/ActivationRecord.js';

describe('ActivationRecord', () => {
  it('gives back arrival and run time exactly, fractions, large values and zero alike', () => {
    for (const [arrival, duration] of [
      [0, 0],
      [1234.5678901234567, 0.1 + 0.2],
      [86_400_000 * 30 + 1e-6, 299_999.99999999994],
      [Number.MIN_VALUE, Number.MAX_SAFE_INTEGER],
    ] as const) {
      const r = new ActivationRecord(7, 3, arrival, true, duration, false, 512);
      expect(Object.is(r.arrivalMs, arrival)).toBe(true);
      expect(Object.is(r.durationMs, duration)).toBe(true);
      expect([r.id, r.actionIndex, r.recordSizeBytes]).toEqual([7, 3, 512]);
    }
  });

  it('starts with no controller, invoker, truth mark or times, and keeps each when set, independently of the flags', () => {
    const r = new ActivationRecord(1, 0, 10.5, false, 3, true, 0);
    expect([r.controller, r.invoker, r.truthInvoker, r.openKey, r.execStartMs, r.execEndMs, r.resolvedMs]).toEqual([-1, -1, -1, 0, -1, -1, -1]);
    expect([r.outcome, r.measured, r.applicationError, r.cold, r.overflowed, r.reason, r.onResolved]).toEqual([Outcome.inFlight, false, true, false, false, null, null]);
    r.controller = 63;
    r.invoker = 9_999;
    r.truthInvoker = 9_999;
    r.openKey = 0xffff;
    r.cold = true;
    r.overflowed = true;
    r.execStartMs = 11.25;
    r.execEndMs = 14.75;
    expect([r.controller, r.invoker, r.truthInvoker, r.openKey, r.execStartMs, r.execEndMs]).toEqual([63, 9_999, 9_999, 0xffff, 11.25, 14.75]);
    expect([r.outcome, r.measured, r.applicationError, r.cold, r.overflowed]).toEqual([Outcome.inFlight, false, true, true, true]);
    r.controller = -1;
    r.truthInvoker = -1;
    expect([r.controller, r.invoker, r.truthInvoker, r.openKey]).toEqual([-1, 9_999, -1, 0xffff]);
    r.openKey = 0;
    r.invoker = 0;
    expect([r.controller, r.invoker, r.truthInvoker, r.openKey, r.cold, r.overflowed]).toEqual([-1, 0, -1, 0, true, true]);
  });

  it('refuses a controller or invoker the packed fields cannot hold', () => {
    const r = new ActivationRecord(1, 0, 0, true, 1, false, 0);
    expect(() => (r.controller = 127)).toThrow(/controller 127/);
    expect(() => (r.invoker = 16_383)).toThrow(/invoker 16383/);
    expect(() => (r.truthInvoker = -2)).toThrow(/invoker -2/);
    expect(() => (r.openKey = 0x10000)).toThrow(/key 65536/);
  });

  it('keeps a reason and a listener only for the records given one, and tells the listener once at resolution', () => {
    const told: [number, number][] = [];
    const a = new ActivationRecord(1, 0, 5, true, 1, false, 0);
    const b = new ActivationRecord(2, 0, 5, true, 1, false, 0);
    a.reason = 'throttled';
    a.onResolved = (r) => told.push([r.id, r.resolvedMs]);
    expect([a.reason, b.reason, b.onResolved]).toEqual(['throttled', null, null]);
    b.resolve(Outcome.completed, 8);
    a.resolve(Outcome.rejected, 6.5);
    expect(told).toEqual([[1, 6.5]]);
    expect([a.outcome, a.resolvedMs, b.outcome, b.resolvedMs]).toEqual([Outcome.rejected, 6.5, Outcome.completed, 8]);
    expect(() => a.resolve(Outcome.lost, 9)).toThrow(/resolved twice/);
    a.reason = null;
    expect(a.reason).toBeNull();
  });
});
