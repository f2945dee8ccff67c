//! ENOMEM must be earned: the exhaustible-memory contract allows an outcome caused by memory
//! running out only when memory may really be short (semantic decision 9: a wait for memory
//! runs the page daemon and retries; only when nothing is reclaimable does ENOMEM come back).
//!
//! Memory may be short when what the model's data can pin (model/memory-bound.ts, counted
//! as if nothing could go to swap) comes within a reserve of the machine's frames. The
//! reserve covers what a kernel holds that the model cannot see:
//!
//!   1  frame   the room below which a wait cannot make progress (uvm_reclaimable wants room
//!              for a whole operation, two frames)
//!   1  frame   the shared zero page loans lend
//!   2  frames  the failing operation's own pages (a BUSY source page, a fresh copy)
//!   3  frames  per operation pending on a thread (its BUSY pages, the copy or wiring it made
//!              before the instant the model lets it take effect)
//!
//! A kernel that answers ENOMEM further from exhaustion gave up on a transient failure (an
//! injected allocation failure, a page daemon pass that freed too little): an outcome
//! violation.

import type { Allowed } from "../../model/transition.ts";
import { framesDataMayPin } from "../../model/memory-bound.ts";
import type { ModelState } from "../../model/state.ts";

const RESERVE_FRAMES = 4;
const RESERVE_FRAMES_PER_PENDING = 3;

/** Whether `entries` (one command's allowed outcomes) come close enough to exhaustion for its memoryExhausted ones. */
export function memoryMayBeShort(entries: readonly Allowed[], pending: number): boolean {
  const frames = entries[0]!.state.world.frames;
  const pinned = Math.max(...entries.map((entry) => framesDataMayPin(entry.state)));
  return pinned + RESERVE_FRAMES + RESERVE_FRAMES_PER_PENDING * pending >= frames;
}

/** Whether memory may be short in `state` (with `pending` operations on threads). */
export function stateMayBeShort(state: ModelState, pending: number): boolean {
  return framesDataMayPin(state) + RESERVE_FRAMES + RESERVE_FRAMES_PER_PENDING * pending >= state.world.frames;
}

/** `entries` without the memoryExhausted ones when memory cannot be short. */
export function withEarnedExhaustion(entries: readonly Allowed[], pending: number): readonly Allowed[] {
  if (!entries.some((entry) => entry.cause === "memoryExhausted") || memoryMayBeShort(entries, pending)) return entries;
  return entries.filter((entry) => entry.cause !== "memoryExhausted");
}
