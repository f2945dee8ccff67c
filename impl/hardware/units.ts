//! Units of the simulated hardware. `FrameNumber` indexes physical memory (and the vm_page
//! array: one vm_page per frame, PHYS_TO_VM_PAGE is the identity). `SwapSlot` indexes the
//! swap device; slot 0 means "no slot", as in UVM.

import type { Branded } from "../../vocabulary/units.ts";

export type FrameNumber = Branded<number, "FrameNumber">;
export type SwapSlot = Branded<number, "SwapSlot">;

export const frameNumber = (n: number) => n as FrameNumber;
export const swapSlot = (n: number) => n as SwapSlot;

/** an_swslot == 0: the anon has no copy on swap. */
export const NO_SWAP_SLOT = swapSlot(0);
/** an_swslot == SWSLOT_BAD: the anon's data is lost for good (seed F:429). */
export const SWAP_SLOT_BAD = swapSlot(-1);
