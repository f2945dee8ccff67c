//! The swap pager (swap_pager.c, DragonFly 2004) over the simulated swap device.
//!
//! An anonymous object becomes OBJT_SWAP when its first block is written. A block maps an
//! object index to a device slot. Reads: OK, or ERROR on a device failure, after which the
//! block is marked bad: the data is lost for good (semantic decision 3; the era's pager left
//! the block for a retry). A write failure frees the new slot and leaves the page dirty in
//! memory, as swp_pager_async_iodone does: nothing is lost. Slots a read failed on are never
//! handed out again.

import { assert } from "../../vocabulary/assert.ts";
import { SWAP_SLOT_BAD, type SwapSlot } from "../hardware/units.ts";
import type { VmObject } from "./vm-object.ts";
import type { VmPage } from "./vm-page.ts";
import type { Vm } from "./vm.ts";

export type PagerResult = "VM_PAGER_OK" | "VM_PAGER_ERROR" | "VM_PAGER_BAD" | "VM_PAGER_FAIL";

/** swap_pager_haspage */
export function swapPagerHasPage(object: VmObject, pindex: number): boolean {
  return object.swapBlocks.has(pindex);
}

/** swap_pager_getpages for one page: fills `page` from its block. Requires: page BUSY, invalid. */
export function swapPagerGetPage(vm: Vm, object: VmObject, page: VmPage): PagerResult {
  assert(page.busy, () => `swap_pager_getpages: ${page.describe()} not busy`);
  assert(!page.valid, () => `swap_pager_getpages: ${page.describe()} already valid`);
  const slot = object.swapBlocks.get(page.pindex);
  if (slot === undefined) return "VM_PAGER_FAIL";
  if (slot === SWAP_SLOT_BAD) return "VM_PAGER_ERROR";
  const read = vm.machine.swap.read(slot);
  if (read.kind === "error") {
    vm.coverage.hit("swap.readFailure");
    markBad(vm, object, page.pindex, slot);
    return "VM_PAGER_ERROR";
  }
  vm.coverage.hit("swap.in");
  vm.machine.memory.fill(page.frame, read.words);
  page.valid = true;
  page.dirty = false;
  return "VM_PAGER_OK";
}

function markBad(vm: Vm, object: VmObject, pindex: number, slot: SwapSlot): void {
  vm.badSlots.add(slot);
  object.swapBlocks.set(pindex, SWAP_SLOT_BAD);
}

/**
 * swap_pager_putpages for one page: a new slot, the write, the block recorded (the old one
 * freed). Returns false when there is no slot or the write failed (the page stays dirty).
 */
export function swapPagerPutPage(vm: Vm, object: VmObject, page: VmPage): boolean {
  const slot = vm.freeSwapSlots.shift();
  if (slot === undefined) return false;
  if (!vm.machine.swap.write(slot, vm.machine.memory.contents(page.frame))) {
    vm.coverage.hit("swap.writeFailure");
    swapPagerFreeBlock(vm, slot);
    return false;
  }
  vm.coverage.hit("swap.out");
  swapPagerUnswapped(vm, object, page.pindex); // swp_pager_meta_build frees the old block
  object.swapBlocks.set(page.pindex, slot);
  object.type = "swap";
  return true;
}

/** vm_pager_page_unswapped: the page's block no longer holds its data; freed. */
export function swapPagerUnswapped(vm: Vm, object: VmObject, pindex: number): void {
  const slot = object.swapBlocks.get(pindex);
  if (slot === undefined) return;
  object.swapBlocks.delete(pindex);
  swapPagerFreeBlock(vm, slot);
}

/** Gives a slot back (a bad one stays out of use). */
export function swapPagerFreeBlock(vm: Vm, slot: SwapSlot): void {
  if (slot === SWAP_SLOT_BAD) return;
  assert(!vm.freeSwapSlots.includes(slot), () => `swap: slot ${slot} freed twice`);
  vm.machine.swap.poison(slot);
  vm.freeSwapSlots.push(slot);
  vm.freeSwapSlots.sort((a, b) => a - b);
}

/** swap_pager_dealloc: every block of a terminated object. */
export function swapPagerFreeAll(vm: Vm, object: VmObject): void {
  for (const slot of object.swapBlocks.values()) swapPagerFreeBlock(vm, slot);
  object.swapBlocks.clear();
}
