import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatCsvNumber,
  formatDuration,
  formatPercent,
  formatQuantity,
  markdownTable,
} from '../../src/report/format.js';

describe('formatCsvNumber', () => {
  it('prints integers as they are', () => {
    expect(formatCsvNumber(0)).toBe('0');
    expect(formatCsvNumber(-0)).toBe('0');
    expect(formatCsvNumber(1234567)).toBe('1234567');
  });
  it('rounds fractions to fixed decimals and trims trailing zeros', () => {
    expect(formatCsvNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatCsvNumber(1 / 3)).toBe('0.333333');
    expect(formatCsvNumber(2.5)).toBe('2.5');
    expect(formatCsvNumber(1 / 3, 3)).toBe('0.333');
  });
  it('never prints an exponent', () => {
    expect(formatCsvNumber(1e-9)).toBe('0');
    expect(formatCsvNumber(-1e-9)).toBe('0');
    expect(formatCsvNumber(1.5e-5)).toBe('0.000015');
    expect(formatCsvNumber(1e20 + 0.5)).not.toMatch(/e/);
  });
  it('leaves non-finite values empty', () => {
    expect(formatCsvNumber(Number.NaN)).toBe('');
    expect(formatCsvNumber(Number.POSITIVE_INFINITY)).toBe('');
  });
});

describe('human formats', () => {
  it('groups counts in thousands without depending on the locale', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(-1000)).toBe('-1,000');
  });
  it('gives quantities precision that follows their size', () => {
    expect(formatQuantity(0)).toBe('0');
    expect(formatQuantity(0.12345)).toBe('0.123');
    expect(formatQuantity(4.567)).toBe('4.57');
    expect(formatQuantity(45.67)).toBe('45.7');
    expect(formatQuantity(4567.8)).toBe('4,568');
  });
  it('prints percentages with one decimal and marks tiny non-zero ones', () => {
    expect(formatPercent(0.01224)).toBe('1.2%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(0.0001)).toBe('<0.1%');
  });
  it('prints durations in ms, s or min', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_500)).toBe('12.5 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(180_000)).toBe('3 min');
  });
});

describe('markdownTable', () => {
  it('pads cells, right-aligns numeric columns and escapes pipes', () => {
    const table = markdownTable(['name', 'n'], [['a|b', '1'], ['c', '100']]);
    expect(table.split('\n')).toEqual([
      '| name |   n |',
      '| ---- | --: |',
      '| a\\|b |   1 |',
      '| c    | 100 |',
    ]);
  });
});
