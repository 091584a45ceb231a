/** A passing --check run says what it checked (issue 16 item 17). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDeps } from '../../src/cli/defaultDeps.js';
import { main } from '../../src/cli/main.js';
import { checksLine } from '../../src/cli/commands/run.js';
import { Collector } from './helpers.js';

describe('owsim run --check', () => {
  it('prints the checkers, the number of checks and no violations', async () => {
    const io = { stdout: new Collector(), stderr: new Collector() };
    const out = mkdtempSync(join(tmpdir(), 'owsim-check-'));
    const code = await main(['run', 'test/fixtures/sweep/tiny-sweep.yaml', '--check', '--out', out], io, defaultDeps);
    expect(code).toBe(0);
    expect(io.stdout.text).toMatch(/invariants: \d+ checkers, [\d.]+( k| M)? checks, 0 violations \(.*activation-resolved-once [\d,]+/);
  });

  it('says nothing about invariants without --check', async () => {
    const io = { stdout: new Collector(), stderr: new Collector() };
    const out = mkdtempSync(join(tmpdir(), 'owsim-check-'));
    await main(['run', 'test/fixtures/sweep/tiny-sweep.yaml', '--out', out], io, defaultDeps);
    expect(io.stdout.text).not.toContain('invariants:');
    expect(checksLine({ a: 1_200_000, b: 5 })).toBe('invariants: 2 checkers, 1.2 M checks, 0 violations (a 1,200,000, b 5)');
  });
});
