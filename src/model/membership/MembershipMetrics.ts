/**
 * What the membership did to the cluster, for summary.json's `membership` block (issue 14). Streaming: the
 * state below is recomputed only when some view changes (membership events are rare: a handful per crash,
 * restart or partition), and the time each condition held is integrated between changes, from the end of
 * warm-up to the end of the run.
 *
 * - clusterSize(c): the size controller c's balancer is told by HEAD's monitor in c's own view (0 before it
 *   joined; the balancer takes it as 1); share(c) = 1 / max(1, size): the fraction of every invoker's memory
 *   c believes it owns. The share sum is taken over the live controllers; 1 is exact.
 * - garbage: members whose process is dead (crashed, or replaced by a new incarnation) but that some live
 *   controller's view still holds as Joining, WeaklyUp, Up or Leaving.
 * - disagreement: two live controllers' cluster sizes differ.
 * - split brain: two live controllers each hold the other's member as Down or removed.
 * - WeaklyUp: some live view holds a member as WeaklyUp. Convergence blocked: some live, joined view has an
 *   unreachable member that is not Down or Exiting (its leader cannot move joiners to Up nor remove anyone).
 * - all reachable: no live view has an unreachable member (the clock Akka's pruning waits on).
 */
import { isLiveStatus, MemberStatus } from './Member.js';
import type { Membership } from './Membership.js';

export interface MembershipSummary {
  garbageMembersMax: number;
  garbageMembersAtEnd: number;
  disagreementMs: number;
  capacityShareSumMax: number;
  capacityShareSumMin: number;
  capacityShareSumAtEnd: number;
  splitBrainMs: number;
  weaklyUpMs: number;
  convergenceBlockedMs: number;
}

interface State {
  shareSum: number;
  garbage: number;
  disagreement: boolean;
  splitBrain: boolean;
  weaklyUp: boolean;
  convergenceBlocked: boolean;
  allReachable: boolean;
}

export class MembershipMetrics {
  private state: State;
  private lastMs = 0;
  private finished = false;
  private garbageMax = 0;
  private shareMax = -Infinity;
  private shareMin = Infinity;
  private disagreementMs = 0;
  private splitBrainMs = 0;
  private weaklyUpMs = 0;
  private convergenceBlockedMs = 0;
  private allReachableMs = 0;

  constructor(
    private readonly membership: Membership,
    /** Controller c's cluster size as its monitor counts it. */
    private readonly clusterSize: (controller: number) => number,
    private readonly warmupMs: number,
  ) {
    this.state = this.compute();
  }

  /** Some view changed at `nowMs`. */
  update(nowMs: number): void {
    if (this.finished) return;
    this.advance(nowMs);
    this.state = this.compute();
  }

  /** The run ended at `nowMs`. */
  finish(nowMs: number): void {
    if (this.finished) return;
    this.advance(nowMs);
    this.observe(this.state);
    this.finished = true;
  }

  /** Time so far during which every live view reached every member (pruning's clock). */
  allReachableClockMs(nowMs: number): number {
    return this.allReachableMs + (this.state.allReachable && !this.finished ? nowMs - this.lastMs : 0);
  }

  get shareSum(): number {
    return this.state.shareSum;
  }

  get garbage(): number {
    return this.state.garbage;
  }

  summary(): MembershipSummary {
    const s = this.state;
    return {
      garbageMembersMax: this.garbageMax,
      garbageMembersAtEnd: s.garbage,
      disagreementMs: round3(this.disagreementMs),
      capacityShareSumMax: round6(this.shareMax === -Infinity ? s.shareSum : this.shareMax),
      capacityShareSumMin: round6(this.shareMin === Infinity ? s.shareSum : this.shareMin),
      capacityShareSumAtEnd: round6(s.shareSum),
      splitBrainMs: round3(this.splitBrainMs),
      weaklyUpMs: round3(this.weaklyUpMs),
      convergenceBlockedMs: round3(this.convergenceBlockedMs),
    };
  }

  private advance(nowMs: number): void {
    const s = this.state;
    if (s.allReachable) this.allReachableMs += nowMs - this.lastMs;
    const from = Math.max(this.lastMs, this.warmupMs);
    if (nowMs > from) {
      const dt = nowMs - from;
      this.observe(s);
      if (s.disagreement) this.disagreementMs += dt;
      if (s.splitBrain) this.splitBrainMs += dt;
      if (s.weaklyUp) this.weaklyUpMs += dt;
      if (s.convergenceBlocked) this.convergenceBlockedMs += dt;
    }
    this.lastMs = nowMs;
  }

  private observe(s: State): void {
    if (s.garbage > this.garbageMax) this.garbageMax = s.garbage;
    if (s.shareSum > this.shareMax) this.shareMax = s.shareSum;
    if (s.shareSum < this.shareMin) this.shareMin = s.shareSum;
  }

  private compute(): State {
    const m = this.membership;
    const live = m.current.filter((n) => n.alive);
    let shareSum = 0;
    let firstSize = -1;
    let disagreement = false;
    let weaklyUp = false;
    let convergenceBlocked = false;
    let allReachable = true;
    const garbage = new Set<number>();
    for (const node of live) {
      const size = this.clusterSize(node.member.controller);
      shareSum += 1 / Math.max(1, size);
      if (firstSize < 0) firstSize = size;
      else if (size !== firstSize) disagreement = true;
      if (node.unreachable.size > 0) allReachable = false;
      if (node.joined && !node.converged()) convergenceBlocked = true;
      for (const [uid, st] of node.status) {
        if (st === MemberStatus.WeaklyUp) weaklyUp = true;
        if (isLiveStatus(st) && !m.nodes[uid]!.alive) garbage.add(uid);
      }
    }
    let splitBrain = false;
    for (let i = 0; i < live.length && !splitBrain; i++) {
      for (let j = i + 1; j < live.length && !splitBrain; j++) {
        if (holdsGone(live[i]!, live[j]!.uid) && holdsGone(live[j]!, live[i]!.uid)) splitBrain = true;
      }
    }
    return { shareSum, garbage: garbage.size, disagreement, splitBrain, weaklyUp, convergenceBlocked, allReachable };
  }
}

function holdsGone(view: { status: ReadonlyMap<number, MemberStatus>; removed: ReadonlySet<number> }, uid: number): boolean {
  return view.removed.has(uid) || view.status.get(uid) === MemberStatus.Down;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
