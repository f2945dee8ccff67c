//! Breaking loans on write (seed L:1104-1246).
//!
//! A loaned page is never mapped writable (G8). Before a write lands, the writer moves to a
//! fresh copy and the loan holders keep the old page:
//!
//!   uvm_loanbreak(objectPage)   the object gets a new page in its place; the old page
//!                               becomes an orphan held by its loans (adopted by its anon,
//!                               if an O->A loan exists).
//!   uvm_loanbreak_anon(anon)    the anon gets a new page; the old page is either handed
//!                               back to its object (we were an O->A receiver) or left as an
//!                               orphan for the kernel loans (we were the A->K lender).
//!
//! Neither sleeps: allocation failure is returned to the caller, which waits and refaults.
//!
//! Found by uvmcheck: uvm_loanbreak leaves the orphaned old page PG_CLEAN; after its O->A anon
//! adopts it, the page daemon takes it for a clean anon page with its data on swap, though it
//! has no swap slot, and frees the only copy (a DIAGNOSTIC kernel asserts an_swslot != 0).

import { assert } from "../../../vocabulary/assert.ts";
import type { Anon } from "../anon.ts";
import type { Status } from "../errors.ts";
import { mutexExit, mutexOwned } from "../lock.ts";
import type { UvmObject } from "../object.ts";
import { lockPageQueues, pageActivate, pageAlloc, pageClearBusy, pageCopy, pageDequeue, pageReplace, unlockPageQueues, wakeupPage } from "../page-allocator.ts";
import { type Page, PG_BUSY, PG_CLEAN, PG_FAKE, PG_WANTED, PQ_ANON, PQ_AOBJ } from "../page.ts";
import type { Uvm } from "../uvm.ts";

/**
 * uvm_loanbreak (L:1112-1187). Requires: the object locked, `objectPage` BUSY.
 * Ensures: the new page, BUSY, in the object in place of `objectPage` (now unbusied and
 * orphaned); or null when no frame is free (nothing changed).
 */
export function loanBreak(uvm: Uvm, objectPage: Page): Page | null {
  const object = objectPage.object;
  assert(object !== null, () => `uvm_loanbreak: ${objectPage.describe()} not in an object`); // L:1120
  assert(mutexOwned(uvm, object.lock), () => `uvm_loanbreak: ${objectPage.describe()}'s object not locked`); // L:1121
  assert(objectPage.busy, () => `uvm_loanbreak: ${objectPage.describe()} not BUSY`); // L:1122
  const page = pageAlloc(uvm, null);
  if (page === null) return null;
  uvm.coverage.hit("loanbreak.object");
  pageCopy(uvm, objectPage, page);
  page.flags &= ~PG_FAKE;
  uvm.machine.mmu.pageProtect(objectPage.frame, 0); // L:1140
  if ((objectPage.flags & PG_CLEAN) !== 0 && !uvm.machine.mmu.clearModify(objectPage.frame)) {
    uvm.machine.mmu.clearModify(page.frame);
    page.flags |= PG_CLEAN;
  } else {
    assert((page.flags & PG_CLEAN) === 0, "uvm_loanbreak: copy of a dirty page is CLEAN"); // L:1146
    assert(!object.isClean(), () => `uvm_loanbreak: ${object.name} clean with a dirty page`); // L:1148
  }
  if ((objectPage.flags & PG_WANTED) !== 0) wakeupPage(uvm, objectPage);
  pageClearBusy(uvm, objectPage, PG_WANTED | PG_BUSY);
  lockPageQueues(uvm);
  pageReplace(objectPage, page);
  // The old page now holds its loan holders' data only in memory: an anon that adopts it must
  // not find it CLEAN without a swap slot, or the page daemon frees the only copy. The seed
  // leaves PG_CLEAN set (variant seed-loanbreak-clean); uvm_pagefree's orphan path clears it.
  if (!uvm.seedBehaviour("seed-loanbreak-clean")) objectPage.flags &= ~PG_CLEAN;
  if ((objectPage.pqFlags & PQ_AOBJ) !== 0) {
    // PQ_AOBJ marks an aobj's page: it moves with the object slot (pager notes S3).
    objectPage.pqFlags &= ~PQ_AOBJ;
    page.pqFlags |= PQ_AOBJ;
  }
  if (objectPage.anon === null) pageDequeue(uvm, objectPage);
  pageActivate(uvm, page);
  unlockPageQueues(uvm);
  return page;
}

/**
 * uvm_loanbreak_anon (L:1189-1246). Requires: anon locked; `object` (the lender of an O->A
 * page) null or locked. Ensures: 0 and the anon owns a fresh, idle copy (the object
 * unlocked); or ENOMEM with nothing changed.
 */
export function loanBreakAnon(uvm: Uvm, anon: Anon, object: UvmObject | null): Status {
  assert(anon.lock !== null, () => `uvm_loanbreak_anon: anon ${anon.id} has no lock`); // L:1194
  assert(mutexOwned(uvm, anon.lock), () => `uvm_loanbreak_anon: anon ${anon.id} not locked`); // L:1194
  assert(object === null || mutexOwned(uvm, object.lock), "uvm_loanbreak_anon: object not locked"); // L:1195
  const old = anon.page;
  assert(old !== null, () => `uvm_loanbreak_anon: anon ${anon.id} has no page`);
  const page = pageAlloc(uvm, null);
  if (page === null) return "ENOMEM";
  uvm.coverage.hit("loanbreak.anon");
  pageCopy(uvm, old, page);
  uvm.machine.mmu.pageProtect(old.frame, 0);
  lockPageQueues(uvm);
  old.anon = null;
  old.pqFlags &= ~PQ_ANON; // L:1214-1215: in case we owned
  if (object !== null) old.loanCount--; // L:1217-1226
  else pageDequeue(uvm, old);
  if (object !== null) mutexExit(uvm, object.lock);
  anon.page = page;
  page.anon = anon;
  page.pqFlags |= PQ_ANON;
  pageActivate(uvm, page);
  unlockPageQueues(uvm);
  pageClearBusy(uvm, page, PG_BUSY | PG_FAKE);
  return 0;
}
