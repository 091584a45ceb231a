/**
 * Every shipped scenario (shortened) must satisfy the model's books: each arrival in exactly one outcome,
 * Little's law within 2%, identical bytes for identical runs, different bytes for another seed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenariosDir } from '../../src/scenario/builtin.js';
import { runScenario } from '../../src/runScenario.js';
import { renderSummaryJson } from '../../src/report/SummaryJsonReporter.js';
import { renderTimeSeriesCsv } from '../../src/report/TimeSeriesCsvReporter.js';
import { listShippedScenarios, loadShortened } from './shortenedScenarios.js';

const scenarios = listShippedScenarios();

/**
 * The committed summary.json of every shipped scenario (as shortened above): owsim's own regression gate on
 * its scheduling code. `npm run baselines` rewrites them; a change that moves a figure shows it in its diff.
 */
const baselinesDir = join(import.meta.dirname, '..', '..', 'reports', 'baselines');
const updateBaselines = process.env.OWSIM_UPDATE_BASELINES === '1';
const baselineFile = (file: string) => join(baselinesDir, relative(scenariosDir(), file).replace(/\.(ya?ml|json)$/, ''), 'summary.json');

function committedBaselines(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? committedBaselines(join(dir, e.name)) : e.name === 'summary.json' ? [join(dir, e.name)] : [],
  );
}

describe('shipped scenarios', () => {
  it('include the quick start and the validation scenarios', () => {
    const names = scenarios.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['quickstart', 'overflow-burst', 'mmc', 'aws-lambda-coldstart']));
  });

  it('have a committed baseline each, and no baseline outlives its scenario', () => {
    const expected = scenarios.map((s) => baselineFile(s.file)).sort();
    if (updateBaselines) return;
    expect(committedBaselines(baselinesDir).sort()).toEqual(expected);
  });

  for (const s of scenarios) {
    describe(s.name, () => {
      const load = () => loadShortened(s);
      const first = runScenario(load());

      it('puts every arrival in exactly one outcome', () => {
        const a = first.summary.activations;
        expect(a.arrived).toBeGreaterThan(0);
        expect(a.completed + a.timedOut + a.rejected + a.lost + a.inFlight).toBe(a.arrived);
        expect(Object.values(a.rejectedBy).reduce((x, y) => x + y, 0)).toBe(a.rejected);
      });

      it("satisfies Little's law within 2%", () => {
        expect(first.summary.littlesLaw.relativeError).toBeLessThan(0.02);
      });

      it('matches its committed baseline byte for byte (npm run baselines rewrites it)', () => {
        const file = baselineFile(s.file);
        const actual = renderSummaryJson(first.summary);
        if (updateBaselines) {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, actual);
          return;
        }
        expect(existsSync(file), `${relative(process.cwd(), file)} is missing: run npm run baselines`).toBe(true);
        // Line by line, so a failure prints the figures that moved rather than two truncated strings.
        expect(actual.split('\n'), `${s.name}: summary.json differs from its baseline; if the change means it, run npm run baselines and commit the diff`).toEqual(
          readFileSync(file, 'utf8').split('\n'),
        );
      });

      it('gives identical summary.json and timeseries.csv bytes for the same seed, different for another', () => {
        const again = runScenario(load());
        const json = (o: typeof first) => renderSummaryJson(o.summary);
        const csv = (o: typeof first) => renderTimeSeriesCsv(o.timeseries);
        expect(json(again)).toBe(json(first));
        expect(csv(again)).toBe(csv(first));
        const other = runScenario(load(), { seed: first.summary.seed + 1 });
        expect(json(other)).not.toBe(json(first));
      });
    });
  }
});
