//! The most frames the model's data can pin: the measure that tells an earned ENOMEM from
//! an unearned one (docs/semantics.md §3, "Memory").
//!
//! Counted as if nothing could go to swap, each datum once per place that names it (an
//! over-count, never an under-count):
//!
//!   private copies     every cell of every overlay
//!   shared memory      every page of every shared anonymous memory (touched or not), a
//!                      SysV segment's whether mapped or not
//!   loans              every page of every outstanding loan (a lent page cannot be paged out)
//!   wired pages        every page of every wired region
//!
//! File pages that nothing wires or lends are not counted: their file holds them, so they
//! can always be written back and reclaimed. No amap, anon or page-table cost is counted:
//! the model has none, and the machine keeps them outside its frames.

import type { ModelState, Overlay } from "./state.ts";

export function framesDataMayPin(state: ModelState): number {
  let pinned = 0;
  for (const overlay of Object.values(state.overlays)) pinned += cellCount(overlay);
  for (const memory of Object.values(state.sharedMemories)) pinned += memory.pages.length;
  for (const loan of Object.values(state.loans)) pinned += loan.pages.length;
  for (const process of Object.values(state.processes)) {
    for (const region of process.regions) if (region.wired) pinned += region.pages;
  }
  return pinned;
}

/** Cells already counted, by overlay slots object: states are immutable, so a slots object keeps its count (a step that changes one makes a new one). */
const cellCounts = new WeakMap<object, number>();

/** How many cells `overlay` holds, counted once per slots object (every step asks of every overlay). */
function cellCount(overlay: Overlay): number {
  const known = cellCounts.get(overlay.slots);
  if (known !== undefined) return known;
  const count = Object.keys(overlay.slots).length;
  cellCounts.set(overlay.slots, count);
  return count;
}
