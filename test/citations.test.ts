/**
 * The repository is self-contained: no file cites a document that lives outside it, and every citation of
 * docs/openwhisk.md (`docs/openwhisk.md §6.3`, `§18.11–12`, `[openwhisk.md §14](openwhisk.md)`) names a
 * section that page has. The page's sections are its numbered headings (`## 6.`, `### 6.3`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const self = relative(root, import.meta.filename);
const TEXT = /\.(ts|js|mjs|cjs|md|ya?ml|json|html|css|txt)$/;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (TEXT.test(name)) out.push(path);
  }
  return out.sort();
}

/** Every text file a reader of the repository may follow a citation from. */
function citingFiles(): string[] {
  return [...['src', 'test', 'docs', 'scenarios', 'examples'].flatMap((d) => files(join(root, d))), join(root, 'README.md')]
    .map((f) => relative(root, f))
    .filter((f) => f !== self);
}

/** Names of documents that exist only outside the repository. */
const OUTSIDE = [/\bsemantics\.md\b/, /\bSTYLE\.md\b/, /\bDESIGN\.md\b/, /\.\.\/shared\//, /\/work\/shared\b/, /\bshared\/(openwhisk|data)\//];

const openwhiskMd = readFileSync(join(root, 'docs', 'openwhisk.md'), 'utf8');

/** The section numbers of docs/openwhisk.md: `## 6. Title` → 6, `### 6.3 Title` → 6.3. */
function sections(): Set<string> {
  const out = new Set<string>();
  for (const m of openwhiskMd.matchAll(/^#{2,4} (\d+(?:\.\d+)*)\.? /gm)) out.add(m[1]!);
  return out;
}

/** The sections a `§A`, `§A–B` or `§A.x–y` token names (both ends of a range). */
function sectionsOf(token: string): string[] {
  const [from, to] = token.split(/[–-]/);
  if (to === undefined) return [from!];
  // `18.11–12` is 18.11 to 18.12; `15–16` and `9.2–9.3` are written out.
  const end = from!.includes('.') && !to.includes('.') ? `${from!.split('.')[0]}.${to}` : to;
  return [from!, end];
}

/** `file:line: §X` for every cited section of docs/openwhisk.md that the page lacks. */
function brokenCitations(file: string, text: string, pattern: RegExp, known: Set<string>): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(pattern)) {
      for (const token of m[1]!.matchAll(/§(\d+(?:\.\d+)?(?:[–-]\d+(?:\.\d+)?)?)/g)) {
        for (const s of sectionsOf(token[1]!)) if (!known.has(s)) out.push(`${file}:${i + 1}: §${s}`);
      }
    }
  });
  return out;
}

describe('citations', () => {
  it('no file in src, test, docs, scenarios, examples or README.md cites a document outside the repository', () => {
    const found: string[] = [];
    for (const file of citingFiles()) {
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const p of OUTSIDE) if (p.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('every "openwhisk.md §X" citation names a section of docs/openwhisk.md', () => {
    const known = sections();
    const cite = /openwhisk\.md((?:[\s,;]*(?:and\s+)?§\d+(?:\.\d+)?(?:[–-]\d+(?:\.\d+)?)?)+)/g;
    const broken: string[] = [];
    let cited = 0;
    for (const file of citingFiles()) {
      const text = readFileSync(join(root, file), 'utf8');
      cited += [...text.matchAll(cite)].length;
      broken.push(...brokenCitations(file, text, cite, known));
    }
    expect(broken).toEqual([]);
    expect(cited).toBeGreaterThan(25);
  });

  it('docs/openwhisk.md refers only to its own sections, and each era section names the commit it was read at', () => {
    const known = sections();
    expect(brokenCitations('docs/openwhisk.md', openwhiskMd, /(§\d+(?:\.\d+)?(?:[–-]\d+(?:\.\d+)?)?)/g, known)).toEqual([]);
    // Sections 2–16 describe OpenWhisk code: each names at least one file @ an era tag of the table in §0.
    const tags = [...openwhiskMd.matchAll(/^\| (\w+) \| `([0-9a-f]{40})` \|/gm)].map((m) => m[1]!);
    expect(tags).toEqual(['MB', 'PR', 'DEC17', 'RND', 'SH1', 'SH2', 'RM', 'HEAD']);
    const bodies = openwhiskMd.split(/^## /m).slice(1);
    for (const body of bodies) {
      const n = Number(/^(\d+)\./.exec(body)?.[1]);
      if (n >= 2 && n <= 16) expect(body, `§${n}`).toMatch(new RegExp(`\\.scala[:\\d\\-, ]*@(${tags.join('|')})\\b`));
    }
  });
});
