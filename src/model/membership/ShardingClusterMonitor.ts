/**
 * The cluster-size monitor of OpenWhisk HEAD's ShardingContainerPoolBalancer (the actor near the top of
 * `ShardingContainerPoolBalancer.scala`), subscribed to one controller's own membership view:
 * - the initial `CurrentClusterState` snapshot: the available members are the snapshot's Up members — its
 *   unreachable set is not looked at;
 * - then `MemberUp` and `ReachableMember` add the member, `UnreachableMember` and `MemberRemoved` take it out
 *   (a set: adding twice counts once); `MemberWeaklyUp`, `MemberJoined`, downing and the rest change nothing.
 * After every event the balancer is told the set's size (it takes values below 1 as 1).
 *
 * So a controller that has not joined yet starts from an empty snapshot (size 0 → its balancer owns every
 * invoker in full), and a reachable WeaklyUp or Joining member that was once unreachable is counted as
 * available once it is reachable again.
 */
import type { ClusterEvent, ClusterEventListener } from './ClusterEvents.js';

export class ShardingClusterMonitor implements ClusterEventListener {
  private readonly available = new Set<number>();
  private onSize: ((size: number) => void) | null = null;

  /** The balancer to tell (called at once with the current size). */
  attach(onSize: (size: number) => void): void {
    this.onSize = onSize;
    onSize(this.available.size);
  }

  /** Members the monitor counts now. */
  get size(): number {
    return this.available.size;
  }

  snapshot(upMembers: readonly number[]): void {
    this.available.clear();
    for (const uid of upMembers) this.available.add(uid);
    this.onSize?.(this.available.size);
  }

  clusterEvent(event: ClusterEvent, uid: number): void {
    switch (event) {
      case 'MemberUp':
      case 'ReachableMember':
        this.available.add(uid);
        break;
      case 'MemberRemoved':
      case 'UnreachableMember':
        this.available.delete(uid);
        break;
      default:
        break;
    }
    this.onSize?.(this.available.size);
  }
}
