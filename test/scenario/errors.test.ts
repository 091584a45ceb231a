/**
 * Bad scenario files (test/fixtures/bad/, one per case) must fail with an OwsimError whose message names the
 * file, the field path, what was expected and what was found — never a raw ZodError, YAMLError or TypeError.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FileError, OwsimError, ScenarioError } from '../../src/errors.js';
import { loadScenarioFile, parseScenarioText, ScenarioProblemsError } from '../../src/scenario/load.js';

const badDir = fileURLToPath(new URL('../fixtures/bad/', import.meta.url));

function loadError(name: string): ScenarioProblemsError {
  const file = join(badDir, name);
  try {
    loadScenarioFile(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    expect(e).toBeInstanceOf(ScenarioProblemsError);
    const error = e as ScenarioProblemsError;
    expect(error.message).toContain(file);
    expect(error.details.file).toBe(file);
    expect(error.format()).toBe(error.message);
    return error;
  }
  throw new Error(`${name} loaded without error`);
}

interface Case {
  file: string;
  path: string;
  contains: string[];
  line?: number;
}

const cases: Case[] = [
  { file: 'unknown-top-level-key.yaml', path: 'invoker', line: 2, contains: ['unknown key `invoker`', 'did you mean `invokers`?', 'got: invoker', 'expected: one of the keys'] },
  { file: 'wrong-type.yaml', path: 'invokers.count', line: 3, contains: ['not a whole number', 'expected: a whole number', 'got: "four"'] },
  { file: 'negative-rate.yaml', path: 'workload.actions[0].arrivals.rate', line: 5, contains: ['must not be negative', 'expected: a rate with a unit like 100/s', 'got: "-5/s"'] },
  { file: 'p99-below-median.yaml', path: 'workload.actions[0].duration.p99', line: 5, contains: ['p99 (50ms) is below the median (400ms)', 'expected: p99 ≥ median', 'got: 50ms'] },
  { file: 'action-too-big.yaml', path: 'workload.actions[0].memory', line: 7, contains: ['can never fit an invoker', 'invokers.userMemory is 1GB', 'expected: at most 1GB', 'got: 2GB'] },
  { file: 'absurd-invoker-count.yaml', path: 'invokers.count', line: 3, contains: ['at most 10000 invokers', 'expected: at most 10000', 'got: 1000000'] },
  { file: 'absurd-controller-count.yaml', path: 'controllers.count', line: 3, contains: ['at most 64 controllers', 'expected: at most 64', 'got: 65'] },
  { file: 'duration-too-long.yaml', path: 'duration', line: 2, contains: ['longer than 30d', 'expected: at most 30d', 'got: "31d"'] },
  { file: 'too-many-samples.yaml', path: 'sampleInterval', line: 4, contains: ['7200000 samples', "limit of 5000000", 'expected: at least 2ms', 'got: 1ms'] },
  { file: 'too-fast-arrivals.yaml', path: 'workload.actions', line: 3, contains: ['12000000/s', 'limit of 10000000/s', 'expected: a total rate of at most 10000000/s'] },
  { file: 'bare-number-size.yaml', path: 'workload.actions[0].memory', line: 5, contains: ['a bare number has no unit', 'expected: a size with a unit like 512KB, 256MB or 2GB', 'got: 256'] },
  { file: 'duplicate-action.yaml', path: 'workload.actions[1].name', line: 5, contains: ['duplicate action name (also workload.actions[0].name)', 'got: guest/hello'] },
  { file: 'warmup-not-shorter.yaml', path: 'warmup', line: 3, contains: ['warmup (30s) is not shorter than duration (30s)', 'expected: a warmup shorter than 30s'] },
  { file: 'missing-workload.yaml', path: 'workload', line: 1, contains: ['missing required field', 'expected: a mapping', 'got: nothing (the field is missing)'] },
];

describe('a bad scenario file is refused with file, path, expected and got', () => {
  for (const c of cases) {
    it(c.file.replace(/\.yaml$/, '').replace(/-/g, ' '), () => {
      const error = loadError(c.file);
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]!.path).toBe(c.path);
      expect(error.details.path).toBe(c.path);
      expect(error.message).toContain(`${c.path}: `);
      if (c.line !== undefined) {
        expect(error.problems[0]!.line).toBe(c.line);
        expect(error.details.line).toBe(c.line);
        expect(error.message).toContain(`line ${c.line}: `);
      }
      for (const text of c.contains) expect(error.message).toContain(text);
    });
  }
});

describe('files that are not scenarios at all', () => {
  it('a YAML syntax error names the line', () => {
    const error = loadError('yaml-syntax-error.yaml');
    expect(error.message).toContain('invalid YAML');
    expect(error.message).toContain('expected: valid YAML or JSON');
    expect(error.problems[0]!.line).toBeGreaterThanOrEqual(5);
    expect(error.problems[0]!.line).toBeLessThanOrEqual(6);
  });

  it('a duplicate key is a YAML error with its line', () => {
    const error = loadError('duplicate-key.yaml');
    expect(error.message).toMatch(/unique/i);
    expect(error.problems[0]!.line).toBe(3);
  });

  it('an empty file says so', () => {
    const error = loadError('empty.yaml');
    expect(error.message).toContain('the file is empty');
    expect(error.message).toContain('expected: a scenario');
  });

  it('a file of only comments says it has no content', () => {
    expect(loadError('comments-only.yaml').message).toContain('no content');
  });

  it('a list at the top level is refused', () => {
    const error = loadError('top-level-list.yaml');
    expect(error.message).toContain('a scenario must be a mapping');
    expect(error.message).toContain('got: [{"name":"not-a-mapping"}]');
  });

  it('a missing file is a FileError naming the file', () => {
    const file = join(badDir, 'no-such-file.yaml');
    expect(() => loadScenarioFile(file)).toThrow(FileError);
    expect(() => loadScenarioFile(file)).toThrow('no such file');
    try {
      loadScenarioFile(file);
    } catch (e) {
      // The path once, not twice (issue 16 item 4).
      expect((e as FileError).format().split('\n')[0]).toBe(`${file}: no such file`);
    }
  });

  it('a directory is a FileError, with a hint when it holds scenario.yaml', () => {
    expect(() => loadScenarioFile(badDir)).toThrow(/is a directory/);
    const dir = mkdtempSync(join(tmpdir(), 'owsim-scenario-'));
    mkdirSync(join(dir, 'case'));
    writeFileSync(join(dir, 'case', 'scenario.yaml'), 'name: x\n');
    try {
      loadScenarioFile(join(dir, 'case'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FileError);
      expect((e as Error).message).toContain(`did you mean ${join(dir, 'case', 'scenario.yaml')}?`);
      expect((e as FileError).format().split('\n')[0]).toBe(`${join(dir, 'case')}: is a directory, not a scenario file; did you mean ${join(dir, 'case', 'scenario.yaml')}?`);
    }
  });
});

describe('all problems of a file are reported at once', () => {
  it('lists every problem, in file order, each with its path', () => {
    const error = loadError('many-problems.yaml');
    const paths = error.problems.map((p) => p.path);
    expect(paths).toEqual([
      'name',
      'duration',
      'controllers.loadBalancr',
      'workload.actions[0].memory',
      'workload.actions[0].duration.max',
      'workload.actions[1].name',
      'workload.actions[1].arrivals.process',
    ]);
    expect(error.message).toContain('7 problems');
    expect(error.message).toContain('did you mean `loadBalancer`?');
    expect(error.message).toContain('did you mean `poisson`?');
    expect(error.details.path).toBe('name');
    for (const path of paths) expect(error.message).toContain(`${path}: `);
  });

  it('is an OwsimError with a stable code and the bad-input exit status', () => {
    const error = loadError('many-problems.yaml');
    expect(error).toBeInstanceOf(OwsimError);
    expect(error.code).toBe('E_SCENARIO');
    expect(error.exitCode).toBe(2);
  });

  it('caps the message but keeps every problem', () => {
    const actions = Array.from({ length: 60 }, (_, i) => `    - { name: guest/a${i}, memory: 1 }`).join('\n');
    try {
      parseScenarioText(`name: many\nworkload:\n  actions:\n${actions}\n`, 'many.yaml');
      expect.unreachable();
    } catch (e) {
      const error = e as ScenarioProblemsError;
      expect(error.problems).toHaveLength(60);
      expect(error.message).toContain('and 10 more problems');
    }
  });

  it('refuses more than 10000 actions before checking each one', () => {
    const actions = Array.from({ length: 10_001 }, (_, i) => ({ name: `guest/a${i}`, memory: 'bad' }));
    try {
      parseScenarioText(JSON.stringify({ name: 'huge', workload: { actions } }), 'huge.json');
      expect.unreachable();
    } catch (e) {
      const error = e as ScenarioProblemsError;
      expect(error.problems).toHaveLength(1);
      expect(error.message).toContain("10001 actions is more than owsim's limit of 10000");
    }
  });
});
