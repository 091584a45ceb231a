/** docs/scenarios.md must document every field the schema accepts, every controller fix, and defaults.ts's values. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/scenario/builtin.js';
import { scenarioDefaults as D } from '../../src/scenario/defaults.js';
import { CONTROLLER_FIXES, shapeAt } from '../../src/scenario/schema.js';

const docs = readFileSync(`${packageRoot()}/docs/scenarios.md`, 'utf8');

function keys(path: (string | number)[]): string[] {
  const shape = shapeAt(path);
  return shape?.kind === 'section' ? shape.keys : [];
}

describe('docs/scenarios.md', () => {
  const sections: (string | number)[][] = [[], ['controllers'], ['controllers', 'limits'], ['invokers'], ['kafka'], ['workload', 'actions', 0], ['report'], ['workload'], ['workload', 'population'], ['workload', 'actions', 0, 'clients']];
  for (const section of sections) {
    it(`documents every key of ${section.join('.') || 'the top level'}`, () => {
      const names = keys(section);
      expect(names.length).toBeGreaterThan(0);
      for (const key of names) expect(docs).toMatch(new RegExp(`[\`.]${key}\``));
    });
  }

  it('documents every controller fix', () => {
    for (const fix of CONTROLLER_FIXES) expect(docs).toContain(`\`${fix}\``);
  });

  it("quotes defaults.ts's value in the default column of each field's row", () => {
    const part = (heading: string): string[] => {
      const from = docs.indexOf(`\n${heading}\n`);
      const to = docs.indexOf('\n## ', from + 1);
      expect(from, heading).toBeGreaterThanOrEqual(0);
      return docs.slice(from, to < 0 ? undefined : to).split('\n');
    };
    const sections: [string, Record<string, unknown>][] = [
      ['## Top level', D],
      ['## controllers', D.controllers],
      ['## invokers', D.invokers],
      ['## kafka', D.kafka],
      ['## store', D.store],
      ['## workload.actions', D.action],
      ['## workload.population', D.workload.population],
      ['## workload.trace', D.workload.trace],
    ];
    let checked = 0;
    for (const [heading, defaults] of sections) {
      const rows = part(heading);
      for (const [key, value] of Object.entries(defaults)) {
        if (typeof value === 'object' && value !== null) continue;
        const row = rows.find((line) => line.startsWith(`| \`${key}\` |`));
        // Columns: field | unit | default | meaning (a `\|` inside a cell is not a column break).
        const column = row?.split(/(?<!\\)\|/)[3] ?? '';
        expect(column, `${heading} ${key}`).toContain(`\`${value === '' ? '""' : String(value)}\``);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

