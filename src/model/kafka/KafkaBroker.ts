/**
 * The simulated Kafka cluster (`MessagingProvider`): topics of partitions with offsets, producers with a
 * produce→visible latency, consumer groups with committed offsets and long-poll consumers. See Partition.ts
 * for the FIFO-preserving produce path, ConsumerGroup.ts for assignment and rebalancing, KafkaConsumer.ts for
 * the long poll, and Topic.ts for depth accounting.
 *
 * What it models (docs/openwhisk.md §12): a single broker with `acks=1`, `auto.offset.reset=earliest`, explicit
 * commits and auto-created topics (one partition unless `ensureTopic` said otherwise). A send becomes visible
 * after a delay drawn from `latencyMs` (plus `setExtraLatency`) on the stream `kafka/produceLatency`, never
 * before the record sent before it to the same partition; the send's completion runs its callback at that
 * moment with ok = true. Retention is by consumption, not time: a record is dropped once every group that ever subscribed
 * to its topic has committed past it (OpenWhisk's 1 h–48 h retention never expires a record in a run).
 *
 * Faults: `setOutage(true)` makes records reaching the broker fail (callback ok = false, not appended) and
 * makes polls answer empty at their timeout; `setExtraLatency(ms)` adds to every later send's delay.
 *
 * Metrics: `topicNames()`, `depth(topic)` (backlog of the slowest group), `produced(topic)` and
 * `depthGauge(topic)` are O(1) or O(groups); nothing scans all topics per event.
 */
import { assert } from '../../sim/assert.js';
import { makeDistribution, type Distribution, type DistributionSpec } from '../../sim/distributions.js';
import type { Rng } from '../../sim/rng.js';
import type { Simulation } from '../../sim/Simulation.js';
import type { TimeWeightedGauge } from '../../sim/TimeWeightedGauge.js';
import { round3 } from '../../sim/LatencyHistogram.js';
import type { BrokerFaultTarget } from '../faults/FaultTargets.js';
import type { Message } from '../messages.js';
import type { MessagingProvider, SendCompletion } from '../messaging.js';
import { ConsumerGroup } from './ConsumerGroup.js';
import { KafkaConsumer } from './KafkaConsumer.js';
import type { KafkaObserver } from './KafkaObserver.js';
import { KafkaProducer } from './KafkaProducer.js';
import type { Partition } from './Partition.js';
import type { SendCallback } from './PendingSend.js';
import { Topic } from './Topic.js';

export interface KafkaBrokerOptions {
  /** Produce → visible to consumers, in milliseconds. Negative draws count as 0. */
  latencyMs: DistributionSpec;
  /** Random stream for the latency draws; default `kafka/produceLatency`. */
  latencyStream?: string;
}

/** One topic's figures over the run (depth: records produced and not yet committed by the slowest group). */
export interface TopicResults {
  maxDepth: number;
  meanDepth: number;
  produced: number;
}

export class KafkaBroker implements MessagingProvider, BrokerFaultTarget {
  /** True while the broker is down (see setOutage). */
  outage = false;
  /** Records that reached the broker during an outage and were refused (callback ok = false). */
  refusedDuringOutage = 0;
  /** The invariant checkers' hook (KafkaObserver.ts), or null. */
  observer: KafkaObserver | null = null;
  private extraLatencyMs = 0;
  /** See setStaleSpillThreshold. */
  private spillThreshold = Infinity;
  private readonly topics = new Map<string, Topic>();
  private readonly latency: Distribution;
  private readonly latencyRng: Rng;
  private readonly boundArrive: (partition: Partition) => void;
  private readonly boundReach: (partition: Partition, msg: Message, callback: SendCallback | null, context: unknown) => void;

  constructor(
    readonly sim: Simulation,
    options: KafkaBrokerOptions,
  ) {
    this.latency = makeDistribution(options.latencyMs);
    this.latencyRng = sim.rng(options.latencyStream ?? 'kafka/produceLatency');
    this.boundArrive = this.arrive.bind(this);
    this.boundReach = this.reach.bind(this);
  }

  // ---- MessagingProvider ----

  ensureTopic(topic: string, partitions = 1): void {
    assert(Number.isInteger(partitions), `topic ${topic}: partition count must be an integer`);
    assert(partitions > 0, `topic ${topic}: partition count must be positive`);
    const existing = this.topics.get(topic);
    if (existing !== undefined) {
      assert(
        existing.partitions.length === partitions,
        `topic ${topic} exists with ${existing.partitions.length} partitions, not ${partitions}`,
      );
      return;
    }
    this.topics.set(topic, this.newTopic(topic, partitions));
  }

  getProducer(): KafkaProducer {
    return new KafkaProducer(this);
  }

  getConsumer(topic: string, groupId: string, maxPeek: number): KafkaConsumer {
    const t = this.topicFor(topic);
    let group = t.groups.get(groupId);
    if (group === undefined) {
      group = new ConsumerGroup(groupId, t);
      t.groups.set(groupId, group);
      // A new group may lag more than the others (it starts at the oldest held record).
      t.onCommit(this.sim.now, null);
    }
    const consumer = new KafkaConsumer(this, group, maxPeek);
    group.join(consumer);
    return consumer;
  }

  /**
   * Keeps the stale activation messages of a partition whose unread backlog is deeper than `records` as compact
   * rows (Partition.ts, StaleRows.ts); null: never. It changes no outcome, only memory. Anything that holds
   * records past their resolution (the invariant checkers) must turn it off.
   */
  setStaleSpillThreshold(records: number | null): void {
    assert(records === null || records >= 0, `stale spill threshold ${records} is negative`);
    this.spillThreshold = records ?? Infinity;
    for (const t of this.topics.values()) t.spillThreshold = this.spillThreshold;
  }

  // ---- faults ----

  setOutage(on: boolean): void {
    this.outage = on;
  }

  setExtraLatency(ms: number): void {
    assert(ms >= 0, `extra latency ${ms} must not be negative`);
    this.extraLatencyMs = ms;
  }

  // ---- metrics ----

  /** Topic names in creation order. */
  topicNames(): string[] {
    return [...this.topics.keys()];
  }

  /** Records produced and not yet committed by the slowest group, over all partitions (0 for an unknown topic). */
  depth(topic: string): number {
    return this.topics.get(topic)?.depth ?? 0;
  }

  /** Records ever made visible on `topic`. */
  produced(topic: string): number {
    return this.topics.get(topic)?.produced ?? 0;
  }

  /** Time-weighted depth of `topic` (max and mean); the topic must exist. */
  depthGauge(topic: string): TimeWeightedGauge {
    const t = this.topics.get(topic);
    assert(t !== undefined, `depthGauge: no topic ${topic}`);
    return t.depthGauge;
  }

  /** Starts every topic's depth statistics (mean) afresh: the end of warm-up. */
  startMeasuring(nowMs: number): void {
    for (const t of this.topics.values()) t.depthGauge.resetWindow(nowMs);
  }

  /** Each topic's figures for summary.json, in creation order, for a run that ended at `endMs`. */
  summary(endMs: number): Record<string, TopicResults> {
    const out: Record<string, TopicResults> = {};
    for (const [name, t] of this.topics) out[name] = { maxDepth: t.depthGauge.max, meanDepth: round3(t.depthGauge.mean(endMs)), produced: t.produced };
    return out;
  }

  /** The committed offset of `groupId` on partition `partition` of `topic`, or -1 if the group never subscribed. */
  committed(topic: string, groupId: string, partition = 0): number {
    return this.topics.get(topic)?.groups.get(groupId)?.committed[partition] ?? -1;
  }

  /** Records still held on partition `partition` of `topic` (after trimming). */
  retained(topic: string, partition = 0): number {
    const p = this.topics.get(topic)?.partitions[partition];
    return p === undefined ? 0 : p.endOffset - p.baseOffset;
  }

  /** Members of `groupId` on `topic`, in join order. */
  members(topic: string, groupId: string): readonly KafkaConsumer[] {
    return this.topics.get(topic)?.groups.get(groupId)?.members ?? [];
  }

  // ---- internals used by producers ----

  /** The topic, auto-created with one partition if needed. */
  topicFor(name: string): Topic {
    let t = this.topics.get(name);
    if (t === undefined) {
      t = this.newTopic(name, 1);
      this.topics.set(name, t);
    }
    return t;
  }

  private newTopic(name: string, partitions: number): Topic {
    const t = new Topic(name, partitions, this.sim.now);
    t.spillThreshold = this.spillThreshold;
    return t;
  }

  produce(partition: Partition, msg: Message): SendCompletion {
    let delayMs = this.latency.sample(this.latencyRng) + this.extraLatencyMs;
    if (!(delayMs > 0)) delayMs = 0;
    const sim = this.sim;
    const send = partition.produced(msg, sim.now + delayMs);
    sim.postAt(partition.visibleAtMs, this.boundArrive, partition);
    return send;
  }

  /** The oldest record in flight to `partition` reaches the broker. */
  private arrive(partition: Partition): void {
    partition.reachBroker(this.boundReach);
  }

  private reach(partition: Partition, msg: Message, callback: SendCallback | null, context: unknown): void {
    if (this.outage) {
      this.refusedDuringOutage++;
      if (callback !== null) callback(false, context);
      return;
    }
    partition.append(msg);
    if (this.observer !== null) this.observer.appended(partition.topic.name, partition.index, partition.endOffset - 1, this.sim.now);
    partition.topic.onAppend(this.sim.now);
    if (callback !== null) callback(true, context);
    partition.wakeWaiters();
  }
}
