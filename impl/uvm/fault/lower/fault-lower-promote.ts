//! Case 2B (seed F:2029-2108): promote the object's page (copy-on-write) or zeroes (ZFOD)
//! into a new anon in the amap. In a shared amap every other mapping of the object page is
//! removed, so the processes sharing the amap refault onto the new anon (F:2072-2077).

import { assert } from "../../../../vocabulary/assert.ts";
import type { Status } from "../../errors.ts";
import { DONTCARE, type UvmObject } from "../../object.ts";
import { pageClearBusy, wakeupPage } from "../../page-allocator.ts";
import { type Page, PG_BUSY, PG_WANTED } from "../../page.ts";
import type { Sleepy } from "../../sleep.ts";
import type { Uvm } from "../../uvm.ts";
import type { FaultContext } from "../fault-context.ts";
import type { FaultInfo } from "../fault-info.ts";
import { faultLowerEnter } from "./fault-lower-enter.ts";
import { promote } from "../promote.ts";

/** uvm_fault_lower_promote. Requires: maps, amap, object (if any) locked; `objectPage` BUSY or DONTCARE (zero fill). */
export function* faultLowerPromote(
  uvm: Uvm,
  info: FaultInfo,
  fault: FaultContext,
  object: UvmObject | null,
  objectPage: Page | typeof DONTCARE,
): Sleepy<Status> {
  const amap = info.currentEntry.amap;
  assert(amap !== null, "uvm_fault_lower_promote: no amap"); // F:2040
  const promoted = yield* promote(uvm, info, fault, objectPage === DONTCARE ? { kind: "zero" } : { kind: "object", page: objectPage });
  if (promoted.status !== 0) return promoted.status;
  const anon = promoted.anon;
  if (objectPage !== DONTCARE) {
    uvm.coverage.hit("fault.2B.copy");
    assert(objectPage.busy, () => `uvm_fault_lower_promote: ${objectPage.describe()} not BUSY`); // F:2062
    if (amap.shared) {
      uvm.coverage.hit("fault.sharedAmapPromote");
      uvm.machine.mmu.pageProtect(objectPage.frame, 0); // F:2072-2077
    }
    if ((objectPage.flags & PG_WANTED) !== 0) wakeupPage(uvm, objectPage);
    pageClearBusy(uvm, objectPage, PG_BUSY | PG_WANTED);
  } else {
    uvm.coverage.hit("fault.2B.zero");
  }
  return yield* faultLowerEnter(uvm, info, fault, object, anon, anon.page!);
}
