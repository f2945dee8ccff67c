//! Map re-validation (D:713-781): a fault that let go of the map for pager I/O looks the
//! entry up again if the map's timestamp moved meanwhile. A fork in progress, a failed
//! lookup, or a different (object, index) throw the work away; otherwise the protection
//! may only shrink (`prot &= retry_prot`).
//!
//! Without threads nothing changes the map while a fault waits, so the timestamp never
//! moves here; the phase is kept whole so the seed and this code read side by side.

import { PROT_WRITE } from "../../../vocabulary/protection.ts";
import { vmMapLookup } from "../vm-map-lookup.ts";
import type { Vm } from "../vm.ts";
import { type FaultState, type FaultStep, releasePage, unlockAndDeallocate } from "./fault-state.ts";

/** Ensures: null (go on to install, `fs.prot` possibly reduced), or the fault's result or RetryFault. */
export function faultRevalidate(vm: Vm, fs: FaultState, va: number): FaultStep | null {
  if (fs.lookupStillValid || fs.map.timestamp === fs.mapGeneration) return null; // D:713-714
  vm.coverage.hit("fault.revalidate");
  if (fs.map.inFork) {
    releasePage(fs); // D:735-739
    unlockAndDeallocate(vm, fs);
    return "RetryFault";
  }
  const retry = vmMapLookup(vm, fs.map, va, fs.faultType & ~PROT_WRITE); // D:749-751
  if (retry.status !== "KERN_SUCCESS") {
    vm.coverage.hit("fault.revalidateFailure");
    releasePage(fs); // D:759-763
    unlockAndDeallocate(vm, fs);
    return retry.status;
  }
  fs.lookupStillValid = true; // D:764
  if (retry.object !== fs.firstObject || retry.pindex !== fs.firstPindex) {
    vm.coverage.hit("fault.revalidateRetry");
    releasePage(fs); // D:766-771
    unlockAndDeallocate(vm, fs);
    return "RetryFault";
  }
  fs.prot &= retry.prot; // D:780
  fs.wired = retry.wired;
  return null;
}
