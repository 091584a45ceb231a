/**
 * The bad-input corpus (issue 7), through the real command line in-process: every file in
 * test/fixtures/bad/ and every bad flag exits 2 with the file, the field path, what was expected and what was
 * found, and never a stack trace. A file added to the corpus without a case here fails the suite.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { main } from '../../src/cli/main.js';
import { Collector, runCli } from './helpers.js';

const BAD = 'test/fixtures/bad';

interface Case {
  /** Field path in the message, or null when the problem is the whole file. */
  path: string | null;
  /** Expected-vs-got text that must appear; `got` may be absent (an empty file has nothing to show). */
  expected: string;
  got?: string;
  line?: number;
  also?: string[];
}

const corpus: Record<string, Case> = {
  // unknown keys, with "did you mean"
  'unknown-top-level-key.yaml': { path: 'invoker', line: 2, expected: 'one of the keys name, description', got: 'invoker', also: ['did you mean `invokers`?'] },
  'unknown-nested-key.yaml': { path: 'invokers.userMemroy', line: 4, expected: 'one of the keys count, userMemory', got: 'userMemroy', also: ['did you mean `userMemory`?'] },
  'fault-wrong-field.yaml': { path: 'faults[0].lattency', line: 7, expected: 'one of the keys at, kind, for, target', got: 'lattency', also: ['did you mean `latency`?'] },
  // wrong types
  'wrong-type.yaml': { path: 'invokers.count', line: 3, expected: 'a whole number', got: '"four"' },
  'list-instead-of-section.yaml': { path: 'controllers', line: 2, expected: 'a mapping (a section of keys)', got: '["legacy","overflow"]' },
  'top-level-list.yaml': { path: null, line: 1, expected: 'a scenario: a mapping', got: '[{"name":"not-a-mapping"}]' },
  // negative or zero rates and sizes
  'negative-rate.yaml': { path: 'workload.actions[0].arrivals.rate', line: 5, expected: 'a rate with a unit', got: '"-5/s"', also: ['must not be negative'] },
  'negative-size.yaml': { path: 'invokers.userMemory', line: 3, expected: 'a size with a unit', got: '"-2GB"', also: ['must not be negative'] },
  'zero-memory.yaml': { path: 'workload.actions[0].memory', line: 5, expected: 'greater than zero', got: '"0MB"' },
  // bad units
  'bad-duration-unit.yaml': { path: 'workload.actions[0].timeout', line: 5, expected: 'a duration with a unit like 250ms', got: '"10 parsecs"' },
  'bad-size-unit.yaml': { path: 'workload.actions[0].memory', line: 5, expected: 'a size with a unit like 512KB', got: '"256 furlongs"' },
  'bad-rate-unit.yaml': { path: 'workload.actions[0].arrivals.rate', line: 5, expected: 'a rate with a unit like 100/s', got: '"5/fortnight"' },
  'bare-number-size.yaml': { path: 'workload.actions[0].memory', line: 5, expected: 'a size with a unit', got: '256', also: ['a bare number has no unit'] },
  // inverted distributions
  'p99-below-median.yaml': { path: 'workload.actions[0].duration.p99', line: 5, expected: 'p99 ≥ median', got: '50ms' },
  // invalid YAML / JSON, with line numbers
  'yaml-syntax-error.yaml': { path: null, line: 6, expected: 'valid YAML or JSON', also: ['invalid YAML'] },
  'json-syntax-error.json': { path: null, line: 7, expected: 'valid YAML or JSON', also: ['invalid YAML'] },
  'duplicate-key.yaml': { path: null, line: 3, expected: 'valid YAML or JSON', got: '"seed: 2"', also: ['Map keys must be unique'] },
  // empty files
  'empty.yaml': { path: null, expected: 'a scenario: a mapping', got: 'an empty file' },
  'comments-only.yaml': { path: null, expected: 'a scenario: a mapping', got: 'nothing' },
  'missing-workload.yaml': { path: 'workload', line: 1, expected: 'a mapping', got: 'nothing (the field is missing)' },
  // actions that can never fit
  'action-too-big.yaml': { path: 'workload.actions[0].memory', line: 7, expected: 'at most 1GB', got: '2GB', also: ['can never fit an invoker'] },
  // impossible names
  'bad-action-name.yaml': { path: 'workload.actions[0].name', line: 4, expected: 'namespace/action', got: '"hello"' },
  'bad-scenario-name.yaml': { path: 'name', line: 1, expected: 'a lower-case name', got: '"My Scenario!"' },
  'duplicate-action.yaml': { path: 'workload.actions[1].name', line: 5, expected: 'a name used by no other action', got: 'guest/hello' },
  'fault-unknown-target.yaml': { path: 'faults[0].target', line: 8, expected: 'one of invoker0 … invoker3', got: 'invoker9' },
  // absurd counts and sizes
  'absurd-invoker-count.yaml': { path: 'invokers.count', line: 3, expected: 'at most 10000', got: '1000000' },
  'absurd-controller-count.yaml': { path: 'controllers.count', line: 3, expected: 'at most 64', got: '65' },
  'duration-too-long.yaml': { path: 'duration', line: 2, expected: 'at most 30d', got: '"31d"' },
  'too-many-samples.yaml': { path: 'sampleInterval', line: 4, expected: 'at least 2ms', got: '1ms' },
  'too-fast-arrivals.yaml': { path: 'workload.actions', line: 3, expected: 'a total rate of at most 10000000/s', got: '12000000/s' },
  'warmup-not-shorter.yaml': { path: 'warmup', line: 3, expected: 'a warmup shorter than 30s', got: '30s' },
  // several problems at once: all listed
  'many-problems.yaml': { path: 'controllers.loadBalancr', line: 4, expected: 'one of poisson, constant', got: '"poison"', also: ['7 problems', 'did you mean `loadBalancer`?', 'did you mean `poisson`?'] },
};

function expectClean(stderr: string): void {
  expect(stderr).toMatch(/^error: /);
  expect(stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
  expect(stderr).not.toMatch(/ZodError|YAMLParseError|TypeError|internal error/);
}

describe('the bad-input corpus: owsim validate exits 2 with file, path, expected and got', () => {
  it('every fixture has a case', () => {
    const files = readdirSync(BAD).filter((f) => f !== 'trace-malformed-row.yaml').sort();
    expect(files).toEqual(Object.keys(corpus).sort());
  });

  for (const [file, c] of Object.entries(corpus)) {
    it(file, { timeout: 5000 }, async () => {
      const res = await runCli(['validate', `${BAD}/${file}`], {});
      expect(res.code).toBe(2);
      expect(res.stdout).toBe('');
      expectClean(res.stderr);
      expect(res.stderr).toContain(`${BAD}/${file}: `);
      if (c.line !== undefined) expect(res.stderr).toContain(`line ${c.line}: `);
      if (c.path !== null) expect(res.stderr).toContain(`${c.path}: `);
      expect(res.stderr).toMatch(new RegExp(`expected: [^\\n]*${c.expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      if (c.got !== undefined) expect(res.stderr).toContain(`got: ${c.got}`);
      for (const text of c.also ?? []) expect(res.stderr).toContain(text);
    });
  }

  it('a malformed trace row names the trace file and its line', async () => {
    const res = await runCli(['validate', `${BAD}/trace-malformed-row.yaml`], {});
    expect(res.code).toBe(2);
    expectClean(res.stderr);
    expect(res.stderr).toMatch(/azure2021-malformed\.csv:3: malformed azure2021 row: `end_timestamp` is not a number/);
    expect(res.stderr).toContain('expected: a number in end_timestamp');
    expect(res.stderr).toContain('got: "oops"');
  });
});

describe('bad files and flags on the command line exit 2', () => {
  const cases: { argv: string[]; contains: string[] }[] = [
    { argv: ['validate', 'no/such/file.yaml'], contains: ['error: no/such/file.yaml: no such file\n', 'expected: an existing scenario file'] },
    { argv: ['run', 'no/such/file.yaml'], contains: ['no/such/file.yaml: no such file'] },
    { argv: ['validate', 'test/fixtures'], contains: ['error: test/fixtures: is a directory, not a scenario file', 'got: a directory'] },
    { argv: ['validate', 'scenarios/quickstart.yaml', '--set', 'invokers.cuont=3'], contains: ['--set invokers.cuont=3: invokers.cuont: unknown key `cuont` in invokers; did you mean `count`?', 'expected: one of count, userMemory', 'got: cuont'] },
    { argv: ['validate', 'scenarios/quickstart.yaml', '--set', 'invokers.count=abc'], contains: ['invokers.count: not a whole number (value from --set invokers.count=abc)', 'expected: a whole number', 'got: "abc"'] },
    { argv: ['validate', 'scenarios/quickstart.yaml', '--set', 'workload.actions.7.memory=1GB'], contains: ['workload.actions[7]: index 7 is out of range', 'expected: an index from 0 to 2', 'got: 7'] },
    { argv: ['validate', 'scenarios/quickstart.yaml', '--set', 'invokers.count'], contains: ['--set: not an override of the form path=value', 'got: invokers.count'] },
    { argv: ['validate', 'scenarios/quickstart.yaml', '--set', 'faults.0.kind=crash'], contains: ['--set faults.0.kind=crash'] },
    { argv: ['run', 'scenarios/quickstart.yaml', '--seed', '-1'], contains: ['--seed: not a valid seed', 'expected: an integer from 0 to 4294967295', 'got: -1'] },
    { argv: ['run', 'scenarios/quickstart.yaml', '--report', 'pdf'], contains: ['--report: unknown report', 'got: pdf'] },
  ];
  for (const c of cases) {
    it(c.argv.join(' '), { timeout: 5000 }, async () => {
      const res = await runCli(c.argv, {});
      expect(res.code).toBe(2);
      expectClean(res.stderr);
      for (const text of c.contains) expect(res.stderr).toContain(text);
      // Each problem is printed once.
      expect(res.stderr.split('expected:').length).toBe(2);
    });
  }
});

describe('loader fuzz through the command line', () => {
  it('random YAML-ish files never exit with anything but 0 or a clean 2', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'owsim-bad-'));
    const token = fc.constantFrom('name: x\n', 'workload:\n', '  actions:\n', '    - name: guest/a\n', 'faults:\n', '  - { at: 1s, kind: kafka-outage, for: 1s }\n', '  - { kind: ping-loss }\n', 'invokers: { count: -1 }\n', '{', '}', '[', ']', ': ', '- ', '"', '&a ', '*a', '\t', 'memory: 1e999MB\n', '\u0000', '#');
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 25 }), async (tokens) => {
        const file = join(dir, `f${i++}.yaml`);
        writeFileSync(file, tokens.join(''));
        const stdout = new Collector();
        const stderr = new Collector();
        const code = await main(['validate', file], { stdout, stderr });
        expect([0, 2]).toContain(code);
        if (code === 2) expectClean(stderr.text);
      }),
      { numRuns: 150, seed: 17 },
    );
  });
});
