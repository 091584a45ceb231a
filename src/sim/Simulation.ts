/**
 * The simulation kernel: a virtual clock in milliseconds, the agenda, and the random streams. It knows nothing
 * of what it simulates.
 *
 * `run({ until, maxEvents })` pops events in (time, priority, seq) order, advances `now` to each event's time
 * and calls its callback with its argument. Callbacks schedule further events; to keep the hot loop free of
 * allocation, components pass a callback bound once at construction plus a per-event argument, rather than a
 * fresh closure per event.
 *
 * Caveat: `now` is a float64 millisecond count. Integer milliseconds stay exact far beyond any run length;
 * sub-millisecond sums may round, but ordering ties are always broken by `seq`, never by float noise.
 */
import { Agenda, type EventCallback, type EventHandle } from './Agenda.js';
import { assert } from './assert.js';
import { RngStreams, type Rng } from './rng.js';

export type { EventCallback, EventHandle };

export interface RunOptions {
  /** Stop before any event later than this time; `now` is then advanced to `until`. */
  until?: number;
  /** Stop after this many events (counted over this call). */
  maxEvents?: number;
}

export interface RunResult {
  /** Events processed by this call. */
  events: number;
  /** Why the run stopped. */
  reason: 'empty' | 'until' | 'maxEvents' | 'stopped';
}

export class Simulation {
  /** Current virtual time in milliseconds. Never decreases. */
  now = 0;
  /** Events processed since construction. */
  eventsProcessed = 0;
  readonly rootSeed: number;
  private readonly agenda = new Agenda();
  private readonly streams: RngStreams;
  private stopRequested = false;

  constructor(options: { seed: number }) {
    this.rootSeed = options.seed;
    this.streams = new RngStreams(options.seed);
  }

  /** A named random stream; the same name always returns the same stream. */
  rng(name: string): Rng {
    return this.streams.stream(name);
  }

  /** Schedules `callback(arg)` after `delayMs`. Lower priority runs first among events at the same time. */
  schedule(delayMs: number, callback: EventCallback, arg?: unknown, priority = 0): EventHandle {
    // Hot (once per event): the inverted form builds the message only when the check fails.
    if (!(delayMs >= 0 && delayMs !== Infinity)) assert(false, `schedule: delay ${delayMs} is not a finite non-negative number`);
    return this.agenda.insert(this.now + delayMs, priority, callback, arg);
  }

  /** Schedules `callback(arg)` at absolute time `timeMs` (not before now). */
  scheduleAt(timeMs: number, callback: EventCallback, arg?: unknown, priority = 0): EventHandle {
    this.checkTime('scheduleAt', timeMs);
    return this.agenda.insert(timeMs, priority, callback, arg);
  }

  /** `scheduleAt` for an event that is never cancelled: returns no handle (see Agenda.add). */
  postAt(timeMs: number, callback: EventCallback, arg?: unknown): void {
    this.checkTime('postAt', timeMs);
    this.agenda.add(timeMs, 0, callback, arg);
  }

  /**
   * Reserves the place in the order of simultaneous events that an event scheduled now would take; pass it
   * to `scheduleAtSeq` later. For queues of timers that fire in arming order (src/model/common/TimerLanes.ts).
   */
  reserveSeq(): number {
    return this.agenda.reserveSeq();
  }

  /**
   * Schedules `callback(arg)` at `timeMs` in the place `seq` reserved, as if it had been scheduled then. The
   * caller must do so before the clock passes that place: before any event that orders after it has run.
   */
  scheduleAtSeq(timeMs: number, seq: number, callback: EventCallback, arg?: unknown, priority = 0): EventHandle {
    this.checkTime('scheduleAtSeq', timeMs);
    return this.agenda.insertWithSeq(timeMs, priority, callback, arg, seq);
  }

  /** An absolute event time must be finite and not before now. */
  private checkTime(caller: string, timeMs: number): void {
    // Hot (once per event): the inverted form builds the message only when the check fails.
    if (!(timeMs >= this.now)) assert(false, `${caller}: time ${timeMs} is before now ${this.now}`);
    if (timeMs === Infinity) assert(false, `${caller}: time is infinite`);
  }

  /** Cancels a pending event; false when it already ran or was cancelled. */
  cancel(handle: EventHandle): boolean {
    return this.agenda.cancel(handle);
  }

  /** Events scheduled and not yet run or cancelled. */
  get pending(): number {
    return this.agenda.pending;
  }

  /** Asks a running `run` to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Processes the next live event. Returns false when the agenda is empty. */
  step(): boolean {
    return this.run({ maxEvents: 1 }).events === 1;
  }

  run(options: RunOptions = {}): RunResult {
    const until = options.until ?? Infinity;
    const maxEvents = options.maxEvents ?? Infinity;
    assert(until >= this.now, `run: until ${until} is before now ${this.now}`);
    const agenda = this.agenda;
    let events = 0;
    let reason: RunResult['reason'] = 'empty';
    this.stopRequested = false;
    for (;;) {
      if (events >= maxEvents) {
        reason = 'maxEvents';
        break;
      }
      if (this.stopRequested) {
        reason = 'stopped';
        break;
      }
      const time = agenda.peekTime();
      if (time === Infinity) break;
      if (time > until) {
        reason = 'until';
        break;
      }
      const slot = agenda.popSlot();
      const callback = agenda.callbackOf(slot);
      const arg = agenda.argOf(slot);
      agenda.release(slot);
      if (callback === null) continue;
      this.now = time;
      events++;
      callback(arg);
    }
    this.eventsProcessed += events;
    if (reason === 'until' || (reason === 'empty' && until !== Infinity)) this.now = until;
    return { events, reason };
  }
}
