//! uvm_fault_lower_enter and uvm_fault_lower_done (seed F:2115-2253): map the page chosen by
//! case 2A or 2B, then wire it (a wire fault; an aobj page also drops its swap copy) or
//! activate it. A pmap_enter failure waits and refaults, or returns ENOMEM when nothing is
//! reclaimable; a promotion already made stays in the amap.

import { assert } from "../../../../vocabulary/assert.ts";
import { PROT_WRITE } from "../../../../vocabulary/protection.ts";
import type { Anon } from "../../anon.ts";
import type { Status } from "../../errors.ts";
import { mutexOwned } from "../../lock.ts";
import type { UvmObject } from "../../object.ts";
import { lockPageQueues, pageActivate, pageClearBusy, pageEnqueue, pageWire, unlockPageQueues, wakeupPage } from "../../page-allocator.ts";
import { type Page, PG_BUSY, PG_CLEAN, PG_FAKE, PG_RDONLY, PG_RELEASED, PG_WANTED, PQ_AOBJ } from "../../page.ts";
import { uvmReclaimable, uvmWait } from "../../page-daemon.ts";
import type { Sleepy } from "../../sleep.ts";
import type { Uvm } from "../../uvm.ts";
import type { FaultContext } from "../fault-context.ts";
import { dropStaleTranslation, type FaultInfo, faultUnlockAll } from "../fault-info.ts";

export function* faultLowerEnter(uvm: Uvm, info: FaultInfo, fault: FaultContext, object: UvmObject | null, anon: Anon | null, page: Page): Sleepy<Status> {
  const amap = info.currentEntry.amap;
  assert(amap === null || mutexOwned(uvm, amap.lock), "uvm_fault_lower_enter: amap not locked"); // F:2133
  assert(object === null || mutexOwned(uvm, object.lock), "uvm_fault_lower_enter: object not locked"); // F:2134
  assert(anon === null || anon.lock === amap?.lock, "uvm_fault_lower_enter: anon not locked by the amap"); // F:2135
  assert(page.busy, () => `uvm_fault_lower_enter: ${page.describe()} not BUSY`); // F:2136
  assert((fault.accessType & PROT_WRITE) === 0 || (page.flags & PG_RDONLY) === 0, () => `uvm_fault_lower_enter: write access to RDONLY ${page.describe()}`); // F:2146
  const prot = (page.flags & PG_RDONLY) !== 0 ? fault.enterProt & ~PROT_WRITE : fault.enterProt;
  const entered = info.map.pmap.enter(info.origVa, page.frame, prot, { canFail: true, wired: fault.wireMapping, access: fault.accessType });
  if (entered !== 0) {
    // F:2155-2195
    uvm.coverage.hit("pmap.enterFailure");
    lockPageQueues(uvm);
    pageEnqueue(uvm, page);
    unlockPageQueues(uvm);
    if ((page.flags & PG_WANTED) !== 0) wakeupPage(uvm, page);
    assert((page.flags & PG_RELEASED) === 0, () => `uvm_fault_lower_enter: ${page.describe()} RELEASED`); // F:2179
    pageClearBusy(uvm, page, PG_BUSY | PG_FAKE | PG_WANTED);
    dropStaleTranslation(uvm, info, page.frame);
    faultUnlockAll(uvm, info, amap, object);
    if (!uvmReclaimable(uvm)) return "ENOMEM";
    yield* uvmWait(uvm, "flt_pmfail2");
    return "ERESTART";
  }
  faultLowerDone(uvm, fault, object, page);
  assert((page.flags & PG_RELEASED) === 0, () => `uvm_fault_lower_enter: ${page.describe()} RELEASED`); // F:2203
  if ((page.flags & PG_WANTED) !== 0) wakeupPage(uvm, page);
  pageClearBusy(uvm, page, PG_BUSY | PG_FAKE | PG_WANTED); // F:2206
  faultUnlockAll(uvm, info, amap, object);
  return 0;
}

/** uvm_fault_lower_done (F:2220-2253). */
function faultLowerDone(uvm: Uvm, fault: FaultContext, object: UvmObject | null, page: Page): void {
  let dropSwap = false;
  lockPageQueues(uvm);
  if (fault.wirePaging) {
    pageWire(uvm, page);
    if ((page.pqFlags & PQ_AOBJ) !== 0) {
      assert(object !== null, "uvm_fault_lower_done: aobj page without its object"); // F:2241
      page.flags &= ~PG_CLEAN;
      dropSwap = true; // F:2243
    }
  } else {
    pageActivate(uvm, page);
  }
  unlockPageQueues(uvm);
  if (dropSwap && object !== null) {
    uvm.coverage.hit("fault.aobjDropSwap");
    object.dropSwap(uvm, page.offset);
  }
}
