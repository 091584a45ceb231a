/**
 * Invariants of the controllers' cluster membership (issue 14), checked at every sample instant over every
 * live node's view (observe only):
 *   - membership-up-known: a member Up in a view is one the view has heard of (through a Join or a gossip
 *     merge), that some member admitted as a joiner (or a founding member), and that a leader moved to Up.
 *   - membership-removed-stays-removed: once a view has removed a member (that uid, i.e. that incarnation),
 *     the member never appears in that view again.
 */
import type { Membership } from '../membership/Membership.js';
import { MemberStatus } from '../membership/Member.js';

export type MembershipFailure = (invariant: string, detail: string, entities: string[]) => never;

export class MembershipChecker {
  /** Uids each node (by uid) had removed at the previous sample. */
  private readonly removedBefore = new Map<number, Set<number>>();

  constructor(private readonly membership: Membership) {}

  sample(count: (invariant: string) => void, fail: MembershipFailure): void {
    const m = this.membership;
    for (const node of m.current) {
      if (!node.alive) continue;
      count('membership-up-known');
      count('membership-removed-stays-removed');
      const before = this.removedBefore.get(node.uid);
      for (const [uid, st] of node.status) {
        const name = m.memberOf(uid).name;
        if (node.removed.has(uid) || (before !== undefined && before.has(uid))) {
          fail('membership-removed-stays-removed', `${node.member.name}'s view holds ${name} again after removing it`, [node.member.name, name]);
        }
        if (st === MemberStatus.Up && (!node.heardOf.has(uid) || !m.everAdmitted.has(uid) || !m.everPromoted.has(uid))) {
          fail('membership-up-known', `${node.member.name}'s view holds ${name} as Up without having heard of it, or without any member admitting it or a leader moving it Up`, [node.member.name, name]);
        }
      }
      if (node.removed.size > (before?.size ?? 0)) this.removedBefore.set(node.uid, new Set(node.removed));
    }
  }
}
