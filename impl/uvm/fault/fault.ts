//! uvm_fault_internal (seed F:761-847): the page-fault handler's driver.
//!
//! A short retry loop over the named phases; any phase may answer ERESTART ("redo the whole
//! fault from the map lookup"), which is never returned:
//!
//!   ReFault: check ──▶ upper lookup ──▶ anon at the center? ─yes─▶ upper (case 1)
//!                                                          └─no──▶ lower (case 2)
//!
//! The fault context persists across restarts (see fault-context.ts). A spare anon left
//! over from a promotion that had to wait is freed at the end (F:840-845).

import { assert } from "../../../vocabulary/assert.ts";
import type { ProtectionBits } from "../../../vocabulary/protection.ts";
import type { Vpn } from "../../../vocabulary/units.ts";
import { anonFree } from "../anon.ts";
import type { Status } from "../errors.ts";
import type { VmMap } from "../map.ts";
import { DONTCARE } from "../object.ts";
import type { Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";
import { faultCheck } from "./fault-check.ts";
import { FAULT_MAXPROT, FaultContext } from "./fault-context.ts";
import { FaultInfo } from "./fault-info.ts";
import { faultLower } from "./lower/fault-lower.ts";
import { faultUpper, faultUpperLookup } from "./upper/fault-upper.ts";

/** Resolves a fault at `va` for `access`. Requires: nothing locked. Ensures: nothing locked, nothing left BUSY. */
export function* uvmFault(uvm: Uvm, map: VmMap, va: Vpn, access: ProtectionBits, faultFlags: number): Sleepy<Exclude<Status, "ERESTART">> {
  const fault = new FaultContext(access, faultFlags);
  const maxprot = (faultFlags & FAULT_MAXPROT) !== 0;
  const info = new FaultInfo(map, va, 1);
  let error: Status = "ERESTART";
  for (let pass = 0; error === "ERESTART"; pass++) {
    if (pass > 0) uvm.coverage.hit("fault.restart");
    const check = yield* faultCheck(uvm, info, fault, maxprot);
    error = check.status;
    if (error !== 0) continue;
    const pages = faultUpperLookup(uvm, info, fault, check.anons);
    if (check.anons !== null && pages[fault.centerIndex] === DONTCARE) error = yield* faultUpper(uvm, info, fault, check.anons);
    else error = yield* faultLower(uvm, info, fault, pages);
  }
  if (fault.anonSpare !== null) {
    const spare = fault.anonSpare;
    spare.spareOf = null;
    spare.references--;
    assert(spare.references === 0, () => `uvm_fault: spare anon ${spare.id} still referenced`); // F:842
    assert(spare.lock === null, () => `uvm_fault: spare anon ${spare.id} locked`); // F:843
    yield* anonFree(uvm, spare);
  }
  if (error === "EFAULT") uvm.coverage.hit("fault.efault");
  if (error === "EACCES") uvm.coverage.hit("fault.eacces");
  if (error === "ENOMEM") uvm.coverage.hit("fault.enomem");
  assert(uvm.held.size === 0, "uvm_fault: returned with locks held"); // G2
  return error;
}
