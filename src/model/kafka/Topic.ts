/**
 * A simulated Kafka topic: its partitions, the consumer groups that ever subscribed to it, and its depth
 * accounting.
 *
 * Depth is the backlog of the slowest group: records produced minus records that group committed, summed over
 * partitions (all records produced when no group ever subscribed). It is kept incrementally: `produced` grows on
 * every append, each group keeps its `committedTotal`, and the smallest committedTotal is cached and recomputed
 * only on a commit or a new group (O(groups), a handful). The time-weighted `depthGauge` is updated on every
 * append and commit to this topic only.
 */
import { TimeWeightedGauge } from '../../sim/TimeWeightedGauge.js';
import type { ConsumerGroup } from './ConsumerGroup.js';
import { Partition } from './Partition.js';

export class Topic {
  readonly partitions: Partition[] = [];
  /** Groups in the order they first subscribed; a group stays here after its last member leaves. */
  readonly groups = new Map<string, ConsumerGroup>();
  /** Records appended (made visible) to this topic, over all partitions. */
  produced = 0;
  /** The smallest committedTotal over groups (0 when there are none). */
  private minCommittedTotal = 0;
  readonly depthGauge: TimeWeightedGauge;
  /**
   * Unread backlog of a partition beyond which its stale activation messages are kept as rows (Partition.ts);
   * Infinity: never. Set by the broker.
   */
  spillThreshold = Infinity;

  constructor(
    readonly name: string,
    partitionCount: number,
    createdAtMs: number,
  ) {
    for (let i = 0; i < partitionCount; i++) this.partitions.push(new Partition(this, i));
    this.depthGauge = new TimeWeightedGauge(createdAtMs, 0);
  }

  get depth(): number {
    return this.produced - this.minCommittedTotal;
  }

  onAppend(nowMs: number): void {
    this.produced++;
    this.depthGauge.set(nowMs, this.produced - this.minCommittedTotal);
  }

  /** After a commit or a new group: refresh the slowest group, trim `partition` if given, update the gauge. */
  onCommit(nowMs: number, partition: Partition | null): void {
    let min = Infinity;
    for (const group of this.groups.values()) if (group.committedTotal < min) min = group.committedTotal;
    this.minCommittedTotal = min === Infinity ? 0 : min;
    if (partition !== null) partition.trimTo(this.minCommittedOf(partition.index));
    this.depthGauge.set(nowMs, this.produced - this.minCommittedTotal);
  }

  /** The smallest committed offset of `partition` over all groups. */
  minCommittedOf(partition: number): number {
    let min = Infinity;
    for (const group of this.groups.values()) {
      const committed = group.committed[partition]!;
      if (committed < min) min = committed;
    }
    return min === Infinity ? 0 : min;
  }
}
