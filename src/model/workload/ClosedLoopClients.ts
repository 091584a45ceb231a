/**
 * Closed-loop clients of one action (`clients: { count, thinkTime }`), as a blocking-invoke load generator or
 * k6's virtual users drive a system: each client sends one activation, waits for its outcome (its result, the
 * controller's forced timeout, a rejection, or its loss), thinks for a time drawn from `thinkTime`, then sends
 * the next. Latency therefore feeds back into load: throughput = clients / (response time + think time)
 * (Little's law), so a slower cluster receives less work.
 *
 * Clients start after one think time each (so they do not all send at t = 0) and stop sending at the end of
 * the arrival window. An outcome known at the instant of sending (a rejection at the front door or the
 * controller) is followed by at least 1 ms of think time, as the HTTP round trip of a refused request would
 * take, so a client with zero think time cannot loop at one instant.
 *
 * Streams: `workload/<action>/think` (think times); the activations' own draws use the action's streams.
 */
import type { ActivationRecord } from '../ActivationRecord.js';
import type { Distribution } from '../../sim/distributions.js';
import type { Rng } from '../../sim/rng.js';
import type { Simulation } from '../../sim/Simulation.js';

/** Sends one activation and returns its record (before or after it may already have been resolved). */
export type SendActivation = (onResolved: (record: ActivationRecord) => void) => void;

const MIN_RETRY_MS = 1;

class Client {
  readonly fire: () => void;
  readonly done: (record: ActivationRecord) => void;

  constructor(owner: ClosedLoopClients) {
    this.fire = () => owner.send(this);
    this.done = (record) => owner.resolved(this, record);
  }
}

export class ClosedLoopClients {
  private readonly clients: Client[] = [];
  sent = 0;

  constructor(
    private readonly sim: Simulation,
    count: number,
    private readonly thinkTime: Distribution,
    private readonly rng: Rng,
    private readonly endMs: number,
    private readonly sendActivation: SendActivation,
  ) {
    for (let i = 0; i < count; i++) this.clients.push(new Client(this));
  }

  start(): void {
    for (const client of this.clients) this.after(this.think(), client);
  }

  /** @internal */
  send(client: Client): void {
    this.sent++;
    this.sendActivation(client.done);
  }

  /** @internal */
  resolved(client: Client, record: ActivationRecord): void {
    let think = this.think();
    if (record.resolvedMs === record.arrivalMs) think = Math.max(think, MIN_RETRY_MS);
    this.after(think, client);
  }

  private think(): number {
    return Math.max(0, this.thinkTime.sample(this.rng));
  }

  private after(delayMs: number, client: Client): void {
    const at = this.sim.now + delayMs;
    if (at < this.endMs) this.sim.scheduleAt(at, client.fire);
  }
}
