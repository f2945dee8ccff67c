//! uvm_loanuobjpages (seed L:503-610): lend a range of an object's pages to
//! the kernel without a mapping, as the NFS server does for zero-copy reads (the `loanFile`
//! command). Pages are fetched with pgo_get(PGO_SYNCIO) in chunks of UVM_LOAN_GET_CHUNK and
//! lent with uvm_loanpage; a page released meanwhile makes the chunk be fetched again; a
//! wired page stops everything (EBUSY) and every loan made is undone.
//!
//! Fixes of bug F4: on a released page the seed indexed its cursor twice and left the
//! already-accepted pages of the chunk BUSY forever; here every page of the chunk fetched
//! and not lent is unbusied (variant seed-F4 restores the seed's indexing), and a failure of
//! uvm_loanpage also unbusies the rest of the chunk.

import { assert } from "../../../vocabulary/assert.ts";
import type { Status } from "../errors.ts";
import { mutexEnter, mutexExit } from "../lock.ts";
import type { UvmObject } from "../object.ts";
import { lockPageQueues, pageUnbusy, unlockPageQueues } from "../page-allocator.ts";
import { type Page, PG_RELEASED } from "../page.ts";
import { sleep, type Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";
import { loanPages } from "./loan-object.ts";
import { giveBack, type LoanInProgress } from "./loan-record.ts";

/** UVM_LOAN_GET_CHUNK */
const CHUNK = 16;

export function* loanObjectPages(uvm: Uvm, object: UvmObject, offset: number, count: number): Sleepy<{ status: Status; pages: Page[] }> {
  const lent: Page[] = [];
  const progress: LoanInProgress = { to: "kernel", pages: lent, anons: [] };
  uvm.loansInProgress.add(progress);
  const result = yield* lendChunks(uvm, object, offset, count, lent);
  uvm.loansInProgress.delete(progress);
  if (result !== 0) {
    yield* giveBack(uvm, { to: "kernel", pages: lent }); // L:606-609
    return { status: result, pages: [] };
  }
  uvm.coverage.hit("loan.objectPages");
  return { status: 0, pages: lent };
}

/** Fetches and lends the pages chunk by chunk into `lent`. Returns 0, or the error that stopped it. */
function* lendChunks(uvm: Uvm, object: UvmObject, offset: number, count: number, lent: Page[]): Sleepy<Status> {
  while (lent.length < count) {
    const chunk = yield* fetchChunk(uvm, object, offset + lent.length, Math.min(CHUNK, count - lent.length));
    if (chunk.status === "EAGAIN") {
      yield* sleep({ kind: "pause", site: "L6 loanuobjpages EAGAIN" });
      continue;
    }
    if (chunk.status !== 0) return chunk.status;
    assert(chunk.pages.length > 0, "uvm_loanuobjpages: an empty chunk"); // L:544
    mutexEnter(uvm, object.lock);
    for (const page of chunk.pages) assert(page.object !== null, () => `uvm_loanuobjpages: ${page.describe()} in no object`); // L:553
    const released = chunk.pages.findIndex((page) => (page.flags & PG_RELEASED) !== 0);
    if (released >= 0) {
      const unbusy = uvm.seedBehaviour("seed-F4") ? chunk.pages.slice(2 * released) : chunk.pages; // L:572-587
      lockPageQueues(uvm);
      for (const page of unbusy) pageUnbusy(uvm, page);
      unlockPageQueues(uvm);
      mutexExit(uvm, object.lock);
      continue;
    }
    const error = yield* loanPages(uvm, chunk.pages);
    mutexExit(uvm, object.lock);
    if (error !== 0) return error;
    lent.push(...chunk.pages);
    assert(lent.length <= count, () => `uvm_loanuobjpages: ${lent.length} pages lent of ${count}`); // L:592, 601
  }
  return 0;
}

/** pgo_get(PGO_SYNCIO) of `count` pages: each comes back BUSY; on an error the ones got so far are unbusied. */
function* fetchChunk(uvm: Uvm, object: UvmObject, offset: number, count: number): Sleepy<{ status: Status; pages: Page[] }> {
  const pages: Page[] = [];
  for (let index = 0; index < count; index++) {
    mutexEnter(uvm, object.lock);
    const got = yield* object.getSync(uvm, offset + index, 1);
    if (got.status !== 0) {
      mutexEnter(uvm, object.lock);
      for (const page of pages) pageUnbusy(uvm, page);
      mutexExit(uvm, object.lock);
      return { status: got.status, pages: [] };
    }
    pages.push(got.page);
  }
  return { status: 0, pages };
}

