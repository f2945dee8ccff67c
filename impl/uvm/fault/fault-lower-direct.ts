//! Case 2A (seed F:1931-2019): map the object's page itself.
//!
//! Through a copy-on-write entry, or while the object needs write faults (a clean vnode),
//! the page is mapped without WRITE. A loaned page is mapped read-only on a read; on a write
//! the loan is broken first, so the object gets a fresh page and the loan holders keep the
//! old one. If that break cannot get memory the fault waits and starts over; the seed went
//! on regardless (catalog F1), mapping the still-loaned page writable.

import { assert } from "../../../vocabulary/assert.ts";
import { PROT_WRITE } from "../../../vocabulary/protection.ts";
import type { Status } from "../errors.ts";
import { loanBreak } from "../loan/loan-break.ts";
import type { UvmObject } from "../object.ts";
import { pageClearBusy, wakeupPage } from "../page-allocator.ts";
import { type Page, PG_BUSY, PG_WANTED } from "../page.ts";
import { uvmReclaimable, uvmWait } from "../page-daemon.ts";
import type { Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";
import type { FaultContext } from "./fault-context.ts";
import { type FaultInfo, faultUnlockAll } from "./fault-info.ts";
import { faultLowerEnter } from "./fault-lower-enter.ts";

/** uvm_fault_lower_direct (F:1931-1968). Requires: maps, amap, object locked; `objectPage` BUSY. */
export function* faultLowerDirect(uvm: Uvm, info: FaultInfo, fault: FaultContext, object: UvmObject, objectPage: Page): Sleepy<Status> {
  uvm.coverage.hit("fault.2A");
  const copyOnWrite = info.currentEntry.copyOnWrite && !uvm.planted("canary-cow-object-writable");
  if (copyOnWrite || objectPage.object!.needsWriteFault()) fault.enterProt &= ~PROT_WRITE; // F:1949-1951
  let page = objectPage;
  if (objectPage.loanCount > 0) {
    const loan = yield* faultLowerDirectLoan(uvm, info, fault, object, objectPage);
    if (loan.status !== 0) return loan.status; // the seed ignores this (F:1961-1963, catalog F1)
    page = loan.page;
  }
  assert(page.busy, `uvm_fault_lower_direct: ${page.describe()} not BUSY`); // F:1966
  return yield* faultLowerEnter(uvm, info, fault, object, null, page);
}

/** uvm_fault_lower_direct_loan (F:1977-2019). */
function* faultLowerDirectLoan(uvm: Uvm, info: FaultInfo, fault: FaultContext, object: UvmObject, objectPage: Page): Sleepy<{ status: Status; page: Page }> {
  if (!fault.cowNow) {
    uvm.coverage.hit("fault.lowerLoan.readOnly");
    fault.enterProt &= ~PROT_WRITE;
    return { status: 0, page: objectPage };
  }
  const page = loanBreak(uvm, objectPage);
  if (page !== null) return { status: 0, page };
  if ((objectPage.flags & PG_WANTED) !== 0) wakeupPage(uvm, objectPage);
  pageClearBusy(uvm, objectPage, PG_BUSY | PG_WANTED);
  faultUnlockAll(uvm, info, info.currentEntry.amap, object);
  if (!uvm.planted("seed-F16") && !uvmReclaimable(uvm)) return { status: "ENOMEM", page: objectPage };
  yield* uvmWait(uvm, "flt_noram4");
  return { status: "ERESTART", page: objectPage };
}
