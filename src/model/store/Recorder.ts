/**
 * A recorder service (backpressure option B, `kafka-overflow`): a process outside the invokers that consumes
 * activation records from the `activations` topic and writes them to the same activation store. This is the
 * proposal of the June 2019 openwhisk-dev thread, not OpenWhisk code, so it is built from OpenWhisk's own
 * parts: a MessageFeed (consumer group `recorders`, one member per recorder, so Kafka spreads the topic's
 * partitions over them) feeding a Batcher with the store's batch size and concurrency.
 *
 * Flow control: the feed's handler capacity is `batchSize` records. A record handed to the batcher holds one
 * unit until its bulk call is answered, so at most `batchSize` records per recorder are between Kafka and the
 * database (2 × batchSize counting the feed's buffer) and the rest of the backlog stays in Kafka, where it is
 * visible as the topic's depth. The feed commits on every poll (at-most-once, as MessageFeed does).
 *
 * The `activations` topic must exist with its partitions before recorders are built (Cluster creates it).
 *
 * Caveats: recorders never crash; their memory is not modelled.
 */
import { assert } from '../../sim/assert.js';
import { MessageFeed } from '../kafka/MessageFeed.js';
import type { Message } from '../messages.js';
import { topics } from '../messages.js';
import type { MessagingProvider, Scheduler } from '../messaging.js';
import type { ActivationStore } from './ActivationStore.js';
import { Batcher, type BatcherHost } from './Batcher.js';

export const RECORDER_GROUP = 'recorders';

export interface RecorderOptions {
  index: number;
  messaging: MessagingProvider;
  scheduler: Scheduler;
  store: ActivationStore;
  batchSize: number;
  concurrency: number;
  /** Re-sends of a failed bulk call. */
  maxTries?: number;
  /** The feed's long-poll duration. */
  pollMs: number;
}

export class Recorder implements BatcherHost {
  readonly name: string;
  readonly batcher: Batcher;
  private readonly feed: MessageFeed;
  private readonly store: ActivationStore;

  constructor(options: RecorderOptions) {
    const { index, messaging, scheduler, store, batchSize, concurrency, pollMs, maxTries = 0 } = options;
    this.name = `recorder${index}`;
    this.store = store;
    this.batcher = new Batcher(batchSize, concurrency, null, store, this, maxTries);
    const consumer = messaging.getConsumer(topics.activations, RECORDER_GROUP, batchSize);
    // One closure per recorder (not per record).
    this.feed = new MessageFeed(`${this.name} record feed`, consumer, batchSize, pollMs, (msg: Message) => this.handle(msg), scheduler);
  }

  /** Records handed to this recorder's batcher and not yet written. */
  get holding(): number {
    return this.batcher.queued + this.batcher.inBulk;
  }

  private handle(msg: Message): void {
    // Hot (once per record): the inverted form builds the message only when the check fails.
    if (msg.type !== 'record') assert(false, `${this.name}: unexpected ${msg.type} message on ${topics.activations}`);
    this.store.recorded++;
    // The feed's capacity bounds what the batcher holds, so its unbounded queue never refuses.
    this.batcher.put(msg.record);
  }

  bulkStarted(): void {}

  bulkWritten(documents: number): void {
    for (let i = 0; i < documents; i++) this.feed.processed();
  }

  bulkFailed(documents: number): void {
    for (let i = 0; i < documents; i++) this.feed.processed();
  }
}
