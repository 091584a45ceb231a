/**
 * docs/findings.md cannot drift from the code: every cheap generated block (src/findings/blocks.ts) is
 * recomputed here from the runs it names and compared with the document's text. The expensive blocks (long
 * runs, sweeps) are checked by `npm run findings -- --check`; this file checks that the document and the
 * block list agree, so no block goes unchecked by both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDINGS_BLOCKS } from '../../src/findings/blocks.js';
import { FindingsRunner, markedBlocks, replaceBlocks } from '../../src/findings/generate.js';
import { onSeeds } from '../../src/findings/block.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'findings.md'), 'utf8');
const marked = new Map(markedBlocks(doc).map((b) => [b.id, b.text]));

describe('docs/findings.md', () => {
  it('has one marked block per defined block, and no other', () => {
    expect([...marked.keys()].sort()).toEqual(FINDINGS_BLOCKS.map((b) => b.id).sort());
  });

  it('rewrites only the text between the markers', () => {
    const doc2 = '# t\n<!-- findings:a -->\nold\n<!-- /findings -->\nkeep\n<!-- findings:b -->\n<!-- /findings -->\n';
    expect(replaceBlocks(doc2, new Map([['b', 'new\n']]))).toBe('# t\n<!-- findings:a -->\nold\n<!-- /findings -->\nkeep\n<!-- findings:b -->\nnew\n<!-- /findings -->\n');
    expect(() => markedBlocks('<!-- findings:a -->\nx\n<!-- findings:b -->\n<!-- /findings -->\n')).toThrow(/block a has no closing/);
  });

  it('runs a block over seeds as `owsim run --seeds N` does: seeds 1…N of the same scenario and overrides', () => {
    expect(onSeeds({ scenario: 's.yaml', set: ['a=1'] }, 3)).toEqual([1, 2, 3].map((seed) => ({ scenario: 's.yaml', set: ['a=1'], seed })));
  });

  // One runner for all blocks: blocks that name the same run (scenario and overrides) share it.
  const runner = new FindingsRunner();
  for (const block of FINDINGS_BLOCKS.filter((b) => b.cheap)) {
    it(`block ${block.id} matches a fresh computation (npm run findings -- --only ${block.id} rewrites it)`, () => {
      expect(runner.render(block).split('\n')).toEqual(marked.get(block.id)!.split('\n'));
    }, 120_000);
  }
});
