/**
 * Port of OpenWhisk's `MessageFeed` (common/scala/src/main/scala/whisk/core/connector/MessageConsumer.scala),
 * tracking MB 31c5f21e473b98fde4021083d3cef388ad206bf6 for the FSM and PR #2932
 * 7c547a82f1a5a9e816b0e4dc3cc2f019568da710 for the optional `offsetMonitor` (docs/openwhisk.md §6.4, §11).
 *
 * What it models: the consumption pipeline between a Kafka consumer and a handler with bounded capacity C
 * (the invoker's container pool, the controller's ack processing, PR #2932's overflow processing). It pulls
 * records in long polls, commits them at once (at-most-once delivery), buffers up to 2C records and hands them
 * out one by one while the handler has free capacity. The handler returns capacity with `processed()`.
 *
 * The FSM:
 *   Idle --Ready--> fill, FillingPipeline
 *   FillingPipeline --Processed--> capacity+1, hand out, stay (a fill is already under way)
 *   FillingPipeline --FillCompleted--> append, hand out, then fill again if outstanding ≤ 2C − P (stay),
 *                                      else DrainingPipeline
 *   DrainingPipeline --Processed--> capacity+1, hand out, then fill and go FillingPipeline if
 *                                   outstanding ≤ 2C − P, else stay
 * Anything else is ignored in each state (the Scala `case _ => stay`), including `Processed` while Idle.
 *
 * Akka-to-DES mapping:
 * - An actor handles one message at a time. Here the handler may call `processed()` synchronously from inside
 *   a hand-out; such calls are counted and applied after the current step finishes, as the actor's mailbox
 *   would, so the FSM is never re-entered mid-transition.
 * - The Scala fill runs `peek` and `commit` in a Future and pipes `FillCompleted` back to the actor. Here the
 *   consumer's peek callback (always a later event) commits, signals MaxOffset, then handles FillCompleted in
 *   the same event. A consumer that can append the poll's records to the feed's buffer itself
 *   (`BufferingConsumer`: KafkaConsumer) is asked to, which saves an array per poll; the records of an
 *   answer that arrives after `stop()` are then taken off the buffer again, as if never appended.
 * - `stop()` stands for the feed's actor dying with its process (invoker crash): any later peek answer is
 *   dropped without commit, so a restarted consumer in the same group sees those records again.
 *
 * Quirk kept (docs/openwhisk.md §18.2): with the PR rule, MaxOffset is sent when a poll returns fewer records than
 * `maxPipelineDepth` (2C), which a poll of at most P ≤ 2C records always does. `maxOffsetRule: 'fixed'` sends it
 * only when a poll returned fewer than maxPeek records.
 */
import { assert } from '../../sim/assert.js';
import type { Message } from '../messages.js';
import type { MessageConsumer, Scheduler } from '../messaging.js';
import { RingBuffer } from '../common/RingBuffer.js';

export type FeedState = 'Idle' | 'FillingPipeline' | 'DrainingPipeline';

/** A consumer whose poll can append its records to the caller's buffer and report how many (KafkaConsumer). */
export interface BufferingConsumer extends MessageConsumer {
  peekInto(durationMs: number, into: RingBuffer<Message>, callback: (count: number) => void): void;
}

function isBuffering(consumer: MessageConsumer): consumer is BufferingConsumer {
  return typeof (consumer as Partial<BufferingConsumer>).peekInto === 'function';
}

export interface MessageFeedOptions {
  /** Default true: the feed sends itself Ready (from a scheduler event, never inside the constructor). */
  autoStart?: boolean;
  /** PR #2932: told `MaxOffset` after a poll that the rule below judges to have reached the end of the topic. */
  offsetMonitor?: (signal: 'MaxOffset') => void;
  /**
   * 'pr' (default, the quirk §18.2: MaxOffset when records.length < maxPipelineDepth, i.e. always),
   * 'fixed' (MaxOffset only when records.length < maxPeek).
   */
  maxOffsetRule?: 'pr' | 'fixed';
}

function readyEvent(feed: MessageFeed): void {
  feed.start();
}

export class MessageFeed {
  /** Double buffering: room for two handler-loads of records. */
  readonly maxPipelineDepth: number;
  /** A new poll is issued only while outstanding ≤ this, so a full poll can never exceed maxPipelineDepth. */
  readonly pipelineFillThreshold: number;

  private feedState: FeedState = 'Idle';
  // port: immutable.Queue → RingBuffer (no allocation per record)
  private readonly outstandingMessages = new RingBuffer<Message>(16);
  private capacity: number;
  private stopped = false;
  /** True while a peek is outstanding; at most one at a time. */
  private filling = false;
  /** True while an FSM step runs; `processed()` calls made meanwhile are deferred to `deferredProcessed`. */
  private busy = false;
  private deferredProcessed = 0;
  private readonly offsetMonitor: ((signal: 'MaxOffset') => void) | null;
  private readonly maxOffsetBelow: number;
  private readonly boundFillCompleted: (records: readonly Message[]) => void;
  private readonly bufferingConsumer: BufferingConsumer | null;
  private readonly boundAppended: (count: number) => void;

  constructor(
    readonly description: string,
    private readonly consumer: MessageConsumer,
    readonly maximumHandlerCapacity: number,
    readonly longPollDurationMs: number,
    private readonly handler: (msg: Message) => void,
    private readonly scheduler: Scheduler,
    options: MessageFeedOptions = {},
  ) {
    assert(Number.isInteger(maximumHandlerCapacity), `${description}: handler capacity must be an integer`);
    assert(maximumHandlerCapacity > 0, `${description}: handler capacity must be positive`);
    assert(longPollDurationMs > 0, `${description}: long-poll duration must be positive`);
    this.maxPipelineDepth = maximumHandlerCapacity * 2;
    this.pipelineFillThreshold = this.maxPipelineDepth - consumer.maxPeek;
    // port: require(...) → assert (an IllegalArgumentException is a programmer error here)
    assert(
      consumer.maxPeek <= this.maxPipelineDepth,
      `${description}: maxPeek ${consumer.maxPeek} exceeds the pipeline depth ${this.maxPipelineDepth}`,
    );
    this.capacity = maximumHandlerCapacity;
    this.offsetMonitor = options.offsetMonitor ?? null;
    this.maxOffsetBelow = (options.maxOffsetRule ?? 'pr') === 'pr' ? this.maxPipelineDepth : consumer.maxPeek;
    this.boundFillCompleted = this.fillCompleted.bind(this);
    this.bufferingConsumer = isBuffering(consumer) ? consumer : null;
    this.boundAppended = this.appended.bind(this);
    // port: onTransition(_ -> Idle) self ! Ready → a zero-delay scheduler event
    if (options.autoStart ?? true) this.scheduler.scheduleOnce(0, readyEvent, this);
  }

  get state(): FeedState {
    return this.feedState;
  }

  /** Records fetched and not yet handed to the handler. */
  get outstanding(): number {
    return this.outstandingMessages.length;
  }

  /** Free handler capacity (C minus records handed out and not yet `processed()`). */
  get handlerCapacity(): number {
    return this.capacity;
  }

  /** OpenWhisk's `Ready`: starts polling. Ignored unless Idle (as the Scala FSM ignores it elsewhere). */
  start(): void {
    if (this.stopped || this.feedState !== 'Idle') return;
    this.busy = true;
    this.fillPipeline();
    this.feedState = 'FillingPipeline';
    this.finishStep();
  }

  /** OpenWhisk's `Processed`: the handler finished one record. */
  processed(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.deferredProcessed++;
      return;
    }
    this.busy = true;
    this.onProcessed();
    this.finishStep();
  }

  /** Stops the feed for good: no more polls, hand-outs or commits. Safe to call twice. */
  stop(): void {
    this.stopped = true;
    this.deferredProcessed = 0;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private onProcessed(): void {
    switch (this.feedState) {
      case 'Idle':
        return;
      case 'FillingPipeline':
        this.updateHandlerCapacity();
        this.sendOutstandingMessages();
        return;
      case 'DrainingPipeline':
        this.updateHandlerCapacity();
        this.sendOutstandingMessages();
        if (this.shouldFillQueue()) {
          this.fillPipeline();
          this.feedState = 'FillingPipeline';
        }
        return;
    }
  }

  /** The peek's answer: commit, signal the offset monitor, then handle FillCompleted. */
  private fillCompleted(records: readonly Message[]): void {
    if (!this.answered(records.length)) return;
    const outstanding = this.outstandingMessages;
    for (let i = 0; i < records.length; i++) outstanding.push(records[i]!);
    this.completeFill();
  }

  /** A `peekInto` answer: its `count` records are already at the end of the buffer. */
  private appended(count: number): void {
    const outstanding = this.outstandingMessages;
    if (!this.answered(count)) {
      outstanding.truncate(outstanding.length - count);
      return;
    }
    this.completeFill();
  }

  /** Commit and MaxOffset for an answer of `count` records; false: the feed was stopped meanwhile (drop it). */
  private answered(count: number): boolean {
    // Hot (once per poll): the inverted form builds the message only when the check fails.
    if (!this.filling) assert(false, `${this.description}: a poll answered that was never issued`);
    this.filling = false;
    if (this.stopped) return false;
    // Hot (once per poll): the inverted form builds the message only when the check fails.
    if (this.busy) assert(false, `${this.description}: poll answered synchronously inside the feed`);
    this.busy = true;
    // At most once: the offsets are committed before any record is handled.
    this.consumer.commit();
    if (this.offsetMonitor !== null && count < this.maxOffsetBelow) this.offsetMonitor('MaxOffset');
    // FillCompleted is only ever sent while FillingPipeline (each fill is issued on entering or staying there).
    // Hot (once per poll): the inverted form builds the message only when the check fails.
    if (this.feedState !== 'FillingPipeline') assert(false, `${this.description}: FillCompleted in ${this.feedState}`);
    return true;
  }

  /** FillCompleted with the records in the buffer: hand out, then fill again or drain. */
  private completeFill(): void {
    this.sendOutstandingMessages();
    if (this.shouldFillQueue()) this.fillPipeline();
    else this.feedState = 'DrainingPipeline';
    this.finishStep();
  }

  /** Applies `processed()` calls made during the step, one mailbox message at a time. */
  private finishStep(): void {
    while (this.deferredProcessed > 0 && !this.stopped) {
      this.deferredProcessed--;
      this.onProcessed();
    }
    this.busy = false;
  }

  private fillPipeline(): void {
    // Scala logs an error and drops the request when the buffer is above the threshold.
    if (this.outstandingMessages.length > this.pipelineFillThreshold) return;
    if (this.stopped) return;
    // Hot (once per poll): the inverted form builds the message only when the check fails.
    if (this.filling) assert(false, `${this.description}: a second poll while one is outstanding`);
    this.filling = true;
    if (this.bufferingConsumer !== null) this.bufferingConsumer.peekInto(this.longPollDurationMs, this.outstandingMessages, this.boundAppended);
    else this.consumer.peek(this.longPollDurationMs, this.boundFillCompleted);
  }

  /** Hands records to the handler while both a record and capacity are available. */
  private sendOutstandingMessages(): void {
    const outstanding = this.outstandingMessages;
    while (outstanding.length > 0 && this.capacity > 0 && !this.stopped) {
      const msg = outstanding.shift();
      this.capacity--;
      this.handler(msg);
    }
  }

  private shouldFillQueue(): boolean {
    return this.outstandingMessages.length <= this.pipelineFillThreshold;
  }

  private updateHandlerCapacity(): void {
    // Capped at C: a surplus Processed is ignored (Scala logs an error).
    if (this.capacity < this.maximumHandlerCapacity) this.capacity++;
  }
}
