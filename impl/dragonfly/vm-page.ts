//! vm_page: one per physical frame (PHYS_TO_VM_PAGE is the identity), and the page queues.
//!
//! A page belongs to at most one object, at one index (`object`, `pindex`). Its state bits
//! are the ones the seed tests one by one: `valid` (all or nothing here: a
//! page is one block), `dirty`, `busy` (PG_BUSY: someone is filling or moving it),
//! `wireCount`. A page is on exactly one queue, or on none while busy in a fault or wired:
//!
//!   active ──deactivate──▶ inactive ──vm_page_cache──▶ cache ──vm_page_alloc──▶ free
//!      ▲                        │ (page daemon: clean → free, dirty → pager, then free)
//!      └──────activate──────────┘
//!
//! A cache page is clean, valid and unmapped: vm_page_alloc may take it when no frame is
//! free (it frees it first). Invariants (impl/dragonfly/invariants/): a wired page is on no
//! queue; a free frame's page has no object.

import { assert } from "../../vocabulary/assert.ts";
import { PROT_NONE } from "../../vocabulary/protection.ts";
import type { ThreadId } from "../../vocabulary/units.ts";
import type { FrameNumber } from "../hardware/units.ts";
import type { VmObject } from "./vm-object.ts";
import type { Vm } from "./vm.ts";

export type PageQueue = "none" | "active" | "inactive" | "cache";

export class VmPage {
  /** Handed out by vm_page_alloc and not freed since. Changed by alloc/free only. */
  allocated = false;
  /** m->object, m->pindex. Changed by insert, rename, free. */
  object: VmObject | null = null;
  pindex = 0;
  /** m->valid == VM_PAGE_BITS_ALL */
  valid = false;
  /** m->dirty != 0 (the pmap's modified bit is folded in by vm_page_test_dirty). */
  dirty = false;
  /** PG_BUSY */
  busy = false;
  /** The thread that made it BUSY, while it is (the one a waiter runs). Changed with `busy`. */
  busyOwner: ThreadId | null = null;
  /** How many times it has been made BUSY: a sleeper waits for one busying to end (vm-sleep.ts pageWait). */
  busyEpoch = 0;
  /** m->wire_count */
  wireCount = 0;
  queue: PageQueue = "none";

  constructor(readonly frame: FrameNumber) {}

  describe(): string {
    const where = this.object === null ? "no object" : `object ${this.object.id} index ${this.pindex}`;
    return `page ${this.frame} (${where}${this.busy ? ", busy" : ""}${this.wireCount > 0 ? `, wired ${this.wireCount}` : ""}, ${this.queue})`;
  }
}

/**
 * vm_page_alloc: a new BUSY, invalid page at (object, pindex), or null on a shortage (an
 * injected failure, or no frame free and no cache page to reclaim). Requires: no page there.
 */
export function vmPageAlloc(vm: Vm, object: VmObject, pindex: number): VmPage | null {
  assert(!object.pages.has(pindex), () => `vm_page_alloc: object ${object.id} already has index ${pindex}`);
  if (vm.machine.memory.freeCount === 0) reclaimCachePage(vm);
  const frame = vm.machine.memory.allocate();
  if (frame === null) return null;
  const page = vm.pages[frame]!;
  assert(!page.allocated, () => `vm_page_alloc: frame ${frame} handed out twice`);
  vm.machine.mmu.resetBits(frame);
  page.allocated = true;
  page.valid = false;
  page.dirty = false;
  vmPageBusy(vm, page);
  page.wireCount = 0;
  page.queue = "none";
  insertPage(page, object, pindex);
  return page;
}

/** vm_page_alloc's use of the cache queue: the oldest cache page is freed for reuse. */
function reclaimCachePage(vm: Vm): void {
  const page = vm.pages.find((candidate) => candidate.queue === "cache");
  if (page === undefined) return;
  vm.coverage.hit("pageout.cacheReclaim");
  vmPageFree(vm, page);
}

function insertPage(page: VmPage, object: VmObject, pindex: number): void {
  page.object = object;
  page.pindex = pindex;
  object.pages.set(pindex, page);
}

function removePage(page: VmPage): void {
  const object = page.object;
  assert(object !== null, () => `vm_page_remove: ${page.describe()} has no object`);
  assert(object.pages.get(page.pindex) === page, () => `vm_page_remove: ${page.describe()} not in its object`);
  object.pages.delete(page.pindex);
  page.object = null;
}

/** vm_page_free: unmapped everywhere, out of its object, its frame back in the pool. Requires: not wired. */
export function vmPageFree(vm: Vm, page: VmPage): void {
  assert(page.allocated, () => `vm_page_free: ${page.describe()} not allocated`);
  assert(page.wireCount === 0, () => `vm_page_free: ${page.describe()} is wired`);
  vm.machine.mmu.pageProtect(page.frame, PROT_NONE);
  if (page.object !== null) removePage(page);
  page.allocated = false;
  page.busy = false;
  page.busyOwner = null;
  page.valid = false;
  page.dirty = false;
  page.queue = "none";
  vm.machine.memory.release(page.frame);
}

/** vm_page_rename: moves the page to (object, pindex) and marks it dirty (D:622-623). */
export function vmPageRename(page: VmPage, object: VmObject, pindex: number): void {
  removePage(page);
  insertPage(page, object, pindex);
  page.dirty = true;
}

/**
 * vm_page_copy: the destination gets the source's words and is valid. Whether it is dirty is
 * the model's choice (bug F35): we dirty it, as DragonFly's vm_page2.h does, so the page
 * daemon never discards a private copy that exists nowhere else.
 */
export function vmPageCopy(vm: Vm, source: VmPage, destination: VmPage): void {
  vm.machine.memory.copy(source.frame, destination.frame);
  destination.valid = true;
  destination.dirty = !vm.seedBehaviour("seed-F35-copy-clean");
}

/** vm_page_test_dirty: folds the pmap's modified bit into `dirty`. */
export function vmPageTestDirty(vm: Vm, page: VmPage): void {
  if (vm.machine.mmu.clearModify(page.frame)) page.dirty = true;
}

/** vm_page_busy: sets PG_BUSY for the running thread. Requires: not BUSY. */
export function vmPageBusy(vm: Vm, page: VmPage): void {
  assert(!page.busy, () => `vm_page_busy: ${page.describe()} already busy`);
  page.busy = true;
  page.busyOwner = vm.thread;
  page.busyEpoch++;
}

/** vm_page_wakeup: clears PG_BUSY (and wakes its sleepers: they run again when resumed). */
export function vmPageWakeup(page: VmPage): void {
  assert(page.busy, () => `vm_page_wakeup: ${page.describe()} not busy`);
  page.busy = false;
  page.busyOwner = null;
}

/** vm_page_activate: onto the active queue, unless wired. */
export function vmPageActivate(page: VmPage): void {
  if (page.wireCount === 0) page.queue = "active";
}

/** vm_page_deactivate */
export function vmPageDeactivate(page: VmPage): void {
  if (page.wireCount === 0) page.queue = "inactive";
}

/** vm_page_cache: a clean page goes, unmapped, to the cache queue (reclaimable). Requires: clean. */
export function vmPageCache(vm: Vm, page: VmPage): void {
  assert(!page.dirty, () => `vm_page_cache: ${page.describe()} dirty`);
  assert(page.wireCount === 0, () => `vm_page_cache: ${page.describe()} wired`);
  vm.machine.mmu.pageProtect(page.frame, PROT_NONE);
  page.queue = "cache";
}

/** vm_page_wire: wire_count++ and off every queue. */
export function vmPageWire(page: VmPage): void {
  page.wireCount++;
  page.queue = "none";
}

/** vm_page_unwire(m, activate): wire_count--; back on the active queue at zero. */
export function vmPageUnwire(page: VmPage): void {
  assert(page.wireCount > 0, () => `vm_page_unwire: ${page.describe()} not wired`);
  page.wireCount--;
  if (page.wireCount === 0) page.queue = "active";
}
