/**
 * `npm run findings [-- --check] [-- --only id,id] [-- --cheap] [-- --list]`: recompute docs/findings.md's
 * generated blocks (generate.ts) and rewrite them, or with `--check` exit 1 when the document differs from a
 * fresh computation (printing each differing block's lines). Runs are deterministic, so a difference means the
 * code or the scenarios moved a figure: rerun without `--check` and review the diff of the prose around it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../scenario/builtin.js';
import { FINDINGS_BLOCKS } from './blocks.js';
import { FindingsRunner, markedBlocks, replaceBlocks } from './generate.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const cheapOnly = args.includes('--cheap');
const onlyArg = args.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? (args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined);
const only = onlyArg?.split(',');
const file = join(packageRoot(), 'docs', 'findings.md');

if (args.includes('--list') || args.includes('--help')) {
  console.log('npm run findings -- [--check] [--cheap] [--only id,id]\nblocks:');
  for (const b of FINDINGS_BLOCKS) console.log(`  ${b.id}${b.cheap ? ' (cheap: also in the test suite)' : ''}: ${b.runs.length} run(s)`);
  process.exit(0);
}

const doc = readFileSync(file, 'utf8');
const marked = new Map(markedBlocks(doc).map((b) => [b.id, b]));
const known = new Set(FINDINGS_BLOCKS.map((b) => b.id));
const problems: string[] = [];
for (const id of marked.keys()) if (!known.has(id)) problems.push(`docs/findings.md: block ${id} has no definition in src/findings/blocks.ts`);
for (const id of only ?? []) if (!known.has(id)) problems.push(`--only: no block ${id} (npm run findings -- --list)`);
const selected = FINDINGS_BLOCKS.filter((b) => (only === undefined || only.includes(b.id)) && (!cheapOnly || b.cheap));
for (const b of selected) if (!marked.has(b.id)) problems.push(`docs/findings.md: no <!-- findings:${b.id} --> block`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(2);
}

const runner = new FindingsRunner((r) => console.error(`  run ${[r.scenario, ...(r.seed !== undefined ? [`--seed ${r.seed}`] : []), ...(r.set ?? []).map((s) => `--set ${s}`)].join(' ')}`));
const texts = new Map<string, string>();
let differing = 0;
for (const b of selected) {
  const started = Date.now();
  console.error(`${b.id}: ${b.runs.length} run(s)`);
  const text = runner.render(b);
  texts.set(b.id, text);
  const old = marked.get(b.id)!.text;
  const same = old === text;
  console.error(`${b.id}: ${same ? 'unchanged' : check ? 'DIFFERS' : 'updated'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (!same) {
    differing++;
    if (check) {
      const was = old.split('\n');
      const now = text.split('\n');
      for (let i = 0; i < Math.max(was.length, now.length); i++) {
        if (was[i] !== now[i]) console.log(`${b.id} line ${i + 1}:\n  doc:      ${was[i] ?? ''}\n  computed: ${now[i] ?? ''}`);
      }
    }
  }
}
if (check) {
  console.error(differing === 0 ? `all ${selected.length} block(s) match` : `${differing} block(s) differ from a fresh computation`);
  process.exit(differing === 0 ? 0 : 1);
}
writeFileSync(file, replaceBlocks(doc, texts));
console.error(`${differing} of ${selected.length} block(s) rewritten in docs/findings.md`);
