/**
 * Every expectation transcribed from OpenWhisk's tests is accounted for: its suite is replayed by a test file
 * here (which checks, in its last test, that it read every entry of the suite) or listed as not replayed here
 * with a reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadExpectations, NOT_REPLAYED_HERE, REPLAYED_SUITES, SOURCES } from './expectations.js';

const here = (file: string) => fileURLToPath(new URL(`./${file}`, import.meta.url));

describe('conformance coverage of test-expectations.json', () => {
  const expectations = loadExpectations();

  it('holds the 111 transcribed expectations', () => {
    expect(expectations).toHaveLength(111);
  });

  it('every expectation is either replayed by some test or listed in notReplayedHere with a reason', () => {
    const unaccounted = expectations.filter((e) => !(e.source in REPLAYED_SUITES) && !(e.source in NOT_REPLAYED_HERE));
    expect(unaccounted.map((e) => `${e.source} :: ${e.name}`)).toEqual([]);
    for (const reason of Object.values(NOT_REPLAYED_HERE)) expect(reason.length).toBeGreaterThan(0);
  });

  it('no suite is both replayed and excused', () => {
    expect(Object.keys(REPLAYED_SUITES).filter((s) => s in NOT_REPLAYED_HERE)).toEqual([]);
  });

  it('each replaying file exists, opens its suite and checks that every entry was replayed', () => {
    for (const [source, file] of Object.entries(REPLAYED_SUITES)) {
      const path = here(file);
      expect(existsSync(path), `${file} for ${source}`).toBe(true);
      const text = readFileSync(path, 'utf8');
      const key = Object.entries(SOURCES).find(([, s]) => s === source)![0];
      expect(text, file).toContain(`openSuite(SOURCES.${key})`);
      expect(text).toContain('suite.assertAllReplayed()');
    }
  });

  it('every listed suite has expectations (no stale names)', () => {
    const sources = new Set(expectations.map((e) => e.source));
    for (const source of [...Object.keys(REPLAYED_SUITES), ...Object.keys(NOT_REPLAYED_HERE)]) expect(sources.has(source), source).toBe(true);
  });
});
