//! Swap space management (uvm_swap.c): which slots are free, in use or bad.
//!
//!   free  → swapAlloc → in use → swapFree → free      (a freed slot is poisoned)
//!                        in use → swapMarkBad → bad    (never reused, never freed)
//!
//! Only the page daemon allocates (pageout of a dirty anon or aobj page). A read of
//! SWAP_SLOT_BAD fails with EIO without I/O; a read error marks the slot bad (seed F:418-429).
//! `onlyCopies` is uvmexp.swpgonly: pages whose only copy is on swap; `uvm_reclaimable`
//! reads it.

import { assert } from "../../vocabulary/assert.ts";
import { type FrameNumber, type SwapSlot, SWAP_SLOT_BAD, swapSlot } from "../hardware/units.ts";
import type { Uvm } from "./uvm.ts";

const FREE = 0;
const IN_USE = 1;
const BAD = 2;

export class SwapSpace {
  /** Per slot (index = slot number): FREE, IN_USE or BAD. [swap lock] */
  private readonly state: Uint8Array;
  /** swpginuse: slots in use, bad ones included. */
  inUse = 0;
  /** swpgonly: in-use slots holding the only copy of a page. [maintained by pageout / swap-in / anon free] */
  onlyCopies = 0;
  private searchFrom = 1;

  constructor(readonly slotCount: number) {
    this.state = new Uint8Array(slotCount + 1);
  }

  /** uvm_swap_alloc(1): the lowest free slot at or after the last one handed out, or 0. */
  alloc(): SwapSlot {
    for (let probe = 0; probe < this.slotCount; probe++) {
      const slot = ((this.searchFrom - 1 + probe) % this.slotCount) + 1;
      if (this.state[slot] === FREE) {
        this.state[slot] = IN_USE;
        this.inUse++;
        this.searchFrom = (slot % this.slotCount) + 1;
        return swapSlot(slot);
      }
    }
    return swapSlot(0);
  }

  isBad(slot: SwapSlot): boolean {
    return slot === SWAP_SLOT_BAD || this.state[slot] === BAD;
  }

  isInUse(slot: SwapSlot): boolean {
    return slot >= 1 && slot <= this.slotCount && this.state[slot] === IN_USE;
  }

  get free(): number {
    let free = 0;
    for (let slot = 1; slot <= this.slotCount; slot++) if (this.state[slot] === FREE) free++;
    return free;
  }

  get bad(): number {
    let bad = 0;
    for (let slot = 1; slot <= this.slotCount; slot++) if (this.state[slot] === BAD) bad++;
    return bad;
  }

  /** uvm_swapisfull: every usable slot holds the only copy of some page. */
  get full(): boolean {
    return this.onlyCopies >= this.slotCount - this.bad;
  }

  /** Internal to swapFree/swapMarkBad. */
  setFree(slot: SwapSlot): void {
    assert(this.state[slot] === IN_USE, () => `uvm_swap_free: slot ${slot} not in use`);
    this.state[slot] = FREE;
    this.inUse--;
  }

  setBad(slot: SwapSlot): void {
    assert(this.state[slot] === IN_USE, () => `uvm_swap_markbad: slot ${slot} not in use`);
    this.state[slot] = BAD;
  }
}

/** uvm_swap_free: a bad slot (or SWSLOT_BAD) is silently kept. */
export function swapFree(uvm: Uvm, slot: SwapSlot): void {
  if (slot === SWAP_SLOT_BAD || uvm.swap.isBad(slot)) return;
  assert(slot >= 1, () => `uvm_swap_free: slot ${slot}`);
  uvm.swap.setFree(slot);
  uvm.machine.swap.poison(slot);
}

/** uvm_swap_markbad(slot, 1): the slot is never handed out again; it no longer holds an only copy. */
export function swapMarkBad(uvm: Uvm, slot: SwapSlot): void {
  uvm.swap.setBad(slot);
  uvm.swap.onlyCopies--;
  assert(uvm.swap.onlyCopies >= 0, "uvm_swap_markbad: swpgonly underflow");
}

/**
 * uvm_swap_get(PGO_SYNCIO), in two halves around the sleep: `swapRead` starts the I/O (the
 * device decides then whether it fails), `swapGetDone` completes it: fills `frame` (the slot
 * then no longer holds an only copy). EIO for SWSLOT_BAD or an I/O error.
 */
export function swapRead(uvm: Uvm, slot: SwapSlot): SwapReadResult {
  if (slot === SWAP_SLOT_BAD) return { kind: "error" };
  assert(uvm.swap.isInUse(slot), () => `uvm_swap_get: slot ${slot} not in use`);
  const result = uvm.machine.swap.read(slot);
  if (result.kind === "error") {
    uvm.coverage.hit("swap.readFailure");
    return { kind: "error" };
  }
  return { kind: "ok", words: result.words };
}

export type SwapReadResult = { readonly kind: "ok"; readonly words: readonly number[] } | { readonly kind: "error" };

export function swapGetDone(uvm: Uvm, frame: FrameNumber, slot: SwapSlot, read: SwapReadResult): 0 | "EIO" {
  if (read.kind === "error") return "EIO";
  uvm.coverage.hit("swap.in");
  uvm.events?.push({ kind: "swapIn", frame, slot });
  uvm.machine.memory.fill(frame, [...read.words]);
  uvm.swap.onlyCopies--; // uvmexp.swpgonly--: the page is in memory again
  return 0;
}

/** uvm_swap_put: writes `frame` to `slot`. */
export function swapPut(uvm: Uvm, frame: FrameNumber, slot: SwapSlot): 0 | "EIO" {
  assert(uvm.swap.isInUse(slot), () => `uvm_swap_put: slot ${slot} not in use`);
  if (uvm.machine.swap.write(slot, uvm.machine.memory.contents(frame))) {
    uvm.coverage.hit("swap.out");
    uvm.events?.push({ kind: "swapOut", frame, slot });
    return 0;
  }
  uvm.coverage.hit("swap.writeFailure");
  return "EIO";
}
