//! The swap device: a fixed number of page-sized slots, numbered from 1 (slot 0 means "no
//! slot" to UVM). The device only stores and returns pages; which slots are in use, free or
//! bad is the kernel's business (impl/uvm/swap.ts). Reads and writes can be made to fail
//! (FailureKind `swapRead`, `swapWrite`).
//!
//! Invariant: only slots 1..slotCount exist.

import { assert } from "../../vocabulary/assert.ts";
import type { FailureInjector } from "./failure-injector.ts";
import { POISON } from "./physical-memory.ts";
import type { SwapSlot } from "./units.ts";

export class SwapDevice {
  private readonly slots: Float64Array;

  constructor(
    readonly slotCount: number,
    readonly pageWords: number,
    private readonly failures: FailureInjector,
  ) {
    assert(slotCount >= 0, "SwapDevice: negative size");
    this.slots = new Float64Array((slotCount + 1) * pageWords).fill(POISON);
  }

  /** uvm_swap_get's I/O: the page in `slot`, or EIO. */
  read(slot: SwapSlot): { readonly kind: "ok"; readonly words: number[] } | { readonly kind: "error" } {
    this.checkSlot(slot);
    if (this.failures.fails("swapRead")) return { kind: "error" };
    return { kind: "ok", words: this.peek(slot) };
  }

  /** uvm_swap_put's I/O: true on success. */
  write(slot: SwapSlot, words: readonly number[]): boolean {
    this.checkSlot(slot);
    assert(words.length === this.pageWords, "SwapDevice.write: wrong page size");
    if (this.failures.fails("swapWrite")) return false;
    this.slots.set(words, slot * this.pageWords);
    return true;
  }

  /** What the slot holds, without I/O or failure (observations). */
  peek(slot: SwapSlot): number[] {
    this.checkSlot(slot);
    return Array.from(this.slots.subarray(slot * this.pageWords, (slot + 1) * this.pageWords));
  }

  /** Freed slots are poisoned, so a stale slot number reads POISON. */
  poison(slot: SwapSlot): void {
    this.checkSlot(slot);
    this.slots.fill(POISON, slot * this.pageWords, (slot + 1) * this.pageWords);
  }

  private checkSlot(slot: SwapSlot): void {
    assert(Number.isInteger(slot), () => `SwapDevice: slot ${slot} not an integer`);
    assert(slot >= 1, () => `SwapDevice: slot ${slot} below 1`);
    assert(slot <= this.slotCount, () => `SwapDevice: no slot ${slot}`);
  }
}
