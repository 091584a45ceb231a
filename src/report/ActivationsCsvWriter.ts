/**
 * activations.csv (`report.activationsCsv: true`): one row per activation, streamed to disk while the run goes
 * on so memory stays flat however many activations there are. A row is written when the activation's outcome
 * is set (so rows come in order of resolution); activations still in flight when the run ends get their rows
 * last, with outcome `inFlight`. Rows are buffered and written 256 KB at a time.
 *
 * Columns: id, action, namespace, controller, invoker, arrival_ms, start_ms, end_ms, resolved_ms, cold,
 * outcome, reason, overflowed, measured. Names are empty and times blank when they do not apply (never
 * accepted, never started, not resolved). Times are virtual milliseconds with three decimals.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { ActivationRecord, Outcome } from '../model/ActivationRecord.js';
import { controllerName, invokerName } from '../model/messages.js';
import { FileError } from '../errors.js';

export const ACTIVATIONS_CSV_FILE = 'activations.csv';

export const ACTIVATIONS_CSV_COLUMNS = [
  'id',
  'action',
  'namespace',
  'controller',
  'invoker',
  'arrival_ms',
  'start_ms',
  'end_ms',
  'resolved_ms',
  'cold',
  'outcome',
  'reason',
  'overflowed',
  'measured',
] as const;

const OUTCOME_NAMES: Record<Outcome, string> = {
  [Outcome.inFlight]: 'inFlight',
  [Outcome.completed]: 'completed',
  [Outcome.timedOut]: 'timedOut',
  [Outcome.rejected]: 'rejected',
  [Outcome.lost]: 'lost',
};

const FLUSH_CHARS = 256 * 1024;

function time(ms: number): string {
  return ms < 0 ? '' : String(Math.round(ms * 1000) / 1000);
}

function cell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export class ActivationsCsvWriter {
  private readonly fd: number;
  private buffer = '';
  rows = 0;

  /** `actions[i]` and `namespaces[i]`: the name and invoking namespace of the catalog's action i. */
  constructor(
    readonly path: string,
    private readonly actions: readonly string[],
    private readonly namespaces: readonly string[],
  ) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new FileError(`${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: path });
    }
    this.buffer = `${ACTIVATIONS_CSV_COLUMNS.join(',')}\n`;
  }

  write(r: ActivationRecord): void {
    this.buffer +=
      `${r.id},${cell(this.actions[r.actionIndex]!)},${cell(this.namespaces[r.actionIndex]!)},` +
      `${r.controller >= 0 ? controllerName(r.controller) : ''},${r.invoker >= 0 ? invokerName(r.invoker) : ''},` +
      `${time(r.arrivalMs)},${time(r.execStartMs)},${time(r.execEndMs)},${time(r.resolvedMs)},` +
      `${r.execStartMs >= 0 ? (r.cold ? 'true' : 'false') : ''},${OUTCOME_NAMES[r.outcome]},${r.reason === null ? '' : cell(r.reason)},` +
      `${r.overflowed ? 'true' : 'false'},${r.measured ? 'true' : 'false'}\n`;
    this.rows++;
    if (this.buffer.length >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.buffer === '') return;
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  /** Writes the rows of the activations still in flight, then closes the file. */
  close(inFlight: readonly ActivationRecord[]): void {
    for (const r of inFlight) if (r.outcome === Outcome.inFlight) this.write(r);
    this.flush();
    closeSync(this.fd);
  }
}
