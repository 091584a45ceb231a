/**
 * Reads a text file line by line, synchronously, in 64 KB chunks: the simulation is synchronous, and a trace
 * of millions of rows must never be held whole. Lines end at `\n` (a trailing `\r` is dropped); the last line
 * needs no newline. `lineNumber` is the 1-based number of the line last returned. Also a minimal CSV field
 * splitter (RFC 4180 quoting within one line; quoted newlines are not supported).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { FileError } from '../errors.js';

const CHUNK_BYTES = 64 * 1024;

export class LineReader {
  private readonly fd: number;
  private readonly buffer = Buffer.alloc(CHUNK_BYTES);
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private lines: string[] = [];
  private lineIndex = 0;
  private eof = false;
  lineNumber = 0;

  constructor(readonly file: string) {
    try {
      this.fd = openSync(file, 'r');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new FileError(code === 'ENOENT' ? 'no such trace file' : `cannot read (${code ?? String(err)})`, {
        file,
        expected: 'an existing trace file',
      });
    }
  }

  /** The next line, or null at the end of the file (the file is then closed). */
  next(): string | null {
    while (this.lineIndex >= this.lines.length) {
      if (this.eof) return null;
      this.fill();
    }
    const line = this.lines[this.lineIndex++]!;
    this.lineNumber++;
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  }

  close(): void {
    if (!this.eof) {
      this.eof = true;
      closeSync(this.fd);
    }
  }

  private fill(): void {
    const n = readSync(this.fd, this.buffer, 0, CHUNK_BYTES, null);
    let text: string;
    if (n === 0) {
      text = this.pending + this.decoder.end();
      this.pending = '';
      this.close();
      this.lines = text === '' ? [] : [text];
    } else {
      text = this.pending + this.decoder.write(this.buffer.subarray(0, n));
      const parts = text.split('\n');
      this.pending = parts.pop()!;
      this.lines = parts;
    }
    this.lineIndex = 0;
  }
}

/** Splits one CSV line into fields; null when a quote is left open. */
export function splitCsvLine(line: string): string[] | null {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}
