//! Map re-validation (D:713-781): a fault that let go of the map for pager I/O looks the
//! entry up again if the map's timestamp moved meanwhile. A fork in progress, a failed
//! lookup, or a different (object, index) throw the work away; otherwise the protection
//! may only shrink (`prot &= retry_prot`).
//!
//! The map moves while a fault sleeps in the pager (DW4) and another thread unmaps,
//! protects, forks or shadows. The seed goes on with the entry it looked up first, which
//! may have been unlinked meanwhile (bug F26): pmap_prefault then enters pages by its old
//! bounds. We go on with the entry the re-lookup found (variant seed-F26-stale-entry).

import { PROT_WRITE } from "../../../vocabulary/protection.ts";
import { VM_PROT_OVERRIDE_WRITE, vmMapLookup } from "../vm-map-lookup.ts";
import type { Vm } from "../vm.ts";
import { type FaultState, type FaultStep, releasePage, unlockAndDeallocate } from "./fault-state.ts";

/**
 * `requested` is the caller's fault type. Ensures: null (go on to install, `fs.prot` possibly
 * reduced), or the fault's result or RetryFault.
 */
export function faultRevalidate(vm: Vm, fs: FaultState, va: number, requested: number): FaultStep | null {
  if (fs.lookupStillValid || fs.map.timestamp === fs.mapGeneration) return null; // D:713-714
  vm.coverage.hit("fault.revalidate");
  if (fs.map.inFork) {
    releasePage(fs); // D:735-739
    unlockAndDeallocate(vm, fs);
    return "RetryFault";
  }
  // Found by uvmcheck: the seed looks up with fault_type, which lost VM_PROT_OVERRIDE_WRITE;
  // a user wire of a write-only private entry then fails with KERN_PROTECTION_FAILURE.
  const override = vm.seedBehaviour("seed-revalidate-drops-override") ? 0 : requested & VM_PROT_OVERRIDE_WRITE;
  const retry = vmMapLookup(vm, fs.map, va, (fs.faultType & ~PROT_WRITE) | override); // D:749-751
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
  if (!vm.seedBehaviour("seed-F26-stale-entry")) fs.entry = retry.entry;
  return null;
}
