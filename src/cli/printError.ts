/**
 * Turns anything thrown out of a command into what the user sees and an exit status (STYLE P12):
 * - an `OwsimError` (bad scenario, flag or file) prints `error: ` and its formatted message, never a stack,
 *   and exits with its own status (2 for bad input);
 * - anything else is a bug in owsim: it prints the message (an `InternalError`'s own report, e.g. a violated
 *   invariant with its reproduce line), the stack only with --debug, asks the user to report it, and exits 3.
 */
import { exitCodes, InternalError, OwsimError, UsageError, type ExitCode } from '../errors.js';
import type { CliIo } from './io.js';

export const ISSUES_HINT = 'This is a bug in owsim. Please report it with the command line and the scenario file.';

export function printError(err: unknown, io: CliIo, debug: boolean): ExitCode {
  if (err instanceof OwsimError) {
    io.stderr.write(`error: ${err.format()}\n`);
    if (err instanceof UsageError) io.stderr.write("Run 'owsim --help' for usage.\n");
    // A user's module that threw keeps its own error as the cause: its stack helps the module's author.
    const cause = (err as { cause?: unknown }).cause;
    if (debug && cause instanceof Error && cause.stack) io.stderr.write(`${cause.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof InternalError ? err.format() : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  io.stderr.write(`internal error: ${message}\n`);
  if (debug && err instanceof Error && err.stack) {
    io.stderr.write(`${err.stack}\n`);
  } else {
    io.stderr.write('Run again with --debug to print the stack.\n');
  }
  io.stderr.write(`${ISSUES_HINT}\n`);
  return exitCodes.internal;
}
