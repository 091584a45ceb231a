/**
 * Programmer-error assertions. A failed assertion is a bug in owsim, never a user mistake, so it is never
 * caught inside src/sim or src/model. Keep one condition per call so the message names what broke.
 */
export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}
