//! The model's steps for the operations pending on threads, remembered per state.
//!
//! The linearizer lets every pending operation take effect in every configuration before and
//! after each command (linearizer.ts, the closure). Most configurations come back unchanged
//! from one closure to the next (same state object: states are immutable), so the same
//! operation is stepped from the same state again and again; the model step is a pure
//! function of the two (and of how many operations are pending, which earned-ENOMEM counts).

import type { ModelState } from "../../model/state.ts";
import type { Allowed } from "../../model/transition.ts";
import type { ThreadOperation } from "../../vocabulary/command.ts";

export class StepCache {
  private readonly remembered = new WeakMap<ModelState, Map<ThreadOperation, { readonly pending: number; readonly entries: readonly Allowed[] }>>();

  /** `compute()`'s entries for `operation` from `state` with `pending` operations pending, computed once. */
  entries(state: ModelState, operation: ThreadOperation, pending: number, compute: () => readonly Allowed[]): readonly Allowed[] {
    let byOperation = this.remembered.get(state);
    if (byOperation === undefined) {
      byOperation = new Map();
      this.remembered.set(state, byOperation);
    }
    const known = byOperation.get(operation);
    if (known !== undefined && known.pending === pending) return known.entries;
    const entries = compute();
    byOperation.set(operation, { pending, entries });
    return entries;
  }
}
