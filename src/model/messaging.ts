/**
 * The seams between OpenWhisk's logic (the port) and the world the simulator provides, named after
 * OpenWhisk's own traits: `MessagingProvider`, `MessageProducer`, `MessageConsumer` (connector package) and a
 * scheduler standing in for Akka's `scheduler.scheduleOnce`. The port imports only these; src/model/kafka and
 * the simulation adapter implement them.
 *
 * Asynchrony: Scala returns Futures; here an operation that completes later takes a callback. Callbacks are
 * always invoked from a later simulation event, never synchronously inside the call, so the port sees the
 * same interleavings as with real Futures.
 */
import type { Message } from './messages.js';

export interface MessageProducer {
  /**
   * Sends `msg` to `topic`. `callback(ok)` runs when the broker acknowledges (ok = true) or the send fails
   * (ok = false, e.g. during a Kafka outage). A callback is bound once by the caller, not per send, when the
   * send is on a hot path; `context` is handed back to it.
   */
  send(topic: string, msg: Message, callback?: (ok: boolean, context: any) => void, context?: unknown): void;
}

export interface MessageConsumer {
  /** `max.poll.records`: at most this many records per peek. */
  readonly maxPeek: number;
  /**
   * Long poll: `callback(records)` runs as soon as records are available (up to maxPeek), or with an empty
   * array when `durationMs` passes without any. Only one peek may be outstanding per consumer. The array is
   * the consumer's to reuse: read it before the callback returns, never keep it.
   */
  peek(durationMs: number, callback: (records: Message[]) => void): void;
  /** Commits the position reached by the last peek (commitSync). */
  commit(): void;
  /** Leaves the consumer group; outstanding peeks are answered with no records. */
  close(): void;
}

export interface MessagingProvider {
  getConsumer(topic: string, groupId: string, maxPeek: number): MessageConsumer;
  getProducer(): MessageProducer;
  /** Creates a topic if it does not exist (OpenWhisk relies on auto-creation for `overflow`). */
  ensureTopic(topic: string, partitions?: number): void;
}

/** A handle from `scheduleOnce`; pass it to `cancel`. */
export type Cancellable = number;

export interface Scheduler {
  /** Current virtual time in milliseconds. */
  now(): number;
  /** Runs `fn(arg)` once after `delayMs`. */
  scheduleOnce(delayMs: number, fn: (arg: any) => void, arg?: unknown): Cancellable;
  /** Cancels a pending `scheduleOnce`; false when it already ran. */
  cancel(handle: Cancellable): boolean;
  /**
   * Optional, for TimerLanes (src/model/common/TimerLanes.ts): reserves the place among simultaneous events
   * that a `scheduleOnce` now would take.
   */
  reserveSeq?(): number;
  /** Optional, with `reserveSeq`: runs `fn(arg)` at `timeMs` in the reserved place, as if scheduled then. */
  scheduleAtSeq?(timeMs: number, seq: number, fn: (arg: any) => void, arg?: unknown): Cancellable;
}
