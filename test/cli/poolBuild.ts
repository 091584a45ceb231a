/**
 * Worker threads run compiled JavaScript: build the sources once into a scratch folder inside the package (so
 * node_modules and "type": "module" resolve) and hand back the pool worker's URL. One folder per test file,
 * since vitest runs files in parallel.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function buildPoolWorker(name: string): URL {
  const buildDir = join(process.cwd(), '.vitest-cache', name);
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', buildDir, '--declaration', 'false', '--sourceMap', 'false'], { stdio: 'pipe' });
  } catch {
    // Type errors elsewhere in the tree still emit JavaScript; the check below is what matters.
  }
  // src/version.ts reads ../package.json, which from the scratch build is .vitest-cache/package.json.
  copyFileSync(join(process.cwd(), 'package.json'), join(process.cwd(), '.vitest-cache', 'package.json'));
  const file = join(buildDir, 'sweep', 'sweepWorker.js');
  if (!existsSync(file)) throw new Error(`no pool worker at ${file} after building`);
  return pathToFileURL(file);
}

/**
 * `buildPoolWorker` without blocking the test worker: a build can outlast vitest's 60 s RPC heartbeat on a
 * busy machine, which then reports an unhandled "Timeout calling onTaskUpdate".
 */
export async function buildPoolWorkerAsync(name: string): Promise<URL> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const buildDir = join(process.cwd(), '.vitest-cache', name);
  try {
    await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', buildDir, '--declaration', 'false', '--sourceMap', 'false']);
  } catch {
    // Type errors elsewhere in the tree still emit JavaScript; the check below is what matters.
  }
  copyFileSync(join(process.cwd(), 'package.json'), join(process.cwd(), '.vitest-cache', 'package.json'));
  const file = join(buildDir, 'sweep', 'sweepWorker.js');
  if (!existsSync(file)) throw new Error(`no pool worker at ${file} after building`);
  return pathToFileURL(file);
}
