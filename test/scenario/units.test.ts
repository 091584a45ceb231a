import { describe, expect, it } from 'vitest';
import { formatDuration, formatSize, parseDuration, parseRate, parseSize, type UnitResult } from '../../src/scenario/units.js';

const value = (r: UnitResult) => (r.ok ? r.value : `error: ${r.message}`);

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['2s', 2000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['10m', 600_000],
    ['10min', 600_000],
    ['3h', 10_800_000],
    ['1d', 86_400_000],
    ['500us', 0.5],
    ['1h30m', 5_400_000],
    ['1m 30s', 90_000],
    [' 2 s ', 2000],
    ['0ms', 0],
    ['-5s', -5000],
    ['1 min', 60_000],
    ['2 S', 2000],
    ['250MS', 250],
    ['1H30m', 5_400_000],
    ['2 hours', 7_200_000],
    ['30 seconds', 30_000],
    ['1hr', 3_600_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(value(parseDuration(text))).toBe(ms);
  });

  it('refuses a bare number, saying a unit is needed', () => {
    for (const bare of [250, '250', 0, '1e3']) {
      const r = parseDuration(bare);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.message).toBe('a bare number has no unit');
        expect(r.expected).toContain('a duration with a unit like 250ms');
      }
    }
  });

  it.each(['10 parsecs', '5mss', 'ms', '1.2.3s', '', 's10', '10M', true, null, {}, []])('refuses %j', (bad) => {
    expect(parseDuration(bad).ok).toBe(false);
  });
});

describe('units read the same way in every kind of quantity', () => {
  it('accepts any case and spaces for sizes, durations and rate denominators alike', () => {
    expect(value(parseSize('256mb'))).toBe(256 * 1024 ** 2);
    expect(value(parseSize('256 Mb'))).toBe(256 * 1024 ** 2);
    expect(value(parseDuration('1 min'))).toBe(60_000);
    expect(value(parseDuration('1 MIN'))).toBe(60_000);
    expect(value(parseRate('60 / MIN'))).toBe(1);
    expect(value(parseRate('10/sec'))).toBe(10);
    expect(value(parseRate('3600/hr'))).toBe(1);
    expect(value(parseRate('3600/hour'))).toBe(1);
    expect(value(parseRate('1000/us'))).toBe(1e9);
  });

  it('refuses a capital M alone in durations and rates, with a suggestion', () => {
    for (const r of [parseDuration('10M'), parseRate('60/M')]) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/capital M .*write m or min/);
    }
  });

  it('suggests the unit a refused size probably meant', () => {
    const r = parseSize('256m');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/did you mean 256MB\?/);
    const g = parseSize('2 gigs');
    if (!g.ok) expect(g.message).toMatch(/did you mean 2GB\?/);
  });
});

describe('parseSize', () => {
  it.each([
    ['512KB', 512 * 1024],
    ['256MB', 256 * 1024 ** 2],
    ['2GB', 2 * 1024 ** 3],
    ['1TB', 1024 ** 4],
    ['100B', 100],
    ['1.5GB', 1.5 * 1024 ** 3],
    ['256mb', 256 * 1024 ** 2],
    ['256MiB', 256 * 1024 ** 2],
    ['256 MB', 256 * 1024 ** 2],
  ])('reads %s as %d bytes (1024-based)', (text, bytes) => {
    expect(value(parseSize(text))).toBe(bytes);
  });

  it('refuses a bare number and unknown units', () => {
    const bare = parseSize(256);
    expect(bare.ok || bare.message).toBe('a bare number has no unit');
    expect(parseSize('256 megs').ok).toBe(false);
    expect(parseSize('MB').ok).toBe(false);
  });
});

describe('parseRate', () => {
  it.each([
    ['100/s', 100],
    ['6000/min', 100],
    ['60/m', 1],
    ['7200/h', 2],
    ['86400/d', 1],
    ['0.1/s', 0.1],
    ['2/ms', 2000],
    ['5 / s', 5],
  ])('reads %s as %d per second', (text, perSec) => {
    expect(value(parseRate(text))).toBeCloseTo(perSec, 12);
  });

  it('refuses a bare number, a missing denominator and an unknown unit', () => {
    const bare = parseRate(100);
    expect(bare.ok || bare.message).toBe('a bare number has no unit');
    expect(parseRate('100').ok).toBe(false);
    expect(parseRate('100/fortnight').ok).toBe(false);
    expect(parseRate('100s').ok).toBe(false);
  });
});

describe('formatting for messages', () => {
  it('prints the largest whole unit', () => {
    expect(formatDuration(30 * 86_400_000)).toBe('30d');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatSize(2 * 1024 ** 3)).toBe('2GB');
    expect(formatSize(1536 * 1024)).toBe('1536KB');
    expect(formatSize(100)).toBe('100B');
  });
});
