/**
 * The cluster domain events a node publishes to its subscribers when its own view changes (Akka
 * `ClusterEvent`): member status changes and reachability changes as seen by this node.
 */
export type ClusterEvent =
  | 'MemberJoined'
  | 'MemberWeaklyUp'
  | 'MemberUp'
  | 'MemberLeft'
  | 'MemberExited'
  | 'MemberDowned'
  | 'MemberRemoved'
  | 'UnreachableMember'
  | 'ReachableMember';

export interface ClusterEventListener {
  /** The subscriber's initial `CurrentClusterState`: the uids of the members Up in the view now. */
  snapshot(upMembers: readonly number[]): void;
  clusterEvent(event: ClusterEvent, uid: number): void;
}
