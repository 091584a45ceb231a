/**
 * The front door (nginx in an OpenWhisk deployment): picks the controller for each request.
 * - `round-robin`: controllers in turn, skipping any that is down;
 * - `random`: uniformly among controllers that are up (stream `frontDoor`);
 * - `active-passive`: everything to the lowest-numbered controller that is up.
 * With every controller down the request is refused (`noController`).
 */
import type { Rng } from '../../sim/rng.js';

export type FrontDoorPolicy = 'round-robin' | 'random' | 'active-passive';

export interface Routable {
  readonly isUp: boolean;
}

export class FrontDoor<C extends Routable> {
  private next = 0;

  constructor(
    private readonly controllers: readonly C[],
    private readonly policy: FrontDoorPolicy,
    private readonly rng: Rng,
  ) {}

  /** The controller for the next request, or null when none is up. */
  route(): C | null {
    const n = this.controllers.length;
    switch (this.policy) {
      case 'round-robin':
        for (let i = 0; i < n; i++) {
          const c = this.controllers[(this.next + i) % n]!;
          if (c.isUp) {
            this.next = (this.next + i + 1) % n;
            return c;
          }
        }
        return null;
      case 'random': {
        const start = this.rng.nextInt(n);
        for (let i = 0; i < n; i++) {
          const c = this.controllers[(start + i) % n]!;
          if (c.isUp) return c;
        }
        return null;
      }
      case 'active-passive':
        for (const c of this.controllers) if (c.isUp) return c;
        return null;
    }
  }
}
