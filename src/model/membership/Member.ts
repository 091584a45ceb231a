/**
 * A cluster member as Akka identifies it: an address (host:port) plus a uid that is new for every incarnation
 * of the process (Akka's `UniqueAddress`). Two incarnations of one controller are two members; when the new
 * one keeps the old address, Akka lets it join only after the old member has been removed.
 *
 * Member statuses are ordered so that merging two views keeps, per member, the later status (gossip merge is a
 * join over this order, so views converge whatever the delivery order). `Removed` is not held as a status in a
 * view: the member leaves the view and its uid becomes a tombstone that no gossip can bring back.
 */
export const enum MemberStatus {
  Joining = 0,
  WeaklyUp = 1,
  Up = 2,
  Leaving = 3,
  Exiting = 4,
  Down = 5,
  Removed = 6,
}

export const MEMBER_STATUS_NAMES = ['Joining', 'WeaklyUp', 'Up', 'Leaving', 'Exiting', 'Down', 'Removed'] as const;

/** A status in which a member still counts as part of the cluster (what a garbage member is held as). */
export function isLiveStatus(status: MemberStatus): boolean {
  return status <= MemberStatus.Leaving;
}

export interface Member {
  /** Unique over the run: the incarnation's identity (Akka's uid). */
  readonly uid: number;
  /** Network address; lower addresses lead (Akka orders members by address). */
  readonly address: number;
  /** The controller instance this member runs. */
  readonly controller: number;
  /** Incarnation name, like `controller1` or `controller1#1` (also the replicator's name). */
  readonly name: string;
}
