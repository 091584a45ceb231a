/**
 * The seams between OpenWhisk's logic (the port) and the world the simulator provides, named after
 * OpenWhisk's own traits: `MessagingProvider`, `MessageProducer`, `MessageConsumer` (connector package) and a
 * scheduler standing in for Akka's `scheduler.scheduleOnce`. The port imports only these; src/model/kafka and
 * the simulation adapter implement them (docs/openwhisk.md §12).
 *
 * Asynchrony: Scala returns Futures; here a send returns a `SendCompletion` the caller attaches a callback to,
 * and a long poll takes the callback that receives its records. Callbacks are always invoked from a later
 * simulation event, never synchronously inside the call, so the port sees the same interleavings as with real
 * Futures.
 */
import type { Message } from './messages.js';

/**
 * The outcome of one send (Scala: the `Future[RecordMetadata]` that `send` returns). // port: Future → SendCompletion
 */
export interface SendCompletion {
  /**
   * Scala's `andThen`: `callback(ok, context)` runs once, when the broker acknowledges the record (ok = true)
   * or refuses it (ok = false, e.g. during a Kafka outage). `context` is handed back so a hot caller binds its
   * callback once instead of closing over each send. Attach at most once, at once — in the statement of the
   * send, as `send(...).andThen(...)` is written in Scala: a producer may reuse the object once the send has
   * completed.
   */
  andThen<C>(callback: (ok: boolean, context: C) => void, context: C): void;
}

export interface MessageProducer {
  /** Sends `msg` to `topic`; asynchronous. The completion may be ignored (fire and forget). */
  send(topic: string, msg: Message): SendCompletion;
}

export interface MessageConsumer {
  /** `max.poll.records`: at most this many records per peek. */
  readonly maxPeek: number;
  /**
   * Long poll: `callback(records)` runs with the records of this poll (at most maxPeek, oldest first) as soon
   * as some are available, or with none when `durationMs` passes without any. Only one peek may be outstanding
   * per consumer. The records are the caller's to keep.
   */
  peek(durationMs: number, callback: (records: readonly Message[]) => void): void;
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
