/**
 * The layer order of src/ (docs/architecture.md, "Layers"), checked on the real sources: a file imports only
 * from its own layer or from a lower one, and no value imports go round in a circle, between folders or
 * between files.
 *
 * Every import counts for the order, `import type` and `await import()` included: a type from a higher layer
 * ties the lower one to it as much as a value does. For cycles only imports that stay in the JavaScript
 * count: a plain `import`/`export … from`, unless it is `import type` or names only `type` bindings (the
 * sources mark type-only imports, so a plain import is taken as a value). A lazy `await import()` does not
 * run when the module loads, so it cannot close a load-time cycle.
 *
 * The imports are read with a regular expression over the statements that start a line, not with the
 * TypeScript parser: it reads every file in a fraction of a second.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/**
 * The layers from the bottom up. Layers on one rank are peers: they sit at the same height and may not import
 * each other. A layer holds folders or single files of src/.
 */
const RANKS: readonly (readonly { layer: string; holds: readonly string[] }[])[] = [
  [{ layer: 'base', holds: ['src/errors.ts', 'src/version.ts'] }],
  [{ layer: 'sim', holds: ['src/sim'] }],
  [{ layer: 'trace', holds: ['src/trace'] }],
  [{ layer: 'extend', holds: ['src/extend'] }],
  [{ layer: 'scenario', holds: ['src/scenario'] }],
  [{ layer: 'model', holds: ['src/model'] }],
  [
    { layer: 'report', holds: ['src/report'] },
    { layer: 'openwhisk', holds: ['src/openwhisk.ts'] },
  ],
  [{ layer: 'run', holds: ['src/runScenario.ts', 'src/runToFolder.ts'] }],
  [
    { layer: 'sweep', holds: ['src/sweep'] },
    { layer: 'fuzz', holds: ['src/fuzz'] },
    { layer: 'bench', holds: ['src/bench'] },
    { layer: 'findings', holds: ['src/findings'] },
  ],
  [{ layer: 'cli', holds: ['src/cli'] }],
  [{ layer: 'index', holds: ['src/index.ts'] }],
];

/**
 * Imports against the order that are there on purpose, each with its reason. Keep this list short: an entry
 * is a debt, not a pattern.
 */
const ALLOWED: readonly { from: string; to: string; why: string }[] = [
  {
    from: 'src/extend/moduleLoader.ts',
    to: 'src/index.ts',
    why:
      "a user's module imports 'owsim' and must get this very library (its CommonLoadBalancer, its ModuleError); " +
      'the loader hands it the namespace, which it reads only when the first user module loads',
  },
  {
    from: 'src/scenario/load.ts',
    to: 'src/report/thresholds.ts',
    why:
      "a scenario's thresholds name metrics of the Summary, which the report layer defines (above the model whose " +
      'parts it holds); the loader checks them before anything runs, so a misspelt metric fails `owsim validate`, ' +
      'not the end of a long run',
  },
];

type Kind = 'value' | 'type' | 'lazy';

interface Edge {
  from: string;
  to: string;
  kind: Kind;
}

// `import … from './x.js'`, `export … from './x.js'`, `import './x.js'`, each starting a line.
const STATIC_IMPORT = /^(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*'(\.[^']*)'|^import\s+'(\.[^']*)'/gm;
// `await import('./x.js')` (a lazy value) or `import('./x.js').T` (a type).
const DYNAMIC_IMPORT = /(await\s+)?\bimport\(\s*'(\.[^']*)'\s*\)/g;

function isTypeOnlyList(bindings: string): boolean {
  const list = bindings.trim();
  if (!/^\{[\s\S]*\}$/.test(list)) return false;
  const names = list.slice(1, -1).split(',').map((n) => n.trim()).filter((n) => n !== '');
  return names.length > 0 && names.every((n) => n.startsWith('type '));
}

function readEdges(): { files: string[]; edges: Edge[] } {
  const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `src/${f.split('\\').join('/')}`)
    .sort();
  const edges: Edge[] = [];
  for (const from of files) {
    const text = readFileSync(join(root, from), 'utf8');
    const target = (spec: string): string => relative(root, resolve(dirname(join(root, from)), spec.replace(/\.js$/, '.ts')));
    for (const m of text.matchAll(STATIC_IMPORT)) {
      const typeOnly = m[2] !== undefined || (m[3] !== undefined && isTypeOnlyList(m[3]));
      edges.push({ from, to: target((m[4] ?? m[5])!), kind: typeOnly ? 'type' : 'value' });
    }
    for (const m of text.matchAll(DYNAMIC_IMPORT)) edges.push({ from, to: target(m[2]!), kind: m[1] !== undefined ? 'lazy' : 'type' });
  }
  return { files, edges };
}

function layerOf(file: string): { layer: string; rank: number } | undefined {
  for (const [rank, peers] of RANKS.entries()) {
    for (const { layer, holds } of peers) {
      if (holds.some((h) => file === h || file.startsWith(`${h}/`))) return { layer, rank };
    }
  }
  return undefined;
}

/** The top-level folder (or root file) of src/ a file belongs to: `model`, `cli`, `runScenario.ts`. */
function topOf(file: string): string {
  return file.split('/')[1]!;
}

/** Every cycle's strongly connected component with more than one node (Tarjan), nodes sorted. */
function cycles(nodes: readonly string[], next: (node: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return out;
}

/** One path around a component, `a → b → … → a`, for the failure message. */
function cyclePath(component: readonly string[], next: (node: string) => readonly string[]): string {
  const inside = new Set(component);
  const start = component[0]!;
  const seen = new Map<string, string>([[start, '']]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of next(v)) {
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = seen.get(u)!) path.splice(1, 0, u);
        return [...path, start].join(' → ');
      }
      if (inside.has(w) && !seen.has(w)) {
        seen.set(w, v);
        queue.push(w);
      }
    }
  }
  return component.join(', ');
}

function adjacency(edges: readonly Edge[], key: (file: string) => string): (node: string) => string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = key(e.from);
    const b = key(e.to);
    if (a === b) continue;
    if (!next.has(a)) next.set(a, new Set());
    next.get(a)!.add(b);
  }
  return (node) => [...(next.get(node) ?? [])].sort();
}

describe('layering', () => {
  const { files, edges } = readEdges();
  const allowed = (e: Edge): boolean => ALLOWED.some((a) => a.from === e.from && a.to === e.to);

  it('places every file of src/ in a layer and every import on a file of src/', () => {
    const unplaced = files.filter((f) => layerOf(f) === undefined).map((f) => `${f} is in no layer (add its folder to RANKS)`);
    const dangling = edges.filter((e) => !existsSync(join(root, e.to))).map((e) => `${e.from} → ${e.to}: no such file`);
    expect([...unplaced, ...dangling]).toEqual([]);
  });

  it('imports only from its own layer or a lower one', () => {
    const violations: string[] = [];
    for (const e of edges) {
      const from = layerOf(e.from);
      const to = layerOf(e.to);
      if (from === undefined || to === undefined || from.layer === to.layer || allowed(e)) continue;
      if (to.rank < from.rank) continue;
      const why = to.rank === from.rank ? 'a peer' : 'a higher layer';
      violations.push(`${e.from} → ${e.to} (${e.kind}): ${from.layer} imports ${why}, ${to.layer}`);
    }
    expect(violations).toEqual([]);
  });

  it('keeps the allowed exceptions real (remove an entry once its import is gone)', () => {
    const stale = ALLOWED.filter((a) => !edges.some((e) => e.from === a.from && e.to === a.to)).map((a) => `${a.from} → ${a.to}`);
    expect(stale).toEqual([]);
  });

  const valueEdges = edges.filter((e) => e.kind === 'value' && !allowed(e));

  it('has no value cycle between the top-level folders of src/', () => {
    const next = adjacency(valueEdges, topOf);
    const tops = [...new Set(files.map(topOf))].sort();
    // Each step names one import that makes it: `model → scenario (src/model/a.ts → src/scenario/b.ts) → …`.
    const example = (a: string, b: string): string => {
      const e = valueEdges.find((x) => topOf(x.from) === a && topOf(x.to) === b)!;
      return `${e.from} → ${e.to}`;
    };
    const described = cycles(tops, next).map((c) => {
      const steps = cyclePath(c, next).split(' → ');
      return steps.map((s, i) => (i === 0 ? s : `${s} (${example(steps[i - 1]!, s)})`)).join(' → ');
    });
    expect(described).toEqual([]);
  });

  it('has no value cycle between files', () => {
    const next = adjacency(valueEdges, (f) => f);
    expect(cycles(files, next).map((c) => cyclePath(c, next))).toEqual([]);
  });
});
