//! Giving loans back (seed L:935-1042).
//!
//!   uvm_unloananon   one reference less on each anon; an anon nobody references any more
//!                    is freed (an O->A anon just returns its borrowed page to the object)
//!   uvm_unloanpage   one loan less on each page, with the owner try-locked (the page queue
//!                    lock is taken first, against the order). An orphaned O->A page is
//!                    adopted by its anon; an orphan with no loan left is freed.

import { assert } from "../../../vocabulary/assert.ts";
import type { Anon } from "../anon.ts";
import { anonClearLock, anonDispose, anonFreeStructure } from "../anon.ts";
import { type Mutex, mutexEnter, mutexExit, mutexTryEnter } from "../lock.ts";
import { lockPageQueues, pageFree, unlockPageQueues } from "../page-allocator.ts";
import { type Page, PQ_ANON } from "../page.ts";
import { sleep, type Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";

/** How far a return is: the loan's first `returned` items are given back, the rest still held (the heap walks count them). */
export interface ReturnProgress {
  returned: number;
}

/** uvm_unloananon. Requires: nothing locked. */
export function* unloanAnons(uvm: Uvm, anons: readonly Anon[], progress: ReturnProgress = { returned: 0 }): Sleepy<void> {
  for (const anon of anons) {
    const lock = anon.lock!;
    mutexEnter(uvm, lock);
    anon.references--; // L:951
    progress.returned++;
    uvm.coverage.hit("unloan.anon");
    if (anon.references > 0) {
      mutexExit(uvm, lock);
      continue;
    }
    const disposed = yield* anonDispose(uvm, anon);
    mutexExit(uvm, lock);
    if (disposed) {
      anonClearLock(anon);
      anonFreeStructure(uvm, anon);
    }
  }
}

/** uvm_unloanpage. Requires: nothing locked. */
export function* unloanPages(uvm: Uvm, pages: readonly Page[], progress: ReturnProgress = { returned: 0 }): Sleepy<void> {
  lockPageQueues(uvm);
  for (const page of pages) {
    const owner = yield* lockOwnerAgainstOrder(uvm, page);
    assert(page.loanCount > 0, () => `uvm_unloanpage: ${page.describe()} not on loan`); // L:1010
    page.loanCount--; // L:1011
    progress.returned++;
    uvm.coverage.hit("unloan.page");
    if (page.object === null && page.anon !== null && (page.pqFlags & PQ_ANON) === 0) {
      assert(page.loanCount > 0, () => `uvm_unloanpage: orphan ${page.describe()} lost its anon's loan`); // L:1014
      page.loanCount--; // L:1012-1017: the anon's loan becomes ownership
      page.pqFlags |= PQ_ANON;
      uvm.coverage.hit("unloan.adopt");
    }
    if (page.loanCount === 0 && page.object === null && page.anon === null) {
      assert(!page.busy, () => `uvm_unloanpage: freeing BUSY orphan ${page.describe()}`); // L:1020
      pageFree(uvm, page);
      uvm.coverage.hit("unloan.freeOrphan");
    }
    if (owner !== null) mutexExit(uvm, owner);
  }
  unlockPageQueues(uvm);
}

/** L:982-997: try-lock the page's owner; on failure let go of the page queues for a tick and look again. */
function* lockOwnerAgainstOrder(uvm: Uvm, page: Page): Sleepy<Mutex | null> {
  for (;;) {
    const lock = page.object !== null ? page.object.lock : (page.anon?.lock ?? null);
    if (lock === null) return null;
    if (mutexTryEnter(uvm, lock)) return lock;
    unlockPageQueues(uvm);
    yield* sleep({ kind: "pause", site: "L8 unloanpage livelock" });
    lockPageQueues(uvm);
  }
}
