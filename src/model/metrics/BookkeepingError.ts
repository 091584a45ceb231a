/**
 * Believed versus true load: how wrong each controller's bookkeeping is about what every invoker carries.
 *
 * What it measures:
 * - The truth, counted by the world: an activation *truly* sits on invoker k from the moment a controller's
 *   send to topic `invoker<k>` is issued until invoker k finishes it (the run ends and the active ack leaves
 *   the invoker) or loses it in a crash. A send the broker refuses is taken back. So a message still queued
 *   in Kafka counts (the invoker will run it), and an activation whose controller forced a timeout still
 *   counts as long as the invoker runs it. Health test actions are not counted (they carry no record).
 * - The belief: `loadBalancer.believedLoad(k)` of each controller that is up — its own count plus, with
 *   distributed bookkeeping, what replication has told it about the others.
 * - At every sample instant in [warm-up end, duration] the error |believed(c, k) − true(k)| is taken for
 *   every (up controller c, invoker k) pair: `meanError` averages it over samples and pairs, `maxError` is its
 *   largest value, and per controller the average over samples and invokers. `residualAtEnd` is the largest
 *   Σ_k (believed − true) of any up controller at the last sample of the run: load that exists only in the
 *   books (phantom counts of a crashed controller, or counts leaked by a quirk).
 *
 * Caveats: the ack's trip back to the controller (Kafka latency plus the ack consumer's poll) makes every
 * controller's belief lag the truth by a few milliseconds even with perfect bookkeeping, so the error of a
 * single controller is small but not zero. Records an invoker had fetched into its feed buffer when it crashed
 * are lost without an `activationLost` call (see Invoker.ts), so they stay in the truth.
 *
 * Cost: O(1) per send and per finish, no allocation; controllers × invokers reads per sample. Membership is
 * a mark on the record (`truthInvoker`) plus a count per invoker, not a Set per invoker (a Set insertion and
 * deletion per activation was measurable in the whole-model benchmark). Only the counts are ever read. A
 * record marked for one invoker and sent to another as well (not seen in practice) is kept in a per-invoker
 * Set for that second invoker, so the counts are exactly those of one Set per invoker.
 */
import { assert } from '../../sim/assert.js';
import type { ActivationRecord } from '../ActivationRecord.js';

/** What the error accumulator reads from the controllers at a sample instant. */
export interface BelievingController {
  readonly isUp: boolean;
  believedLoad(invoker: number): number;
}

export interface BookkeepingErrorSummary {
  meanError: number;
  maxError: number;
  residualAtEnd: number;
  /** Mean error per controller index (NaN-free: 0 for a controller never sampled while up). */
  perController: number[];
}

export class BookkeepingError {
  /** Records truly on each invoker: those marked with its id plus those in `extra`. */
  private readonly onInvoker: number[];
  /** Per invoker, records on it whose mark names another invoker (created when first needed). */
  private readonly extra: (Set<ActivationRecord> | null)[];
  private sum = 0;
  private count = 0;
  private max = 0;
  private residual = 0;
  private readonly perControllerSum: number[];
  private readonly perControllerCount: number[];

  constructor(
    invokerCount: number,
    controllerCount: number,
    private readonly fromMs: number,
    private readonly toMs: number,
  ) {
    assert(invokerCount >= 0, `invoker count ${invokerCount} is negative`);
    this.onInvoker = new Array<number>(invokerCount).fill(0);
    this.extra = new Array<Set<ActivationRecord> | null>(invokerCount).fill(null);
    this.perControllerSum = new Array<number>(controllerCount).fill(0);
    this.perControllerCount = new Array<number>(controllerCount).fill(0);
  }

  /** A controller sent `record` to invoker k. */
  published(invoker: number, record: ActivationRecord): void {
    // Hot (once per activation): the inverted form builds the message only when the check fails.
    if (!(invoker >= 0 && invoker < this.onInvoker.length)) assert(false, `invoker ${invoker} out of range`);
    const mark = record.truthInvoker;
    if (mark === invoker) return;
    const extra = this.extra[invoker]!;
    if (extra !== null && extra.has(record)) return;
    if (mark === -1) {
      record.truthInvoker = invoker;
    } else if (extra === null) {
      this.extra[invoker] = new Set([record]);
    } else {
      extra.add(record);
    }
    this.onInvoker[invoker]!++;
  }

  /** The broker refused the send of `record` to invoker k. */
  unpublished(invoker: number, record: ActivationRecord): void {
    this.remove(invoker, record);
  }

  /** Invoker k finished or lost `record`. */
  left(invoker: number, record: ActivationRecord): void {
    this.remove(invoker, record);
  }

  private remove(invoker: number, record: ActivationRecord): void {
    if (record.truthInvoker === invoker) {
      record.truthInvoker = -1;
      this.onInvoker[invoker]!--;
      return;
    }
    const extra = this.extra[invoker];
    if (extra != null && extra.delete(record)) this.onInvoker[invoker]!--;
  }

  /** Activations truly on invoker k now. */
  trueLoad(invoker: number): number {
    return this.onInvoker[invoker]!;
  }

  /** One sample instant: accumulate the errors of every up controller. */
  sample(nowMs: number, controllers: readonly BelievingController[]): void {
    const inWindow = nowMs >= this.fromMs && nowMs <= this.toMs;
    let residual = 0;
    for (let c = 0; c < controllers.length; c++) {
      const controller = controllers[c]!;
      if (!controller.isUp) continue;
      let excess = 0;
      for (let k = 0; k < this.onInvoker.length; k++) {
        const diff = controller.believedLoad(k) - this.onInvoker[k]!;
        excess += diff;
        if (!inWindow) continue;
        const error = Math.abs(diff);
        this.sum += error;
        this.count++;
        if (error > this.max) this.max = error;
        this.perControllerSum[c]! += error;
        this.perControllerCount[c]!++;
      }
      if (excess > residual) residual = excess;
    }
    this.residual = residual;
  }

  summary(): BookkeepingErrorSummary {
    return {
      meanError: this.count > 0 ? round6(this.sum / this.count) : 0,
      maxError: this.max,
      residualAtEnd: this.residual,
      perController: this.perControllerSum.map((s, c) => (this.perControllerCount[c]! > 0 ? round6(s / this.perControllerCount[c]!) : 0)),
    };
  }
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
