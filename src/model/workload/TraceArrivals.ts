/**
 * Arrivals replayed from a trace. A `TraceCursor` hands out invocations in non-decreasing arrival time (the
 * reader in src/trace does the file work, so the model stays free of I/O); this component keeps exactly one
 * pending event: at each arrival it delivers the current invocation and schedules the next one. Invocations at
 * or after `endMs` (the scenario's duration) are not replayed. The callback is bound once; the cursor may reuse
 * its invocation object, which is consumed before the next `next()`.
 */
import type { Simulation } from '../../sim/Simulation.js';
import type { TraceCursor, TraceInvocation } from '../../trace/TraceCursor.js';

/** Opens a trace for one run; `rng` gives named streams (azure2019 spreads its per-minute counts with them). */
export type OpenTrace = (rng: (name: string) => import('../../sim/rng.js').Rng) => TraceCursor;

export class TraceArrivals {
  private current: TraceInvocation | null = null;
  private readonly fire: () => void;
  replayed = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly cursor: TraceCursor,
    private readonly endMs: number,
    private readonly onArrival: (invocation: TraceInvocation) => void,
  ) {
    this.fire = () => {
      const invocation = this.current!;
      this.replayed++;
      this.onArrival(invocation);
      this.scheduleNext();
    };
  }

  start(): void {
    this.scheduleNext();
  }

  private scheduleNext(): void {
    const next = this.cursor.next();
    if (next === null || next.arrivalMs >= this.endMs) {
      this.current = null;
      this.cursor.close();
      return;
    }
    this.current = next;
    this.sim.scheduleAt(Math.max(this.sim.now, next.arrivalMs), this.fire);
  }
}
