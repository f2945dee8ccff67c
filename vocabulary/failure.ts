//! Device failures the simulated hardware can inject, each at the one place its device can
//! fail. A run may switch kinds on with a rate (chosen by swarm per run), and the `failNext`
//! command arms a single failure of one kind.

export type FailureKind =
  | "frameAllocation" // uvm_pagealloc finds no frame
  | "pmapEnter" // pmap_enter(PMAP_CANFAIL) runs out of pmap resources
  | "swapRead" // uvm_swap_get I/O error
  | "swapWrite" // uvm_swap_put I/O error
  | "backingRead" // the vnode pager's read from disk fails (EIO)
  | "backingAgain" // the vnode pager asks to try again later (EAGAIN)
  | "lockContention"; // mutex_tryenter finds the lock held by another CPU for a moment

export const failureKinds: readonly FailureKind[] = ["frameAllocation", "pmapEnter", "swapRead", "swapWrite", "backingRead", "backingAgain", "lockContention"];

/** Probability in [0, 1] that an operation of each kind fails; missing kinds never fail. */
export type FailureRates = Readonly<Partial<Record<FailureKind, number>>>;

export function validateFailureRates(rates: FailureRates): string | null {
  for (const [kind, rate] of Object.entries(rates)) {
    if (!failureKinds.includes(kind as FailureKind)) return `unknown failure kind "${kind}"`;
    if (typeof rate !== "number" || !(rate >= 0 && rate <= 1)) return `failure rate of ${kind} must be in [0, 1] (got ${rate})`;
  }
  if ((rates.backingAgain ?? 0) > 0.5) return "failure rate of backingAgain must be at most 0.5 (a retried read must eventually succeed)";
  if ((rates.lockContention ?? 0) > 0.5) return "failure rate of lockContention must be at most 0.5 (a retried try-lock must eventually succeed)";
  return null;
}
