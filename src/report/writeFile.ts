/**
 * The reporters' one way to touch the disk: create the directory, write the text, and turn an operating-system
 * failure (no permission, a file where a directory should be) into a `FileError` the CLI prints without a stack.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileError } from '../errors.js';

export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new FileError('cannot create the report folder', { file: dir, got: describeFsError(err) });
  }
}

/** Writes `text` to `dir/name` (UTF-8) and returns the path written. */
export function writeReportFile(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  try {
    writeFileSync(file, text, 'utf8');
  } catch (err) {
    throw new FileError('cannot write report file', { file, got: describeFsError(err) });
  }
  return file;
}

function describeFsError(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') {
    const message = 'message' in err && typeof err.message === 'string' ? err.message : '';
    return message || err.code;
  }
  return String(err);
}
