//! Case 2A (seed F:1931-2019): map the object's page itself.
//!
//! Through a copy-on-write entry, or while the object needs write faults (a clean vnode),
//! the page is mapped without WRITE. A loaned page is mapped read-only on a read; on a write
//! (or a wire fault: a wired page is never on loan, bug F7) the loan is broken first, so
//! the object gets a fresh page and the loan holders keep the old one. If that break cannot
//! get memory the fault waits and starts over; the seed went on regardless (bug F1,
//! variant seed-F1), mapping the still-loaned page writable with nothing locked.

import { assert } from "../../../../vocabulary/assert.ts";
import { PROT_WRITE } from "../../../../vocabulary/protection.ts";
import type { Status } from "../../errors.ts";
import { loanBreak } from "../../loan/loan-break.ts";
import type { UvmObject } from "../../object.ts";
import { pageClearBusy, wakeupPage } from "../../page-allocator.ts";
import { type Page, PG_BUSY, PG_WANTED } from "../../page.ts";
import { uvmReclaimable, uvmWait } from "../../page-daemon.ts";
import type { Sleepy } from "../../sleep.ts";
import type { Uvm } from "../../uvm.ts";
import type { FaultContext } from "../fault-context.ts";
import { type FaultInfo, faultUnlockAll } from "../fault-info.ts";
import { faultLowerEnter } from "./fault-lower-enter.ts";

/** uvm_fault_lower_direct (F:1931-1968). Requires: maps, amap, object locked; `objectPage` BUSY. */
export function* faultLowerDirect(uvm: Uvm, info: FaultInfo, fault: FaultContext, object: UvmObject, objectPage: Page): Sleepy<Status> {
  uvm.coverage.hit("fault.2A");
  const copyOnWrite = info.currentEntry.copyOnWrite;
  const needsWriteFault = objectPage.object!.needsWriteFault();
  if (copyOnWrite || needsWriteFault) fault.enterProt &= ~PROT_WRITE; // F:1949-1951
  let page = objectPage;
  if (objectPage.loanCount > 0) {
    const loan = yield* faultLowerDirectLoan(uvm, info, fault, object, objectPage);
    if (loan.status !== 0 && uvm.seedBehaviour("seed-F1")) return enterAfterFailedLoanBreak(info, fault, objectPage);
    if (loan.status !== 0) return loan.status; // the seed ignores this (F:1961-1963, bug F1)
    page = loan.page;
  }
  assert(page.busy, () => `uvm_fault_lower_direct: ${page.describe()} not BUSY`); // F:1966
  return yield* faultLowerEnter(uvm, info, fault, object, null, page);
}

/** uvm_fault_lower_direct_loan (F:1977-2019). */
function* faultLowerDirectLoan(uvm: Uvm, info: FaultInfo, fault: FaultContext, object: UvmObject, objectPage: Page): Sleepy<{ status: Status; page: Page }> {
  if (!fault.cowNow && !(fault.wirePaging && !uvm.seedBehaviour("seed-F7-F8"))) {
    uvm.coverage.hit("fault.lowerLoan.readOnly");
    fault.enterProt &= ~PROT_WRITE; // F:1988-1991
    return { status: 0, page: objectPage };
  }
  const page = loanBreak(uvm, objectPage);
  if (page !== null) return { status: 0, page };
  if ((objectPage.flags & PG_WANTED) !== 0) wakeupPage(uvm, objectPage);
  pageClearBusy(uvm, objectPage, PG_BUSY | PG_WANTED);
  faultUnlockAll(uvm, info, info.currentEntry.amap, object);
  if (!uvm.seedBehaviour("seed-F16") && !uvmReclaimable(uvm)) return { status: "ENOMEM", page: objectPage };
  yield* uvmWait(uvm, "flt_noram4");
  return { status: "ERESTART", page: objectPage };
}

/**
 * Variant seed-F1: what a kernel without DIAGNOSTIC does after F:1962 ignores the failed
 * loan break. Everything is already unlocked and the page unbusied, yet it goes on into
 * uvm_fault_lower_enter: the still-loaned page is entered with the write fault's protection,
 * so the process writes into the page the loan holder reads. (The unlocks of locks not held
 * that follow are skipped: they are undefined behaviour, not something to simulate.)
 */
function enterAfterFailedLoanBreak(info: FaultInfo, fault: FaultContext, page: Page): Status {
  info.map.pmap.enter(info.origVa, page.frame, fault.enterProt, { canFail: false, wired: fault.wireMapping, access: fault.accessType });
  return 0;
}
