/**
 * owsim's version, read from package.json. The path is the same relative to src/version.ts and to
 * dist/version.js, so sources (tests) and the build both find the package root.
 */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function owsimVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    cached = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  }
  return cached;
}
