/**
 * A Kafka consumer group on one topic: its committed offset per partition and its live members.
 *
 * Assignment: members in join order; partition p goes to member p mod m (round-robin). Every join and every
 * close rebalances eagerly, as Kafka's classic protocol does: all members lose their partitions, get the new
 * assignment, and restart each partition from the group's committed offset, so records a member peeked but
 * never committed are delivered again. A group with more members than partitions leaves the surplus members
 * idle. A group outlives its members: its committed offsets keep counting toward depth and hold back trimming.
 *
 * OpenWhisk gives each consumer one topic, so a (topic, group id) pair is the whole group here; with Kafka's
 * range assignor a group spanning topics assigns each topic among its own subscribers, which is the same.
 */
import { assert } from '../../sim/assert.js';
import type { KafkaConsumer } from './KafkaConsumer.js';
import type { Topic } from './Topic.js';

export class ConsumerGroup {
  /** Committed offset per partition; starts at the oldest held record (auto.offset.reset=earliest). */
  readonly committed: number[] = [];
  /** Sum of `committed`, kept for the topic's depth. */
  committedTotal = 0;
  readonly members: KafkaConsumer[] = [];

  constructor(
    readonly groupId: string,
    readonly topic: Topic,
  ) {
    for (const partition of topic.partitions) {
      this.committed.push(partition.baseOffset);
      this.committedTotal += partition.baseOffset;
    }
  }

  join(consumer: KafkaConsumer): void {
    assert(!this.members.includes(consumer), `${this.groupId}: consumer joined twice`);
    this.members.push(consumer);
    this.rebalance();
  }

  leave(consumer: KafkaConsumer): void {
    const index = this.members.indexOf(consumer);
    assert(index >= 0, `${this.groupId}: a consumer left that is not a member`);
    this.members.splice(index, 1);
    consumer.revoke();
    this.rebalance();
  }

  /** Moves the committed offset of `partition` forward to `offset`; returns false when it did not move. */
  commit(partition: number, offset: number): boolean {
    const committed = this.committed[partition]!;
    // Hot (once per commit): the inverted form builds the message only when the check fails.
    if (!(offset >= committed)) assert(false, `${this.groupId}: commit would move partition ${partition} backwards`);
    if (offset === committed) return false;
    this.committed[partition] = offset;
    this.committedTotal += offset - committed;
    return true;
  }

  private rebalance(): void {
    const members = this.members;
    const count = members.length;
    for (let i = 0; i < count; i++) members[i]!.revoke();
    if (count === 0) return;
    const partitions = this.topic.partitions;
    for (let p = 0; p < partitions.length; p++) members[p % count]!.assign(partitions[p]!, this.committed[p]!);
    for (let i = 0; i < count; i++) members[i]!.resume();
  }
}
