/**
 * A violated invariant: the simulator's own books disagree with themselves (issue 7). It stops the run and
 * exits 3 like any internal error (it is one: a bug, never an OwsimError), but says which invariant broke, at what simulated time, which entities
 * were involved and (filled in by whoever knows the command line) the exact command that reproduces it.
 */
import { InternalError } from '../../errors.js';
import { formatDuration } from '../../scenario/units.js';

export class InvariantViolation extends InternalError {
  /** `owsim run <file> --seed N [--set ...] --check`, once the caller knows it. */
  reproduce: string | null = null;

  constructor(
    /** A stable name, e.g. `activation-resolved-once`, `bookkeeping-non-negative`. */
    readonly invariant: string,
    readonly detail: string,
    readonly timeMs: number,
    readonly entities: readonly string[],
  ) {
    super(`invariant \`${invariant}\` violated at t = ${formatDuration(timeMs)} (${timeMs} ms): ${detail}`);
    this.name = 'InvariantViolation';
  }

  override format(): string {
    let text = this.message;
    if (this.entities.length > 0) text += `\n  entities: ${this.entities.join(', ')}`;
    if (this.reproduce !== null) text += `\n  reproduce: ${this.reproduce}`;
    return text;
  }
}
