/** Every file under a folder as relative path → bytes, for byte-identity checks of two outputs. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** `skip(name)`: leave out files by name (e.g. run-info.json, which records wall time by design). */
export function fileTree(dir: string, skip: (name: string) => boolean = () => false): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!skip(name)) files.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return files;
}
