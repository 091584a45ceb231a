/**
 * What the simulated broker tells an onlooker (the invariant checkers, src/model/checks): every record made
 * visible, every range of records handed to a consumer group, every commit. An observer only records; it
 * never schedules events or changes the broker's state. With no observer installed each hook costs one null
 * check.
 */
export interface KafkaObserver {
  /** A record became visible at `offset` of `partition`. */
  appended(topic: string, partition: number, offset: number, nowMs: number): void;
  /** A poll of `groupId` read offsets [fromOffset, toOffset) of `partition`. */
  delivered(topic: string, groupId: string, partition: number, fromOffset: number, toOffset: number, nowMs: number): void;
  /** `groupId` is about to move its committed offset of `partition` from `fromOffset` to `toOffset`. */
  committing(topic: string, groupId: string, partition: number, fromOffset: number, toOffset: number, nowMs: number): void;
}
