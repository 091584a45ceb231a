/**
 * The network between one invoker and Kafka dropping health pings (a `ping-loss` fault). Installed on the
 * invoker through `Invoker.setPingLoss`; each ping is dropped with the combined probability of every
 * ping-loss fault active on that invoker (1 − Π(1 − pᵢ)), drawn from the stream `faults/pingLoss/<invoker>`.
 * The invoker's own schedule is untouched: it keeps pinging, the pings just do not arrive, so the controllers'
 * InvokerPool sees silence and (after its Offline timeout) marks the invoker Offline.
 */
import type { Rng } from '../../sim/rng.js';
import type { PingLoss } from '../invoker/Invoker.js';

export class PingLossFilter implements PingLoss {
  private readonly probabilities: number[] = [];
  private dropProbability = 0;
  /** Pings dropped and let through while at least one fault was active. */
  dropped = 0;
  passed = 0;

  constructor(private readonly rng: Rng) {}

  get active(): boolean {
    return this.probabilities.length > 0;
  }

  add(probability: number): void {
    this.probabilities.push(probability);
    this.recompute();
  }

  remove(probability: number): void {
    const i = this.probabilities.indexOf(probability);
    if (i >= 0) this.probabilities.splice(i, 1);
    this.recompute();
  }

  dropPing(_invoker: number): boolean {
    // Always draw, so the stream's use does not depend on the probability.
    const drop = this.rng.nextFloat() < this.dropProbability;
    if (drop) this.dropped++;
    else this.passed++;
    return drop;
  }

  private recompute(): void {
    let keep = 1;
    for (const p of this.probabilities) keep *= 1 - p;
    this.dropProbability = 1 - keep;
  }
}
