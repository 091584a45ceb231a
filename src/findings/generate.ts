/**
 * docs/findings.md's generated blocks: each figure table (and the prose figures around it) sits between
 * `<!-- findings:<id> -->` and `<!-- /findings -->`, and the block of that id (blocks.ts) recomputes its text
 * from the runs it names. `npm run findings` rewrites the blocks; `--check` fails when the document differs
 * from a fresh computation; the test suite recomputes the cheap blocks (test/findings/findings.test.ts).
 */
import { loadScenarioFile } from '../scenario/load.js';
import { runScenario } from '../runScenario.js';
import { join } from 'node:path';
import { packageRoot } from '../scenario/builtin.js';
import type { RunOutput } from '../report/types.js';
import type { FindingRun, FindingsBlock } from './block.js';

const OPEN = /<!-- findings:([a-z0-9-]+) -->\n/g;
const CLOSE = '<!-- /findings -->';

export interface MarkedBlock {
  id: string;
  /** Offsets of the generated text (between the opening marker's line and the closing marker). */
  from: number;
  to: number;
  text: string;
}

/** The marked blocks of a document, in order; an unclosed or nested marker is an error naming the id. */
export function markedBlocks(doc: string): MarkedBlock[] {
  const blocks: MarkedBlock[] = [];
  for (const m of doc.matchAll(OPEN)) {
    const from = m.index + m[0].length;
    const to = doc.indexOf(CLOSE, from);
    const next = doc.indexOf('<!-- findings:', from);
    if (to < 0 || (next >= 0 && next < to)) throw new Error(`findings block ${m[1]} has no closing ${CLOSE} before the next block`);
    blocks.push({ id: m[1]!, from, to, text: doc.slice(from, to) });
  }
  return blocks;
}

/** The document with each given block's text replaced. */
export function replaceBlocks(doc: string, texts: ReadonlyMap<string, string>): string {
  let out = '';
  let at = 0;
  for (const b of markedBlocks(doc)) {
    const text = texts.get(b.id);
    if (text === undefined) continue;
    out += doc.slice(at, b.from) + text;
    at = b.to;
  }
  return out + doc.slice(at);
}

const key = (r: FindingRun) => [r.scenario, `seed=${r.seed ?? ''}`, ...(r.set ?? [])].join('\0');

/** Runs each distinct run once (blocks share runs) and renders the blocks. */
export class FindingsRunner {
  private readonly cache = new Map<string, RunOutput>();

  constructor(private readonly onRun: (run: FindingRun) => void = () => {}) {}

  run(r: FindingRun): RunOutput {
    const k = key(r);
    let out = this.cache.get(k);
    if (out === undefined) {
      this.onRun(r);
      const scenario = loadScenarioFile(join(packageRoot(), r.scenario), [...(r.set ?? [])]);
      out = runScenario(scenario, { checks: false, ...(r.seed !== undefined ? { seed: r.seed } : {}) });
      this.cache.set(k, out);
    }
    return out;
  }

  render(block: FindingsBlock): string {
    const text = block.render(block.runs.map((r) => this.run(r)), block.runs);
    return text.endsWith('\n') ? text : text + '\n';
  }
}
