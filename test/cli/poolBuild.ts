/**
 * Worker threads, the README tour, the CI example and the generated policy projects run compiled JavaScript.
 * One build serves every test file: it lives in `.vitest-cache/build-<hash of the sources>` (inside the package,
 * so node_modules and "type": "module" resolve), the first file to need it builds it under a lock while the
 * others wait, and a later run with unchanged sources reuses it. Seven test files used to run `tsc` each, about
 * two minutes of CPU per suite on a 2-core machine.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const root = process.cwd();
const cache = join(root, '.vitest-cache');
/** A lock older than this belongs to a build that died; a build takes well under a minute even on a busy machine. */
const STALE_LOCK_MS = 5 * 60_000;

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else files.push(path);
  }
  return files.sort();
}

/** Names the build after everything it is compiled from, so an edit to any source makes a new one. */
function sourceHash(): string {
  const hash = createHash('sha256').update(TSC_FLAGS.join(' ')).update('\0');
  for (const file of [...sourceFiles(join(root, 'src')), join(root, 'tsconfig.build.json'), join(root, 'package.json')]) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The compiler flags the build adds to tsconfig.build.json; part of the build's name. */
const TSC_FLAGS = ['--sourceMap', 'false', '--declarationMap', 'false'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The folder of a compiled owsim for the current sources (`index.js` and `index.d.ts`, `cli/main.js`, `sweep/sweepWorker.js`). */
export async function compiledOwsim(): Promise<string> {
  const dir = join(cache, `build-${sourceHash()}`);
  const lock = `${dir}.lock`;
  mkdirSync(cache, { recursive: true });
  providePackageJson();
  for (;;) {
    if (existsSync(dir)) return dir;
    try {
      mkdirSync(lock);
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await sleep(250);
      continue;
    }
    try {
      const scratch = `${dir}.tmp`;
      rmSync(scratch, { recursive: true, force: true });
      // Asynchronously, so the vitest worker keeps answering its RPC heartbeat while tsc runs.
      await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', scratch, ...TSC_FLAGS], { cwd: root }).catch(() => {
        // Type errors elsewhere in the tree still emit JavaScript; the check below is what matters.
      });
      if (!existsSync(join(scratch, 'sweep', 'sweepWorker.js'))) throw new Error(`tsc wrote no sweep/sweepWorker.js into ${scratch}`);
      renameSync(scratch, dir);
      pruneOldBuilds(dir);
      return dir;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/**
 * src/version.ts reads ../package.json, which from a build in the cache is .vitest-cache/package.json. Test
 * files in other processes read it while their worker threads run, so it is replaced by a rename, never
 * rewritten in place: a copy truncates first, and a reader that came between saw an empty file (JSON.parse
 * threw and a seeds run exited 3 on CI).
 */
function providePackageJson(): void {
  const target = join(cache, 'package.json');
  const bytes = readFileSync(join(root, 'package.json'));
  if (existsSync(target) && readFileSync(target).equals(bytes)) return;
  const scratch = `${target}.${process.pid}.tmp`;
  writeFileSync(scratch, bytes);
  renameSync(scratch, target);
}

/** Builds of earlier sources are dead weight once a newer one exists. */
function pruneOldBuilds(current: string): void {
  for (const name of readdirSync(cache)) {
    const path = join(cache, name);
    if (/^build-[0-9a-f]{16}$/.test(name) && path !== current && !existsSync(`${path}.lock`)) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/** The pool worker of the shared build, for `poolWorkerUrl`. */
export async function buildPoolWorker(): Promise<URL> {
  return pathToFileURL(join(await compiledOwsim(), 'sweep', 'sweepWorker.js'));
}

/** Type-checks `file` in `dir` against the shared build's declarations, as a user's project sees an installed owsim. */
export async function typeCheckAgainstCompiledOwsim(dir: string, file: string): Promise<void> {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        paths: { owsim: [join(await compiledOwsim(), 'index.d.ts')] },
      },
      files: [file],
    }),
  );
  await promisify(execFile)('npx', ['tsc', '-p', join(dir, 'tsconfig.json')], { cwd: root });
}

/** owsim's own dependencies with the shared build's pool worker, for commands that run on worker threads. */
export async function pooledDeps(): Promise<import('../../src/cli/main.js').CliDeps> {
  const { defaultDeps } = await import('../../src/cli/defaultDeps.js');
  return { ...defaultDeps, poolWorkerUrl: await buildPoolWorker() };
}
