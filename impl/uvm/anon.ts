//! vm_anon: one page of anonymous memory, shared by reference (uvm_anon.c).
//!
//! An anon is referenced by amap slots, by outstanding TOANON loans, and by a fault's spare
//! (invariant G4: `references` equals the count of those). Its data lives in a resident page,
//! on swap, or both; or it is lost:
//!
//!   resident           page set, no swap slot
//!   residentWithSwap   page set, swap slot > 0 (the page is CLEAN until written)
//!   swappedOut         no page, swap slot > 0
//!   lost               no page, SWAP_SLOT_BAD (every access answers EIO, seed F:418-448)
//!
//! Locking (seed F's model): an anon in an amap is locked by the amap's lock
//! (`lock` points at it); an anon in no amap (a TOANON loan receiver, the zero-page anon)
//! has its own lock object.

import { assert } from "../../vocabulary/assert.ts";
import type { ThreadId } from "../../vocabulary/units.ts";
import { NO_SWAP_SLOT, type SwapSlot, SWAP_SLOT_BAD } from "../hardware/units.ts";
import { sleep, type Sleepy } from "./sleep.ts";
import { type Mutex, mutexEnter, mutexExit, mutexHold, mutexOwned, mutexRelease, mutexTryEnter } from "./lock.ts";
import { lockPageQueues, pageFree, unlockPageQueues } from "./page-allocator.ts";
import { type Page, PG_BUSY, PG_RELEASED, PQ_ANON } from "./page.ts";
import { swapFree } from "./swap.ts";
import type { Uvm } from "./uvm.ts";

export type AnonState = "resident" | "residentWithSwap" | "swappedOut" | "lost" | "empty";

export class Anon {
  /** an_ref: amap slots + TOANON loans + a fault's spare. [anon lock] */
  references = 1;
  /** an_lock: the amap's lock while in an amap, else a private lock or null. [amap/anon lock] */
  lock: Mutex | null = null;
  /** an_page: the resident page (owned, or an O->A loaned object page), or null. [anon lock] */
  page: Page | null = null;
  /** an_swslot: 0 (none), a slot, or SWAP_SLOT_BAD. [anon lock, or page BUSY during I/O] */
  swapSlot: SwapSlot = NO_SWAP_SLOT;
  /** False once uvm_anon_free has run; a freed anon must never be reached. */
  alive = true;
  /** The thread whose fault keeps this anon as its spare (anon_spare, across a sleep), or null. */
  spareOf: ThreadId | null = null;
  /** References held by kernel threads reading a loan through this anon (each holds one while it reads). */
  readerHolds = 0;
  /** Being disposed (no references left): a thread that sleeps in uvm_anon_dispose, or a busier that will free it. */
  dying = false;
  /** The thread disposing of it (set with `dying`). */
  disposer: ThreadId | null = null;

  constructor(readonly id: number) {}

  get state(): AnonState {
    if (this.page !== null) return this.swapSlot > 0 ? "residentWithSwap" : "resident";
    if (this.swapSlot === SWAP_SLOT_BAD) return "lost";
    return this.swapSlot > 0 ? "swappedOut" : "empty";
  }
}

/** uvm_analloc: a fresh anon, one reference, no lock, no page, no swap. Never fails here. */
export function anonAlloc(uvm: Uvm): Anon {
  const anon = new Anon(uvm.nextAnonId++);
  uvm.liveAnons.add(anon);
  return anon;
}

/**
 * uvm_anon_dispose (the first half of uvm_anfree).
 * Requires: no references; the anon locked if it has a lock.
 * Ensures: true, and the anon holds no page or swap; or false: its page was BUSY and is now
 * RELEASED, and the busier will call anonRelease.
 */
export function* anonDispose(uvm: Uvm, anon: Anon): Sleepy<boolean> {
  assert(anon.references === 0, () => `uvm_anon_dispose: anon ${anon.id} still has ${anon.references} references`);
  assert(anon.lock === null || mutexOwned(uvm, anon.lock), () => `uvm_anon_dispose: anon ${anon.id} not locked`);
  anon.dying = true;
  anon.disposer = uvm.thread;
  let page = anon.page;
  if (page !== null && page.loanCount > 0) page = yield* anonLockLoanPage(uvm, anon); // may let go of the lock: the page daemon may have swapped it out
  const resident = page !== null;
  if (page !== null && page.object !== null) {
    const object = page.object;
    lockPageQueues(uvm);
    page.loanCount--;
    page.anon = null;
    unlockPageQueues(uvm);
    anon.page = null;
    mutexExit(uvm, object.lock);
  } else if (page !== null) {
    assert((page.flags & PG_RELEASED) === 0, () => `uvm_anon_dispose: ${page.describe()} already RELEASED`);
    uvm.machine.mmu.pageProtect(page.frame, 0);
    if ((page.flags & PG_BUSY) !== 0) {
      page.flags |= PG_RELEASED;
      if (anon.lock !== null) mutexHold(anon.lock);
      return false;
    }
    lockPageQueues(uvm);
    pageFree(uvm, page);
    unlockPageQueues(uvm);
    anon.page = null;
  }
  if (!resident && anon.swapSlot > 0) uvm.swap.onlyCopies--; // the slot held the only copy
  anonDropSwap(uvm, anon);
  return true;
}

/** uvm_anon_free: the anon goes back to the pool. Requires: disposed, no lock. */
export function anonFreeStructure(uvm: Uvm, anon: Anon): void {
  assert(anon.references === 0, () => `uvm_anon_free: anon ${anon.id} still referenced`);
  assert(anon.page === null, () => `uvm_anon_free: anon ${anon.id} still has a page`);
  assert(anon.swapSlot === NO_SWAP_SLOT, () => `uvm_anon_free: anon ${anon.id} still has a swap slot`);
  assert(anon.lock === null, () => `uvm_anon_free: anon ${anon.id} still has a lock`);
  assert(anon.alive, () => `uvm_anon_free: anon ${anon.id} freed twice`);
  anon.alive = false;
  uvm.liveAnons.delete(anon);
}

/**
 * uvm_anfree: dispose, then free, an anon with no references.
 * Requires: the anon's lock (if any) held. Ensures: the lock is still held; the anon is freed
 * unless its page was BUSY (then the busier frees it).
 */
export function* anonFree(uvm: Uvm, anon: Anon): Sleepy<void> {
  if (yield* anonDispose(uvm, anon)) {
    anonClearLock(anon);
    anonFreeStructure(uvm, anon);
  }
}

/** an_lock = lock, holding a reference on the lock object (seed F:609-610). */
export function anonSetLock(anon: Anon, lock: Mutex): void {
  assert(anon.lock === null, () => `anon ${anon.id} already has a lock`);
  anon.lock = mutexHold(lock);
}

/** an_lock = NULL, dropping the anon's reference on the lock object (seed F:614-615). */
export function anonClearLock(anon: Anon): void {
  if (anon.lock === null) return;
  mutexRelease(anon.lock);
  anon.lock = null;
}

/**
 * uvm_anon_release: the busier of a RELEASED anon page frees page and anon.
 * Requires: anon locked, no references, page owned by the anon, not loaned.
 * Ensures: the anon's lock released.
 */
export function anonRelease(uvm: Uvm, anon: Anon): void {
  const page = anon.page;
  const lock = anon.lock;
  assert(page !== null, () => `uvm_anon_release: anon ${anon.id} has no page`);
  assert(lock !== null, () => `uvm_anon_release: anon ${anon.id} has no lock`);
  assert(anon.references === 0, () => `uvm_anon_release: anon ${anon.id} still referenced`);
  assert(page.loanCount === 0, () => `uvm_anon_release: ${page.describe()} still on loan`);
  assert(page.object === null, () => `uvm_anon_release: ${page.describe()} still owned by an object`);
  assert(page.anon === anon, () => `uvm_anon_release: ${page.describe()} not the anon's own`);
  lockPageQueues(uvm);
  pageFree(uvm, page);
  unlockPageQueues(uvm);
  anonDropSwap(uvm, anon);
  mutexExit(uvm, lock);
  mutexRelease(lock);
  anonClearLock(anon);
  anonFreeStructure(uvm, anon);
}

/** uvm_anon_dropswap: frees the anon's swap slot, if any (a bad slot stays bad). */
export function anonDropSwap(uvm: Uvm, anon: Anon): void {
  if (anon.swapSlot === NO_SWAP_SLOT) return;
  swapFree(uvm, anon.swapSlot);
  anon.swapSlot = NO_SWAP_SLOT;
}

/**
 * A loan met `anon` borrowing the page it wants to lend while the anon's disposal sleeps in
 * uvm_anon_lockloanpg with the anon unlocked. The seed lends the dying anon again (references
 * back from zero; the disposal then frees it anyway). Ours sleeps until the disposal has let
 * go of the page, then the loan looks the page up again and lends it through a new anon
 * (found by uvmcheck with threads; variant seed-loan-revives-dying-anon).
 * Requires: nothing locked.
 */
export function* awaitDisposal(uvm: Uvm, anon: Anon): Sleepy<void> {
  uvm.coverage.hit("loan.awaitDisposal");
  yield* sleep({ kind: "disposalWait", site: "L uvm_loanuobj/uvm_loanzero dying borrower", anon });
}

/**
 * uvm_anon_lockloanpg: makes sure the real owner of a loaned anon page is known and locked.
 * Requires: anon locked. Ensures: returns `anon.page` (which may have changed); if it has an
 * object, that object is locked; an orphaned O->A page has been adopted (PQ_ANON, one loan
 * less). May pause, releasing the anon's lock (bug F15, interleaving U3).
 */
export function* anonLockLoanPage(uvm: Uvm, anon: Anon): Sleepy<Page | null> {
  const lock = anon.lock;
  assert(lock !== null, () => `uvm_anon_lockloanpg: anon ${anon.id} has no lock`);
  assert(mutexOwned(uvm, lock), () => `uvm_anon_lockloanpg: anon ${anon.id} not locked`);
  for (;;) {
    const page = anon.page;
    if (page === null || page.loanCount === 0) return page;
    if (page.object !== null) {
      if (mutexTryEnter(uvm, page.object.lock)) return page;
      mutexExit(uvm, lock);
      yield* sleep({ kind: "pause", site: "U3 uvm_anon_lockloanpg", keepsMaps: true });
      mutexEnter(uvm, lock);
      continue;
    }
    if ((page.pqFlags & PQ_ANON) === 0) {
      lockPageQueues(uvm);
      page.pqFlags |= PQ_ANON;
      page.loanCount--;
      unlockPageQueues(uvm);
    }
    return page;
  }
}
