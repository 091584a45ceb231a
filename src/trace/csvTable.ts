/**
 * A CSV trace file read row by row with named columns: the header is checked for the columns a format needs,
 * and every problem (a missing column, a short row, a field that is not a number) is a TraceError naming the
 * file and the 1-based line. Blank lines are skipped.
 */
import { TraceError } from '../errors.js';
import { LineReader, splitCsvLine } from './lineReader.js';

export class CsvTable {
  private readonly reader: LineReader;
  private readonly columns: Map<string, number>;
  private readonly width: number;
  /** Fields of the row last returned by `next`. */
  fields: string[] = [];

  constructor(readonly file: string, required: readonly string[], readonly format: string) {
    this.reader = new LineReader(file);
    const header = this.reader.next();
    const names = header === null ? null : splitCsvLine(header);
    if (names === null) {
      this.reader.close();
      throw new TraceError(`${format} trace has no header`, { file, line: 1, expected: `a header with ${required.join(', ')}`, got: 'an empty file' });
    }
    this.columns = new Map(names.map((n, i) => [n.trim(), i]));
    this.width = names.length;
    const missing = required.filter((c) => !this.columns.has(c));
    if (missing.length > 0) {
      this.reader.close();
      throw new TraceError(`${format} trace header lacks ${missing.join(', ')}`, {
        file,
        line: 1,
        expected: `a header with ${required.join(', ')}`,
        got: header!.slice(0, 120),
      });
    }
  }

  get line(): number {
    return this.reader.lineNumber;
  }

  column(name: string): number {
    return this.columns.get(name) ?? -1;
  }

  /** Advances to the next row; false at the end. */
  next(): boolean {
    for (;;) {
      const line = this.reader.next();
      if (line === null) return false;
      if (line.trim() === '') continue;
      const fields = splitCsvLine(line);
      if (fields === null || fields.length < this.width) {
        throw this.error(fields === null ? 'a quoted field is not closed' : `the row has ${fields.length} fields, the header ${this.width}`, `${this.width} comma-separated fields`, line.slice(0, 120));
      }
      this.fields = fields;
      return true;
    }
  }

  text(column: number, name: string): string {
    const value = this.fields[column]!.trim();
    if (value === '') throw this.error(`\`${name}\` is empty`, `a value for ${name}`, '""');
    return value;
  }

  number(column: number, name: string, opts: { min?: number } = {}): number {
    const raw = this.fields[column]!.trim();
    const value = raw === '' ? NaN : Number(raw);
    if (!Number.isFinite(value)) throw this.error(`\`${name}\` is not a number`, `a number in ${name}`, JSON.stringify(raw));
    if (opts.min !== undefined && value < opts.min) throw this.error(`\`${name}\` is below ${opts.min}`, `${name} ≥ ${opts.min}`, raw);
    return value;
  }

  error(message: string, expected: string, got: string): TraceError {
    return new TraceError(`malformed ${this.format} row: ${message}`, { file: this.file, line: this.line, expected, got });
  }

  close(): void {
    this.reader.close();
  }
}
