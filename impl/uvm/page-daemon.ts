//! The page daemon (uvm_pdaemon.c + the clock policy), uvm_wait and uvm_reclaimable.
//!
//! A pass keeps about a third of the queued pages inactive (deactivating from the active
//! head) and scans the inactive queue oldest first until enough frames are free:
//!
//!   referenced since last look   → back to the active tail (second chance)
//!   busy                         → skipped
//!   vnode page                   → pgo_put(CLEANIT|FREE): written back if dirty, then freed
//!   the loan zero page           → ulz_put: dequeued (or reactivated if an anon borrows it)
//!   anon or aobj page, clean     → freed; its data stays in its swap slot
//!   anon or aobj page, dirty     → its old slot is freed, a new one is written, the page freed;
//!                                  no slot free → reactivated; write error → slot marked bad
//!                                  and the data lost (notes §0.4)
//!
//! Freeing a loaned page orphans it (uvm_pagefree), so loans never pin memory for the owner:
//! a clean inactive object page lent to an anon (O->A) loses its object and is adopted by the
//! anon (the "pageout breaks the loan" of the loan seed's header, L:96-99).
//! The daemon's I/O completes at once: pageout is asynchronous in NetBSD and nothing waits
//! on it here.
//!
//! uvm_reclaimable deviates on purpose from NetBSD's size heuristic (tuned for large
//! machines, it promises memory a 16-frame machine cannot deliver, and every wait would spin;
//! pager notes S5): here it is exact, "a pass can make room for a whole operation". So a wait
//! after a true answer always makes progress, and the seed's ENOMEM paths run when memory is
//! really exhausted.

import { assert } from "../../vocabulary/assert.ts";
import { threadId } from "../../vocabulary/units.ts";
import { NO_SWAP_SLOT, SWAP_SLOT_BAD, type SwapSlot } from "../hardware/units.ts";
import { anonDropSwap } from "./anon.ts";
import { type Mutex, mutexExit, mutexTryEnter } from "./lock.ts";
import { lockPageQueues, pageActivate, pageDeactivate, pageFree, unlockPageQueues } from "./page-allocator.ts";
import { type Page, PG_CLEAN, PQ_ANON } from "./page.ts";
import { runAtomically } from "./run-atomically.ts";
import { sleep, type Sleepy } from "./sleep.ts";
import { swapPut } from "./swap.ts";
import type { Uvm } from "./uvm.ts";

export const PAGE_DAEMON_THREAD = threadId(999);

/** uvmexp.freetarg: a pass stops once this many frames are free. */
export function freeTarget(uvm: Uvm): number {
  return Math.max(4, Math.floor(uvm.world.frames / 16));
}

/** uvm_wait: sleeps until the page daemon has run. Requires: nothing locked. */
export function* uvmWait(uvm: Uvm, site: string): Sleepy<void> {
  assert(uvm.held.size === 0, () => `uvm_wait(${site}) with locks held`);
  uvm.coverage.hit("restart.memoryWait");
  yield* sleep({ kind: "memoryWait", site });
}

/** The most frames one fault (or loan, or file access) holds at once: an object page and its copy. */
const FRAMES_PER_OPERATION = 2;

/**
 * uvm_reclaimable: whether a page-daemon pass can make room for a whole operation. Counting
 * single freeable frames is not enough: when the only freeable page is the one the waiting
 * fault reads itself, the daemon frees it, the refault reads it back, and they thrash forever.
 */
export function uvmReclaimable(uvm: Uvm): boolean {
  let room = uvm.machine.memory.freeCount;
  if (room >= FRAMES_PER_OPERATION) return true; // free frames count even with nothing queued
  for (const queue of [uvm.inactiveQueue, uvm.activeQueue]) {
    for (const page of queue) {
      if (pageoutCandidate(uvm, page)) room++;
      if (room >= FRAMES_PER_OPERATION) return true;
    }
  }
  return false;
}

/** Whether the daemon could free this queued page's frame (ignoring the reference bit). */
function pageoutCandidate(uvm: Uvm, page: Page): boolean {
  if (page.busy || page.wireCount > 0 || page.loanCount > 0) return false;
  if (page.object !== null) {
    if (page.object.kind === "vnode") return true;
    if (page.object.kind !== "aobj") return false;
    return swapBackedFreeable(uvm, page, page.object.swapSlotOf(page.offset));
  }
  if (page.anon !== null && (page.pqFlags & PQ_ANON) !== 0) return swapBackedFreeable(uvm, page, page.anon.swapSlot);
  return false;
}

function swapBackedFreeable(uvm: Uvm, page: Page, slot: SwapSlot): boolean {
  if (!isPageDirty(uvm, page) && slot > 0) return true;
  return uvm.swap.free > 0 || (slot > 0 && !uvm.swap.isBad(slot));
}

function isPageDirty(uvm: Uvm, page: Page): boolean {
  return (page.flags & PG_CLEAN) === 0 || uvm.machine.mmu.isModified(page.frame);
}

/**
 * One run of the daemon on behalf of a waiter or the `pageout` command: passes over the
 * queues until `target` frames are free or a pass frees nothing. Runs as the daemon thread.
 * Requires: nothing locked.
 */
export function runPageDaemon(uvm: Uvm, target: number): void {
  const thread = uvm.switchTo(PAGE_DAEMON_THREAD);
  try {
    uvm.coverage.hit("pdaemon.run");
    for (let pass = 0; pass < 4 && uvm.machine.memory.freeCount < target; pass++) {
      const before = uvm.machine.memory.freeCount;
      lockPageQueues(uvm);
      balanceQueues(uvm);
      scanInactive(uvm, target);
      unlockPageQueues(uvm);
      if (uvm.machine.memory.freeCount === before && pass > 0 && !uvmReclaimable(uvm)) break;
    }
  } finally {
    uvm.switchTo(thread);
  }
}

/**
 * uvmpdpol_balancequeue: deactivate from the active head until the inactive target is met: a
 * third of the queued pages, but at least freetarg + 1 (uvmpdpol_clock's s_inactarg floor;
 * without it a BUSY inactive page can hold the target while nothing freeable is inactive).
 */
function balanceQueues(uvm: Uvm): void {
  const target = Math.max(Math.ceil((uvm.activeQueue.size + uvm.inactiveQueue.size) / 3), freeTarget(uvm) + 1);
  for (const page of [...uvm.activeQueue]) {
    if (uvm.inactiveQueue.size >= target) break;
    const owner = tryLockOwner(uvm, page);
    if (owner === null) continue;
    pageDeactivate(uvm, page);
    mutexExit(uvm, owner);
  }
}

/** uvmpd_scan_queue over the inactive queue, oldest first. Requires and ensures: page queues locked. */
function scanInactive(uvm: Uvm, target: number): void {
  for (const page of [...uvm.inactiveQueue]) {
    if (uvm.machine.memory.freeCount >= target) return;
    if (page.queue !== "inactive") continue;
    const owner = tryLockOwner(uvm, page);
    if (owner === null) continue;
    if (uvm.machine.mmu.clearReference(page.frame)) {
      uvm.coverage.hit("pdaemon.reactivate");
      pageActivate(uvm, page);
      mutexExit(uvm, owner);
      continue;
    }
    if (page.busy) {
      mutexExit(uvm, owner);
      continue;
    }
    if (page.loanCount > 0 && page.object !== null && page.anon !== null) uvm.coverage.hit("pdaemon.loanBreak");
    if (page.object !== null && page.object.kind !== "aobj") pageOutObjectPage(uvm, page);
    else if (page.object !== null && page.object.kind === "aobj") pageOutSwapBacked(uvm, page, owner);
    else if (page.anon !== null && (page.pqFlags & PQ_ANON) !== 0) pageOutSwapBacked(uvm, page, owner);
    else mutexExit(uvm, owner);
  }
}

/** uvmpd_trylockowner: try-locks the page's owner (page queues are taken first, against the order). Adopts an orphaned O->A page. */
function tryLockOwner(uvm: Uvm, page: Page): Mutex | null {
  assert(page.object !== null || page.anon !== null, () => `uvmpd_trylockowner: queued ${page.describe()} has no owner`); // NetBSD: KASSERT(anon != NULL)
  const lock = page.object !== null ? page.object.lock : page.anon!.lock;
  if (lock === null) return null;
  if (!mutexTryEnter(uvm, lock)) return null;
  if (page.object === null && page.anon !== null && (page.pqFlags & PQ_ANON) === 0) {
    assert(page.loanCount > 0, () => `uvmpd_trylockowner: orphan ${page.describe()} has no loan`);
    page.loanCount--;
    page.pqFlags |= PQ_ANON;
  }
  return lock;
}

/**
 * An object page that is not swap-backed goes through its pager's pgo_put(CLEANIT|FREE),
 * with the page queues unlocked: a vnode page is written back if dirty and freed; the loan
 * zero page is only dequeued or reactivated (ulz_put never frees it).
 */
function pageOutObjectPage(uvm: Uvm, page: Page): void {
  const object = page.object!;
  if (object.kind === "vnode") uvm.coverage.hit(isPageDirty(uvm, page) ? "pdaemon.objectDirty" : "pdaemon.objectClean");
  unlockPageQueues(uvm);
  runAtomically(object.put(uvm, page.offset, page.offset + 1, { clean: true, free: true }));
  lockPageQueues(uvm);
}

/** An anon or aobj page: freed if clean, else written to a fresh swap slot first. Ensures: owner unlocked. */
function pageOutSwapBacked(uvm: Uvm, page: Page, owner: Mutex): void {
  uvm.machine.mmu.pageProtect(page.frame, 0);
  const modified = uvm.machine.mmu.clearModify(page.frame);
  if (modified) page.flags &= ~PG_CLEAN;
  const aobj = page.object; // an aobj (swap-backed object) or none: the page is an anon's
  const anon = aobj === null ? page.anon! : null;
  const slotOf = () => (aobj !== null ? aobj.swapSlotOf(page.offset) : anon!.swapSlot);
  if ((page.flags & PG_CLEAN) !== 0) {
    assert(slotOf() > 0, () => `pageout: clean ${page.describe()} without a swap slot`);
    uvm.coverage.hit("pdaemon.anonClean");
    pageFree(uvm, page);
    uvm.swap.onlyCopies++;
    mutexExit(uvm, owner);
    return;
  }
  if (aobj !== null) aobj.dropSwap(uvm, page.offset);
  else anonDropSwap(uvm, anon!);
  const slot = uvm.swap.alloc();
  if (slot === NO_SWAP_SLOT) {
    uvm.coverage.hit("pdaemon.noSwapSlot");
    pageActivate(uvm, page);
    mutexExit(uvm, owner);
    return;
  }
  const written = swapPut(uvm, page.frame, slot) === 0;
  if (!written) uvm.swap.setBad(slot);
  const recorded = written ? slot : SWAP_SLOT_BAD;
  if (aobj !== null) aobj.setSwapSlot(page.offset, recorded);
  else anon!.swapSlot = recorded;
  page.flags |= PG_CLEAN;
  pageFree(uvm, page);
  if (written) uvm.swap.onlyCopies++;
  mutexExit(uvm, owner);
}
