/** Trace replay: azure2021, awslambda and azure2019 formats, streaming, ordering and row errors. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OwsimError, TraceError } from '../../src/errors.js';
import { runScenario } from '../../src/runScenario.js';
import { loadScenarioFile, parseScenarioText } from '../../src/scenario/load.js';
import type { TraceConfig } from '../../src/scenario/types.js';
import { createRng } from '../../src/sim/rng.js';
import { LineReader, splitCsvLine } from '../../src/trace/lineReader.js';
import { openTraceCursor } from '../../src/trace/openTrace.js';
import { traceActionNames } from '../../src/scenario/traceCatalog.js';
import { shapeAt } from '../../src/scenario/schema.js';
import { TRACE_FORMATS } from '../../src/trace/TraceCursor.js';

const FIXTURES = 'test/fixtures/traces';

function dataRows(file: string): number {
  return readFileSync(file, 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '').length;
}

function tracedScenario(trace: string, extra = ''): string {
  return [
    'name: trace-test',
    'duration: 21m',
    'drain: 10m',
    'sampleInterval: 10s',
    'invokers: { count: 4, userMemory: 4GB }',
    extra,
    'workload:',
    `  trace: ${trace}`,
  ].join('\n');
}

function load(text: string) {
  return parseScenarioText(text, join(FIXTURES, 'inline.yaml'));
}

function allInvocations(trace: TraceConfig, names: string[]): { actionIndex: number; arrivalMs: number; durationMs: number }[] {
  const cursor = openTraceCursor(trace, (name) => createRng(7, name), names);
  const out = [];
  for (let i = cursor.next(); i !== null; i = cursor.next()) out.push({ ...i });
  cursor.close();
  return out;
}

describe('azure2021 trace', () => {
  it('replays every row of the Azure Functions 2021 sample', () => {
    const rows = dataRows(join(FIXTURES, 'azure2021-sample.csv'));
    expect(rows).toBe(199); // the shared README says 198; the file holds 199 data rows
    const scenario = loadScenarioFile(join(FIXTURES, 'azure2021.yaml'));
    const { summary } = runScenario(scenario);
    expect(summary.activations.arrived).toBe(rows);
    expect(summary.activations.completed + summary.activations.timedOut).toBe(rows);
    expect(summary.activations.inFlight).toBe(0);
  });

  it('makes one action per app/func, with short unique names after the scenario actions', () => {
    const s = loadScenarioFile(join(FIXTURES, 'azure2021.yaml'));
    const trace = s.workload.trace!;
    expect(trace.firstAction).toBe(0);
    expect(trace.functions).toHaveLength(31);
    const names = s.workload.actions.map((a) => a.name);
    expect(new Set(names).size).toBe(31);
    expect(names[0]).toBe('7b2c43a2/e3cdb488');
    for (const a of s.workload.actions) {
      expect(a.memoryMb).toBe(256);
      expect(a.timeoutMs).toBe(300_000);
      expect(a.arrivals).toEqual({ process: 'constant', ratePerSec: 0 });
    }
  });

  it('starts each invocation at end − duration and keeps the run time, in arrival order', () => {
    const s = loadScenarioFile(join(FIXTURES, 'azure2021.yaml'));
    const got = allInvocations(s.workload.trace!, s.workload.actions.map((a) => a.name));
    expect(got).toHaveLength(199);
    expect(got[0]!.arrivalMs).toBeCloseTo((0.07949090003967285 - 0.078) * 1000, 6);
    expect(got[0]!.durationMs).toBeCloseTo(78, 6);
    for (let i = 1; i < got.length; i++) expect(got[i]!.arrivalMs).toBeGreaterThanOrEqual(got[i - 1]!.arrivalMs);
  });

  it('is deterministic: the same summary twice', () => {
    const s = loadScenarioFile(join(FIXTURES, 'azure2021.yaml'));
    expect(runScenario(s).summary).toEqual(runScenario(s).summary);
  });

  it('reorders rows sorted by end time whose starts are out of order, within the window', () => {
    const dir = mkdtempSync(join(tmpdir(), 'owsim-trace-'));
    // Sorted by end; the second row started before the first.
    writeFileSync(join(dir, 't.csv'), 'app,func,end_timestamp,duration\na,f,2,1\na,g,3,2.5\na,f,4,0.5\n');
    const s = parseScenarioText(tracedScenario('{ file: t.csv, format: azure2021 }'), join(dir, 's.yaml'));
    const got = allInvocations(s.workload.trace!, s.workload.actions.map((a) => a.name));
    expect(got.map((g) => g.arrivalMs)).toEqual([500, 1000, 3500]);
    expect(got.map((g) => g.actionIndex)).toEqual([1, 0, 0]);
  });

  it('refuses a row that starts before an already replayed row beyond the reorder window', () => {
    const dir = mkdtempSync(join(tmpdir(), 'owsim-trace-'));
    writeFileSync(join(dir, 't.csv'), 'app,func,end_timestamp,duration\na,f,10,1\na,h,30,1\na,g,31,25\n');
    const s = parseScenarioText(tracedScenario('{ file: t.csv, format: azure2021, reorderWindow: 5s }'), join(dir, 's.yaml'));
    expect(() => allInvocations(s.workload.trace!, s.workload.actions.map((a) => a.name))).toThrow(/before a row already replayed/);
    try {
      allInvocations(s.workload.trace!, s.workload.actions.map((a) => a.name));
    } catch (e) {
      expect((e as TraceError).details).toMatchObject({ file: join(dir, 't.csv'), line: 4 });
    }
  });

  it('names the file and line of a malformed row when the scenario loads', () => {
    let error: unknown;
    try {
      load(tracedScenario('{ file: azure2021-malformed.csv, format: azure2021 }'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TraceError);
    const t = error as TraceError;
    expect(t.details.file).toBe(join(process.cwd(), FIXTURES, 'azure2021-malformed.csv'));
    expect(t.details.line).toBe(3);
    expect(t.format()).toContain('azure2021-malformed.csv:3');
    expect(t.format()).toContain('`end_timestamp` is not a number');
  });

  it('names a missing header column and a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'owsim-trace-'));
    writeFileSync(join(dir, 't.csv'), 'app,func,end\na,f,1\n');
    expect(() => parseScenarioText(tracedScenario('{ file: t.csv, format: azure2021 }'), join(dir, 's.yaml'))).toThrow(/header lacks end_timestamp, duration/);
    expect(() => parseScenarioText(tracedScenario('{ file: nope.csv, format: azure2021 }'), join(dir, 's.yaml'))).toThrow(OwsimError);
  });

  it('allows a trace-only workload but refuses a workload with neither actions nor a trace', () => {
    expect(() => load('name: x\nworkload: {}\n')).toThrow(/no actions and no trace/);
  });

  it('refuses a population or a time compression beside a trace, naming the field, rather than dropping it', () => {
    const withPopulation = tracedScenario('{ file: azure2021-sample.csv, format: azure2021 }') + '\n  population: { actions: 10 }';
    expect(() => load(withPopulation)).toThrow(/workload\.population[\s\S]*cannot be combined with workload\.trace/);
    const compressed = tracedScenario('{ file: azure2021-sample.csv, format: azure2021 }') + '\n  timeScale: 144';
    expect(() => load(compressed)).toThrow(/workload\.timeScale[\s\S]*replays at its own speed/);
  });

  it('refuses traced memory that no invoker can hold', () => {
    expect(() => load(tracedScenario('{ file: azure2021-sample.csv, format: azure2021, memory: 8GB }'))).toThrow(/can never fit an invoker/);
  });
});

describe('awslambda trace', () => {
  it('replays the request log: arrival = client_start_time (first at 0), run time = aws_duration', () => {
    const s = load(tracedScenario('{ file: awslambda-sample.csv, format: awslambda, memory: 128MB }').replace('duration: 21m', 'duration: 2h'));
    expect(s.workload.actions.map((a) => a.name)).toEqual(['aws/awslambda-sample']);
    const got = allInvocations(s.workload.trace!, ['aws/awslambda-sample']);
    expect(got).toHaveLength(50);
    expect(got[0]!.arrivalMs).toBe(0);
    expect(got[0]!.durationMs).toBeCloseTo(1851.22, 2);
    const { summary } = runScenario(s);
    expect(summary.activations.arrived).toBe(50);
    expect(summary.executionMs.mean).toBeCloseTo(1854.69, -1);
  });
});

describe('azure2019 trace', () => {
  const trace = '{ file: azure2019-invocations.csv, format: azure2019, durations: azure2019-durations.csv, memories: azure2019-memory.csv }';

  it('makes actions with memory from the app file and run times from the percentiles', () => {
    const s = load(tracedScenario(trace));
    const [a1, a2, b1] = s.workload.actions;
    expect(s.workload.actions).toHaveLength(3);
    expect(a1!.name).toBe('appA/funcA1');
    expect(a1!.memoryMb).toBe(256); // 150 MB rounded up to 128 MB steps
    expect(b1!.memoryMb).toBe(384);
    expect(a1!.durationMs).toMatchObject({ dist: 'empirical' });
    expect(a2!.durationMs).toEqual({ dist: 'constant', value: 1000 }); // not in the durations file
  });

  it("spreads each minute's count over that minute, deterministically", () => {
    const s = load(tracedScenario(trace));
    const names = s.workload.actions.map((a) => a.name);
    const got = allInvocations(s.workload.trace!, names);
    expect(got).toHaveLength(3 + 2 + 1 + 5 + 10);
    const b1 = got.filter((g) => g.actionIndex === 2);
    expect(b1).toHaveLength(10);
    for (const g of b1) {
      expect(g.arrivalMs).toBeGreaterThanOrEqual(120_000);
      expect(g.arrivalMs).toBeLessThan(180_000);
    }
    for (let i = 1; i < got.length; i++) expect(got[i]!.arrivalMs).toBeGreaterThanOrEqual(got[i - 1]!.arrivalMs);
    expect(got.every((g) => Number.isNaN(g.durationMs))).toBe(true);
    expect(allInvocations(s.workload.trace!, names)).toEqual(got);
    const { summary } = runScenario(s);
    expect(summary.activations.arrived).toBe(21);
  });
});

describe('docs', () => {
  it('docs/scenarios.md documents every workload.trace field and format', () => {
    const docs = readFileSync('docs/scenarios.md', 'utf8');
    const shape = shapeAt(['workload', 'trace']);
    expect(shape?.kind).toBe('section');
    for (const key of shape!.kind === 'section' ? shape!.keys : []) expect(docs).toContain(`| \`${key}\` |`);
    for (const format of TRACE_FORMATS) expect(docs).toContain(`\`${format}\``);
  });
});

describe('LineReader and splitCsvLine', () => {
  it('streams lines across chunk boundaries, with CRLF and no final newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'owsim-lines-'));
    const lines = Array.from({ length: 20_000 }, (_, i) => `line-${i}-${'x'.repeat(i % 17)}`);
    writeFileSync(join(dir, 'a.txt'), lines.join('\r\n'));
    const reader = new LineReader(join(dir, 'a.txt'));
    const got: string[] = [];
    for (let l = reader.next(); l !== null; l = reader.next()) got.push(l);
    expect(got).toEqual(lines);
    expect(reader.lineNumber).toBe(20_000);
  });

  it('splits quoted CSV fields', () => {
    expect(splitCsvLine('0,False,"2,Intel ""x""",a')).toEqual(['0', 'False', '2,Intel "x"', 'a']);
    expect(splitCsvLine('a,"open')).toBeNull();
  });

  it('shortens colliding names deterministically', () => {
    expect(traceActionNames('azure2021', ['aaaaaaaa1/ffffffff1', 'aaaaaaaa2/ffffffff2'])).toEqual(['aaaaaaaa/ffffffff', 'aaaaaaaa2/ffffffff2']);
  });
});
