/**
 * A stand-in for an exception the JVM would throw inside OpenWhisk's Scala code.
 *
 * The port reproduces OpenWhisk's failures where they are part of its behaviour rather than owsim bugs: a
 * negative hash indexes a sequence at a negative position (`java.lang.IndexOutOfBoundsException`), a
 * `require(...)` fails (`java.lang.IllegalArgumentException`), a map lookup misses
 * (`java.util.NoSuchElementException`). In Scala these fail the publish Future; a caller in the port catches a
 * `JvmException` and turns it into the same outcome (e.g. a rejected activation). It is neither an
 * `OwsimError` (nothing the user did wrong) nor an `AssertionError` (not an owsim bug).
 */
export class JvmException extends Error {
  /**
   * @param jvmClass fully qualified JVM class name, e.g. `java.lang.IndexOutOfBoundsException`
   * @param message what went wrong, in the JVM's words where they are known
   */
  constructor(
    readonly jvmClass: string,
    message: string,
  ) {
    super(`${jvmClass}: ${message}`);
    this.name = 'JvmException';
  }

  /** The simple class name, as OpenWhisk's test expectations name it (`IllegalArgumentException`). */
  get simpleName(): string {
    const dot = this.jvmClass.lastIndexOf('.');
    return this.jvmClass.slice(dot + 1);
  }
}

/** `Seq.apply(index)` out of range, as Scala's IndexedSeq (a Vector) reports it. */
export function indexOutOfBounds(index: number, length: number): JvmException {
  return new JvmException('java.lang.IndexOutOfBoundsException', `${index} (length ${length})`);
}

/** A failed Scala `require(condition, message)`. */
export function requirementFailed(message: string): JvmException {
  return new JvmException('java.lang.IllegalArgumentException', `requirement failed: ${message}`);
}
