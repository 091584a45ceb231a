/**
 * The two error tiers of owsim (see docs/architecture.md).
 *
 * 1. `OwsimError` and its subclasses are user and operating errors: a bad scenario file, flag or trace, a
 *    missing file. They carry a stable `code`, the file, the field path and what was expected versus what was
 *    found. Only `src/cli` catches them; it prints the message without a stack and exits with the status from
 *    `exitCodes`.
 * 2. Everything else is a bug in owsim and exits `exitCodes.internal`: an `AssertionError` (thrown by `assert` in
 *    src/sim/assert.ts) or an `InternalError` — a bug owsim found itself and can describe, such as a violated
 *    invariant. A bug is never an `OwsimError`, so no code that handles bad input can mistake one for it. Nothing
 *    in src/sim or src/model catches either.
 *
 * The model validates nothing: the scenario layer refuses what the model cannot run (with file and field
 * path), and the model only asserts.
 */

/** Process exit statuses: one table for the code, the README and the tests. */
export const exitCodes = {
  ok: 0,
  /** A threshold, invariant-free comparison rule or regression gate failed. */
  failed: 1,
  /** Bad input: scenario, flag, trace or missing file. */
  badInput: 2,
  /** An internal error (a bug in owsim), a violated invariant among them. */
  internal: 3,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export interface OwsimErrorDetails {
  /** The file the problem is in, when there is one. */
  file?: string;
  /** Dotted field path inside that file, e.g. `workload.actions[2].memory`. */
  path?: string;
  /** What was expected, in words. */
  expected?: string;
  /** What was found, printed compactly. */
  got?: string;
  /** 1-based line in the file, when known (YAML syntax errors, trace rows). */
  line?: number;
}

export class OwsimError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly details: OwsimErrorDetails;

  constructor(code: string, message: string, details: OwsimErrorDetails = {}, exitCode: ExitCode = exitCodes.badInput) {
    super(message);
    this.name = 'OwsimError';
    this.code = code;
    this.details = details;
    this.exitCode = exitCode;
  }

  /** The one-line-per-problem form the CLI prints: `file:line: path: message (expected …, got …)`. */
  format(): string {
    const d = this.details;
    let where = d.file ?? '';
    if (d.line !== undefined) where += `:${d.line}`;
    if (d.path) where += where ? `: ${d.path}` : d.path;
    // A message that already starts with the file would repeat it (`my.yaml: my.yaml: no such file`).
    const message = d.file !== undefined && this.message.startsWith(`${d.file}: `) ? this.message.slice(d.file.length + 2) : this.message;
    let text = where ? `${where}: ${message}` : message;
    if (d.expected !== undefined) text += `\n  expected: ${d.expected}`;
    if (d.got !== undefined) text += `\n  got: ${d.got}`;
    return text;
  }
}

/** A scenario file (or --set override) that does not parse or validate. */
export class ScenarioError extends OwsimError {
  constructor(message: string, details: OwsimErrorDetails = {}) {
    super('E_SCENARIO', message, details);
    this.name = 'ScenarioError';
  }
}

/** A command-line flag with a bad value. */
export class UsageError extends OwsimError {
  constructor(message: string, details: OwsimErrorDetails = {}) {
    super('E_USAGE', message, details);
    this.name = 'UsageError';
  }
}

/** A file that cannot be read. */
export class FileError extends OwsimError {
  constructor(message: string, details: OwsimErrorDetails = {}) {
    super('E_FILE', message, details);
    this.name = 'FileError';
  }
}

/** A trace file with a malformed row. */
export class TraceError extends OwsimError {
  constructor(message: string, details: OwsimErrorDetails = {}) {
    super('E_TRACE', message, details);
    this.name = 'TraceError';
  }
}

/**
 * A bug in owsim that owsim found and can describe (tier 2): `format()` is what the CLI prints after
 * `internal error: `; it always exits `exitCodes.internal`.
 */
export class InternalError extends Error {
  readonly exitCode: ExitCode = exitCodes.internal;

  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }

  format(): string {
    return this.message;
  }
}
