//! The page layer (uvm_page.c): allocation, freeing, busy/wire bookkeeping and the paging
//! queues.
//!
//! `pageAlloc` never sleeps: it returns null when no frame is free (the caller decides
//! between uvm_wait and ENOMEM). A new page is PG_BUSY|PG_CLEAN|PG_FAKE, owned by the
//! calling thread, on no queue. `pageFree` of a loaned page does not free it: the loan keeps
//! it alive as an orphan (uvm_pagefree's loan branch, checked against uvm_page.c 1.182).
//!
//! Queues follow the clock policy: `activate` and `enqueue` append to the active tail and are
//! no-ops for wired pages; `deactivate` appends to the inactive tail and clears the
//! referenced bit; a wired page is on no queue. Every queue operation requires the page
//! queue lock (uvm_pageqlock), as in uvm_page.c; so does freeing a queued page.

import { assert } from "../../vocabulary/assert.ts";
import { mutexEnter, mutexExit, mutexOwned } from "./lock.ts";
import type { Anon } from "./anon.ts";
import type { UvmObject } from "./object.ts";
import { PG_BUSY, PG_CLEAN, PG_FAKE, PG_PAGEOUT, PG_RELEASED, PG_WANTED, type Page, PQ_ANON, PQ_AOBJ } from "./page.ts";
import type { Uvm } from "./uvm.ts";

export type PageOwner = { readonly object: UvmObject; readonly offset: number } | { readonly anon: Anon } | null;

/** uvm_pagealloc. Ensures: a BUSY|CLEAN|FAKE page owned as asked (zeroed and not CLEAN with `zero`), or null. */
export function pageAlloc(uvm: Uvm, owner: PageOwner, options: { readonly zero?: boolean } = {}): Page | null {
  const frame = uvm.machine.memory.allocate();
  if (frame === null) {
    uvm.coverage.hit("alloc.failure");
    return null;
  }
  const page = uvm.pageOfFrame(frame);
  assert(!page.allocated, () => `uvm_pagealloc: ${page.describe()} handed out twice`);
  page.allocated = true;
  page.flags = PG_BUSY | PG_CLEAN | PG_FAKE;
  page.busyOwner = uvm.thread;
  page.busyEpoch++;
  page.pqFlags = 0;
  page.queue = "none";
  page.loanCount = 0;
  page.wireCount = 0;
  page.object = null;
  page.offset = 0;
  page.anon = null;
  uvm.machine.mmu.resetBits(frame);
  if (owner !== null && "anon" in owner) {
    owner.anon.page = page;
    page.anon = owner.anon;
    page.pqFlags = PQ_ANON;
  } else if (owner !== null) {
    insertIntoObject(owner.object, page, owner.offset);
  }
  if (options.zero === true) {
    uvm.machine.memory.zero(frame);
    page.flags &= ~PG_CLEAN;
  }
  uvm.events?.push({ kind: "alloc", frame, zeroed: options.zero === true });
  return page;
}

function insertIntoObject(object: UvmObject, page: Page, offset: number): void {
  assert(!object.pages.has(offset), () => `uvm_pageinsert: ${object.name} already has a page at ${offset}`);
  page.object = object;
  page.offset = offset;
  object.pages.set(offset, page);
}

function removeFromObject(page: Page): void {
  const object = page.object;
  assert(object !== null, () => `uvm_pageremove: ${page.describe()} has no object`);
  assert(object.pages.get(page.offset) === page, () => `uvm_pageremove: ${object.name} does not hold ${page.describe()}`);
  object.pages.delete(page.offset);
  page.object = null;
}

/** uvm_pagefree. Requires: no translation maps the page; owner locked. A loaned page becomes an orphan instead. */
export function pageFree(uvm: Uvm, page: Page): void {
  assert(page.allocated, () => `uvm_pagefree: ${page.describe()} already free`);
  assert((page.flags & PG_PAGEOUT) === 0, () => `uvm_pagefree: ${page.describe()} under pageout`);
  assert(uvm.machine.mmu.reverseEntries(page.frame).length === 0, () => `uvm_pagefree: ${page.describe()} still mapped`);
  assert(page.queue === "none" || pageQueuesLocked(uvm), () => `uvm_pagefree: ${page.describe()} queued and uvm_pageqlock not held`);
  if (page.loanCount > 0) {
    assert(page.wireCount === 0, () => `uvm_pagefree: loaned ${page.describe()} is wired`);
    if (page.object !== null) {
      removeFromObject(page);
      page.flags &= ~PG_CLEAN;
      page.pqFlags &= ~PQ_AOBJ; // uvm_page.c leaves PQ_AOBJ on the orphan (pager notes S3)
    } else if (page.anon !== null) {
      if ((page.pqFlags & PQ_ANON) === 0) page.loanCount--;
      else page.pqFlags &= ~PQ_ANON;
      page.anon.page = null;
      page.anon = null;
    }
    page.flags &= ~(PG_WANTED | PG_BUSY | PG_RELEASED);
    page.busyOwner = null;
    if (page.loanCount > 0) {
      assert(page.object === null, () => `uvm_pagefree: orphan ${page.describe()} still in an object`);
      if (page.anon === null) pageDequeue(uvm, page); // an ownerless orphan leaves the queues
      return;
    }
  }
  if (page.object !== null) removeFromObject(page);
  else if (page.anon !== null) {
    if (page.anon.page === page) page.anon.page = null;
    page.anon = null;
  }
  pageDequeue(uvm, page);
  page.wireCount = 0;
  page.flags = 0;
  page.pqFlags = 0;
  page.busyOwner = null;
  page.allocated = false;
  uvm.events?.push({ kind: "free", frame: page.frame });
  uvm.machine.memory.release(page.frame);
}

/** Sets PG_BUSY on behalf of the running thread (invariant G1: one busier). */
export function pageSetBusy(uvm: Uvm, page: Page): void {
  assert(!page.busy, () => `busy: ${page.describe()} already BUSY`);
  page.flags |= PG_BUSY;
  page.busyOwner = uvm.thread;
  page.busyEpoch++;
}

/** Clears `bits` (which include PG_BUSY) as the busier does: only the busier may. */
export function pageClearBusy(uvm: Uvm, page: Page, bits: number = PG_BUSY | PG_WANTED): void {
  assert((bits & PG_BUSY) !== 0, "pageClearBusy: must clear PG_BUSY");
  assert(page.busy, () => `unbusy: ${page.describe()} not BUSY`);
  assert(page.busyOwner === uvm.thread, () => `unbusy: ${page.describe()} busied by thread ${page.busyOwner}, cleared by ${uvm.thread}`);
  page.flags &= ~bits;
  page.busyOwner = null;
}

/** wakeup(pg): waiters are resumed by the scheduler when the page is no longer BUSY. */
export function wakeupPage(_uvm: Uvm, page: Page): void {
  assert(page.allocated || page.loanCount > 0, () => `wakeup: ${page.describe()} is free`);
}

/** uvm_page_unbusy for one page: wakes waiters; a RELEASED page is freed. */
export function pageUnbusy(uvm: Uvm, page: Page): void {
  assert(page.busy, () => `uvm_page_unbusy: ${page.describe()} not BUSY`);
  assert((page.flags & PG_PAGEOUT) === 0, () => `uvm_page_unbusy: ${page.describe()} under pageout`);
  if ((page.flags & PG_WANTED) !== 0) wakeupPage(uvm, page);
  if ((page.flags & PG_RELEASED) !== 0) {
    assert(page.object !== null || (page.anon !== null && page.anon.references > 0), () => `uvm_page_unbusy: released ${page.describe()} of a dead anon`);
    pageClearBusy(uvm, page, PG_BUSY | PG_WANTED | PG_RELEASED);
    pageFree(uvm, page);
    return;
  }
  assert((page.flags & PG_FAKE) === 0, () => `uvm_page_unbusy: ${page.describe()} still FAKE`);
  pageClearBusy(uvm, page);
}

/** uvm_pagewire: the first wiring takes the page off the queues. */
export function pageWire(uvm: Uvm, page: Page): void {
  assertPageQueuesLocked(uvm);
  if (page.wireCount === 0) pageDequeue(uvm, page);
  page.wireCount++;
}

/** uvm_pageunwire: the last unwiring puts the page back on the active queue. */
export function pageUnwire(uvm: Uvm, page: Page): void {
  assertPageQueuesLocked(uvm);
  assert(page.wireCount > 0, () => `uvm_pageunwire: ${page.describe()} not wired`);
  page.wireCount--;
  if (page.wireCount === 0) pageActivate(uvm, page);
}

export function pageActivate(uvm: Uvm, page: Page): void {
  assertPageQueuesLocked(uvm);
  if (page.wireCount > 0) return;
  pageDequeue(uvm, page);
  uvm.activeQueue.add(page);
  page.queue = "active";
}

/**
 * A pager queues a page it has just allocated and filled, BUSY as it is (the page daemon
 * skips BUSY pages). Our fix: genfs_getpages and uao_get leave the pages a caller asked for
 * on no queue ("activating it is the caller's job"), and the seeds' callers that give such
 * a page up without mapping or lending it (a promotion's source, F:2079-2089; its ENOMEM
 * path, F:632; the pages uvm_loanuobjpages got and did not lend, L:486, L:541-542) leave it
 * there, out of the page daemon's sight for good. Requires: the owner locked.
 */
export function pagerQueue(uvm: Uvm, page: Page): void {
  lockPageQueues(uvm);
  pageActivate(uvm, page);
  unlockPageQueues(uvm);
}

/** uvm_pageenqueue: the clock policy treats it as activate. */
export function pageEnqueue(uvm: Uvm, page: Page): void {
  pageActivate(uvm, page);
}

export function pageDeactivate(uvm: Uvm, page: Page): void {
  assertPageQueuesLocked(uvm);
  assert(page.wireCount === 0, () => `uvm_pagedeactivate: ${page.describe()} is wired`);
  if (page.queue === "inactive") return;
  pageDequeue(uvm, page);
  uvm.machine.mmu.clearReference(page.frame);
  uvm.inactiveQueue.add(page);
  page.queue = "inactive";
}

export function pageDequeue(uvm: Uvm, page: Page): void {
  if (page.queue === "none") return;
  assertPageQueuesLocked(uvm);
  if (page.queue === "active") uvm.activeQueue.delete(page);
  else uvm.inactiveQueue.delete(page);
  page.queue = "none";
}

/** uvm_pagereplace: `replacement` takes `old`'s place in its object. */
export function pageReplace(old: Page, replacement: Page): void {
  const object = old.object;
  assert(object !== null, () => `uvm_pagereplace: ${old.describe()} has no object`);
  assert(replacement.object === null, () => `uvm_pagereplace: ${replacement.describe()} already in an object`);
  const offset = old.offset;
  removeFromObject(old);
  insertIntoObject(object, replacement, offset);
}

/** uvm_pagecopy: the destination becomes dirty. */
export function pageCopy(uvm: Uvm, source: Page, destination: Page): void {
  uvm.machine.memory.copy(source.frame, destination.frame);
  uvm.events?.push({ kind: "copy", from: source.frame, to: destination.frame });
  destination.flags &= ~PG_CLEAN;
}

export function lockPageQueues(uvm: Uvm): void {
  mutexEnter(uvm, uvm.pageQueueLock);
}

export function unlockPageQueues(uvm: Uvm): void {
  mutexExit(uvm, uvm.pageQueueLock);
}

export function pageQueuesLocked(uvm: Uvm): boolean {
  return mutexOwned(uvm, uvm.pageQueueLock);
}

function assertPageQueuesLocked(uvm: Uvm): void {
  assert(pageQueuesLocked(uvm), "page queue operation without uvm_pageqlock");
}
