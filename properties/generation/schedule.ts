//! Scheduling policies: which parked thread a generated `resume` picks. Chosen per run, like
//! the swarm weights:
//!
//!   uniform   a pending thread uniformly at random
//!   pct       PCT (Burckhardt et al.): each thread has a random priority; the highest
//!             pending one runs, and at a few random change points the thread just resumed
//!             drops below every other

import type { ThreadId } from "../../vocabulary/units.ts";

export type SchedulePolicy =
  | { readonly kind: "uniform" }
  | { readonly kind: "pct"; readonly priorities: readonly number[]; readonly changePoints: readonly number[] };

/** The run-time state a policy needs, and the threads it may choose from. */
export class ThreadChooser {
  private readonly priorities: number[];
  private lowest = 0;
  private last: ThreadId | null = null;

  constructor(readonly policy: SchedulePolicy) {
    this.priorities = policy.kind === "pct" ? [...policy.priorities] : [];
  }

  /** Requires: `pending` is not empty. `step` is the index of the command being resolved. */
  choose(pending: readonly ThreadId[], pick: number, step: number): ThreadId {
    if (this.policy.kind === "uniform") return pending[pick % pending.length]!;
    if (this.last !== null && this.policy.changePoints.includes(step)) this.priorities[this.last] = --this.lowest;
    const priority = (thread: ThreadId) => this.priorities[thread] ?? 0;
    const chosen = pending.reduce((best, thread) => (priority(thread) > priority(best) ? thread : best));
    this.last = chosen;
    return chosen;
  }
}
