/** docs/scenarios.md must document every field the schema accepts, and every controller fix. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/scenario/builtin.js';
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
});
