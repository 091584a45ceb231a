/**
 * Catches a user's module reading ambient randomness or the wall clock (`Math.random`, `Date.now`,
 * `performance.now`) while owsim calls into it, which would make two runs of the same seed differ.
 *
 * Armed only while `owsim run --check` runs a scenario with a module (`withAmbientGuard`); then every call
 * into a module goes through `enter`/`exit`, which swap those three functions for recording wrappers (the
 * module still gets real values: the run is not changed, only watched). Unarmed, `enter` is one null check.
 * The first use is kept with its stack, so the message can name the module's line and the activation.
 */

/** The first ambient read seen: what was called, its stack, and the activation being placed. */
export interface AmbientUse {
  readonly what: string;
  readonly stack: string;
  readonly activationId: number | null;
  /** The module that was running. */
  readonly file: string;
}

interface Saved {
  random: () => number;
  dateNow: () => number;
  perfNow: () => number;
}

class AmbientGuard {
  firstUse: AmbientUse | null = null;
  private depth = 0;
  private saved: Saved | null = null;
  private file = '';
  private activationId: number | null = null;

  enter(file: string, activationId: number | null): void {
    if (this.depth++ > 0) return;
    this.file = file;
    this.activationId = activationId;
    const saved: Saved = { random: Math.random, dateNow: Date.now, perfNow: performance.now.bind(performance) };
    this.saved = saved;
    Math.random = () => {
      this.record('Math.random');
      return saved.random();
    };
    Date.now = () => {
      this.record('Date.now');
      return saved.dateNow();
    };
    performance.now = () => {
      this.record('performance.now');
      return saved.perfNow();
    };
  }

  exit(): void {
    if (--this.depth > 0) return;
    const saved = this.saved;
    if (saved === null) return;
    Math.random = saved.random;
    Date.now = saved.dateNow;
    // performance.now is an own property only while wrapped; deleting restores the prototype's.
    delete (performance as { now?: unknown }).now;
    this.saved = null;
  }

  private record(what: string): void {
    if (this.firstUse !== null) return;
    this.firstUse = { what, stack: new Error(what).stack ?? '', activationId: this.activationId, file: this.file };
  }
}

let armed: AmbientGuard | null = null;

/** Called before owsim calls into a user's module. */
export function enterModule(file: string, activationId: number | null): void {
  if (armed !== null) armed.enter(file, activationId);
}

/** Called after the call into the module returned or threw. */
export function exitModule(): void {
  if (armed !== null) armed.exit();
}

/**
 * Runs `body` with the guard armed; returns its result and the first ambient read seen, if any. The CLI runs
 * one scenario at a time in its thread, so the guard stays armed across the awaits of `body` on purpose.
 */
export async function withAmbientGuard<T>(body: () => T | Promise<T>): Promise<{ result: T; firstUse: AmbientUse | null }> {
  const guard = new AmbientGuard();
  const previous = armed;
  armed = guard;
  try {
    const result = await body();
    return { result, firstUse: guard.firstUse };
  } finally {
    armed = previous;
  }
}
