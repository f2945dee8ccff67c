//! uvm_loanzero (seed L:843-932): lend a zero-fill page of an untouched
//! copy-on-write range. There is one zero page, made on first use and never freed; every
//! kernel loan of zeroes lends it, and every loan to anons shares the one anon that borrows
//! it.
//!
//! The seed waits for memory (uvm_wait "loanzero") with no escape when the zero page cannot
//! be allocated (bug F16); here the loan is refused when nothing is reclaimable.


import { assert } from "../../../vocabulary/assert.ts";
import { anonAlloc, awaitDisposal } from "../anon.ts";
import { type FaultInfo, faultRelock, faultUnlockAll } from "../fault/fault-info.ts";
import { Mutex, mutexEnter, mutexExit, mutexOwned, mutexTryEnter } from "../lock.ts";
import { lockPageQueues, pageActivate, pageAlloc, pageClearBusy, unlockPageQueues } from "../page-allocator.ts";
import { type Page, PG_BUSY, PG_FAKE, PG_RDONLY, PG_WANTED } from "../page.ts";
import { uvmReclaimable, uvmWait } from "../page-daemon.ts";
import type { Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";
import type { LoanOutput, LoanStep } from "./loan.ts";

export function* loanZero(uvm: Uvm, info: FaultInfo, output: LoanOutput): Sleepy<LoanStep> {
  const amap = info.currentEntry.amap;
  const zeroObject = uvm.zeroObject!;
  for (;;) {
    mutexEnter(uvm, zeroObject.lock);
    let page = zeroObject.zeroPage;
    if (page === null) {
      page = pageAlloc(uvm, { object: zeroObject, offset: 0 }, { zero: true });
      if (page === null) {
        mutexExit(uvm, zeroObject.lock); // L:860-871
        faultUnlockAll(uvm, info, amap, null);
        if (!uvm.seedBehaviour("seed-F16") && !uvmReclaimable(uvm)) return "refused";
        yield* uvmWait(uvm, "L5 loanzero");
        if (!(yield* faultRelock(uvm, info))) return "again";
        if (amap !== null) mutexEnter(uvm, amap.lock);
        continue;
      }
      pageClearBusy(uvm, page, PG_WANTED | PG_BUSY | PG_FAKE); // L:875-880
      page.flags |= PG_RDONLY; // L:876
      uvm.zeroPageMade = true;
      lockPageQueues(uvm);
      pageActivate(uvm, page);
      unlockPageQueues(uvm);
    }
    assert(page.object === zeroObject, () => `uvm_loanzero: ${page.describe()} is not the zero object's page`);
    return output.to === "kernel" ? lendZeroToKernel(uvm, output, page) : yield* lendZeroToAnon(uvm, info, output, page);
  }
}

function lendZeroToKernel(uvm: Uvm, output: LoanOutput, page: Page): LoanStep {
  assert(mutexOwned(uvm, uvm.zeroObject!.lock), "uvm_loanzero: the zero object is not locked"); // L:883
  lockPageQueues(uvm);
  page.loanCount++; // L:883-891: no write-protect needed, the page is RDONLY
  unlockPageQueues(uvm);
  mutexExit(uvm, uvm.zeroObject!.lock);
  output.pages.push(page);
  uvm.coverage.hit("loan.zeroToKernel");
  return "lent";
}

function* lendZeroToAnon(uvm: Uvm, info: FaultInfo, output: LoanOutput, page: Page): Sleepy<LoanStep> {
  const zeroObject = uvm.zeroObject!;
  const borrower = page.anon;
  if (borrower?.dying && !uvm.seedBehaviour("seed-loan-revives-dying-anon")) {
    mutexExit(uvm, zeroObject.lock);
    faultUnlockAll(uvm, info, info.currentEntry.amap, null);
    yield* awaitDisposal(uvm, borrower);
    return "again";
  }
  if (borrower !== null) {
    const lock = borrower.lock!; // L:899-908; try-lock: F19
    const alreadyHeld = mutexOwned(uvm, lock);
    if (!alreadyHeld && !mutexTryEnter(uvm, lock)) {
      mutexExit(uvm, zeroObject.lock);
      faultUnlockAll(uvm, info, info.currentEntry.amap, null);
      return "again";
    }
    borrower.references++;
    if (!alreadyHeld) mutexExit(uvm, lock);
  } else {
    const anon = anonAlloc(uvm); // L:914-931
    anon.lock = new Mutex(`anon ${anon.id}`, "anon");
    anon.page = page;
    page.anon = anon;
    lockPageQueues(uvm);
    page.loanCount++;
    pageActivate(uvm, page);
    unlockPageQueues(uvm);
  }
  // One zero page and its one borrower serve every zero loan, where the model lends each
  // untouched page as a copy of its own: this loan's new copies cannot be counted as the
  // model counts them (uvm-system.ts copiesMade).
  uvm.copiesMade = Number.NaN;
  mutexExit(uvm, zeroObject.lock);
  output.anons.push(page.anon!);
  uvm.coverage.hit("loan.zeroToAnon");
  return "lent";
}

