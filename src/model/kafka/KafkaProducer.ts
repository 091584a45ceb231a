/**
 * A producer on the simulated broker (`MessageProducer`). Partition choice: by key when one is given
 * (`sendWithKey`), else round-robin over the topic's partitions with a counter per producer and topic, as
 * Kafka's default partitioner did for keyless records before sticky partitioning. Single-partition topics skip
 * the counter.
 */
import type { Message } from '../messages.js';
import type { MessageProducer, SendCompletion } from '../messaging.js';
import type { KafkaBroker } from './KafkaBroker.js';
import type { Topic } from './Topic.js';

export class KafkaProducer implements MessageProducer {
  private readonly roundRobin = new Map<Topic, number>();

  constructor(private readonly broker: KafkaBroker) {}

  send(topic: string, msg: Message): SendCompletion {
    const t = this.broker.topicFor(topic);
    const partitions = t.partitions;
    let index = 0;
    if (partitions.length > 1) {
      const next = this.roundRobin.get(t) ?? 0;
      index = next % partitions.length;
      this.roundRobin.set(t, next + 1);
    }
    return this.broker.produce(partitions[index]!, msg);
  }

  /** Sends to the partition chosen by `key`: the same key always lands on the same partition. */
  sendWithKey(topic: string, key: number | string, msg: Message): SendCompletion {
    const t = this.broker.topicFor(topic);
    const index = partitionForKey(key, t.partitions.length);
    return this.broker.produce(t.partitions[index]!, msg);
  }
}

/** Partition of `key` among `count`: a 32-bit string hash (Java's), made non-negative, modulo the count. */
export function partitionForKey(key: number | string, count: number): number {
  let hash: number;
  if (typeof key === 'number') {
    hash = key | 0;
  } else {
    hash = 0;
    for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) | 0;
  }
  // Kafka's toPositive: clear the sign bit rather than abs(), so Int.MinValue maps to 0.
  return (hash & 0x7fffffff) % count;
}
