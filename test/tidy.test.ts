/**
 * Mechanical checks of the project's rules: simulated code never reads ambient time,
 * randomness or environment; the kernel knows no OpenWhisk word and never imports the model; only
 * src/sim/rng.ts imports seedrandom. Each finding is reported as `file:line: X is banned, use Y`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out.sort();
}

interface Ban {
  pattern: RegExp;
  what: string;
  instead: string;
}

function scan(dirs: string[], bans: Ban[]): string[] {
  const findings: string[] = [];
  for (const dir of dirs) {
    for (const file of sourceFiles(join(root, dir))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '');
          if (/^\s*(\*|\/\*)/.test(code)) return;
          for (const ban of bans) {
            if (ban.pattern.test(code)) findings.push(`${relative(root, file)}:${i + 1}: ${ban.what} is banned, use ${ban.instead}`);
          }
        });
    }
  }
  return findings;
}

const ambient: Ban[] = [
  { pattern: /\bDate\.now\b/, what: 'Date.now', instead: 'the simulation clock (sim.now / scheduler.now())' },
  { pattern: /\bnew Date\(/, what: 'new Date()', instead: 'the simulation clock' },
  { pattern: /\bperformance\.now\b/, what: 'performance.now', instead: 'the simulation clock' },
  { pattern: /\bprocess\.hrtime\b/, what: 'process.hrtime', instead: 'the simulation clock' },
  { pattern: /\bMath\.random\b/, what: 'Math.random', instead: "a named stream: sim.rng('component/name')" },
  { pattern: /\bcrypto\.random/, what: 'crypto random', instead: 'ids from the simulation instance' },
  { pattern: /\bsetTimeout\b|\bsetInterval\b|\bsetImmediate\b/, what: 'real timers', instead: 'sim.schedule / scheduler.scheduleOnce' },
  { pattern: /\bprocess\.env\b/, what: 'process.env', instead: 'a scenario field' },
  { pattern: /^(export\s+)?let\s+\w+/, what: 'module-level mutable state', instead: 'state on a simulation or component instance' },
];

describe('tidy', () => {
  it('simulated code reads no wall clock, ambient randomness, timers, environment or module-level state', () => {
    expect(scan(['src/sim', 'src/model'], ambient)).toEqual([]);
  });

  it('the kernel knows nothing of OpenWhisk and never imports the model', () => {
    const domain: Ban[] = [
      { pattern: /\b(invoker|controller|activation|kafka|topic|openwhisk)s?\b/i, what: 'an OpenWhisk word in the kernel', instead: 'a neutral name' },
      { pattern: /from '\.\.\/(model|scenario|report|cli)\//, what: 'importing a higher layer from the kernel', instead: 'an interface the kernel defines' },
    ];
    expect(scan(['src/sim'], domain)).toEqual([]);
  });

  it('the model never imports the CLI or the reports', () => {
    const upward: Ban[] = [{ pattern: /from '(\.\.\/)+(cli|report)\//, what: 'importing src/cli or src/report from the model', instead: 'returning values' }];
    expect(scan(['src/model'], upward)).toEqual([]);
  });

  it('an inverted assert, `if (!(c)) assert(false, …)`, says why: a plain assert everywhere a profile shows no cost', () => {
    // The comment above the first of a run of inverted asserts names the per-event path (issue 19).
    const inverted = /^\s*if \(.*\) assert\(false\b/;
    const skipped = /^\s*\/\/ Stryker /;
    const unexplained: string[] = [];
    for (const file of sourceFiles(join(root, 'src'))) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (!inverted.test(line)) return;
        let k = i - 1;
        while (k >= 0 && (inverted.test(lines[k]!) || skipped.test(lines[k]!))) k--;
        let comment = '';
        while (k >= 0 && /^\s*\/\//.test(lines[k]!)) comment = lines[k--]! + comment;
        if (!/inverted form/.test(comment)) unexplained.push(`${relative(root, file)}:${i + 1}`);
      });
    }
    expect(unexplained).toEqual([]);
  });

  it('only src/sim/rng.ts imports seedrandom', () => {
    const importers = sourceFiles(join(root, 'src'))
      .filter((f) => /from 'seedrandom'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(importers).toEqual(['src/sim/rng.ts']);
  });
});
