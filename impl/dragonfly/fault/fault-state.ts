//! struct faultstate (D:105-116) and the helpers that let go of what a fault holds
//! (release_page, unlock_map, unlock_things, unlock_and_deallocate: D:118-150).
//!
//! A fault holds, while it searches the shadow chain: the map (until pager I/O lets go of it:
//! `lookupStillValid`), a reference and a paging-in-progress count on the first object, a
//! paging-in-progress count on the object it is looking at, the BUSY page it found or is
//! filling (`m`), and the BUSY placeholder it allocated in the first object (`firstM`).

import { assert } from "../../../vocabulary/assert.ts";
import type { ProtectionBits } from "../../../vocabulary/protection.ts";
import type { VmMap, VmMapEntry } from "../vm-map.ts";
import { type VmObject, vmObjectDeallocate } from "../vm-object.ts";
import { type VmPage, vmPageDeactivate, vmPageFree, vmPageWakeup } from "../vm-page.ts";
import type { Vm } from "../vm.ts";

/** vm_fault's results (KERN_*), and RetryFault as a value. */
export type FaultStatus = "KERN_SUCCESS" | "KERN_PROTECTION_FAILURE" | "KERN_INVALID_ADDRESS" | "KERN_FAILURE" | "KERN_RESOURCE_SHORTAGE";
export type FaultStep = FaultStatus | "RetryFault";

/** fault_flags */
export const VM_FAULT_NORMAL = 0;
export const VM_FAULT_CHANGE_WIRING = 1;
export const VM_FAULT_USER_WIRE = 2;
export const VM_FAULT_WIRE_MASK = VM_FAULT_CHANGE_WIRING | VM_FAULT_USER_WIRE;
export const VM_FAULT_DIRTY = 8;

export class FaultState {
  m: VmPage | null = null;
  object: VmObject;
  pindex: number;
  firstM: VmPage | null = null;
  lookupStillValid = true;
  /** The fault holds its reference on `firstObject` (D:256 until D:881 or a release). */
  referenced = true;
  hardfault = 0;

  constructor(
    readonly map: VmMap,
    /** The entry looked up; the re-validation's entry after a re-lookup (bug F26). */
    public entry: VmMapEntry,
    readonly firstObject: VmObject,
    readonly firstPindex: number,
    public prot: ProtectionBits,
    public wired: boolean,
    public faultType: ProtectionBits,
    readonly mapGeneration: number,
  ) {
    this.object = firstObject;
    this.pindex = firstPindex;
  }
}

/** vm_object_pip_add / vm_object_pip_wakeup */
export function pipAdd(object: VmObject): void {
  object.pagingInProgress++;
}

export function pipWakeup(object: VmObject): void {
  assert(object.pagingInProgress > 0, () => `vm_object_pip_wakeup: ${object.describe()} has none in progress`);
  object.pagingInProgress--;
}

/** release_page (D:118-124): unbusy the current page and deactivate it. */
export function releasePage(fs: FaultState): void {
  const page = fs.m;
  assert(page !== null, "release_page: no page");
  vmPageWakeup(page);
  vmPageDeactivate(page);
  fs.m = null;
}

/** unlock_map (D:126-132) */
export function unlockMap(fs: FaultState): void {
  fs.lookupStillValid = false;
}

/**
 * _unlock_things (D:135-152): the current object's paging count; away from the first
 * object, the placeholder (freed) and the first object's paging count; the map.
 */
export function unlockThings(vm: Vm, fs: FaultState): void {
  pipWakeup(fs.object); // D:138
  if (fs.object !== fs.firstObject) {
    const placeholder = fs.firstM;
    assert(placeholder !== null, "unlock_things: no placeholder in the first object");
    vmPageFree(vm, placeholder); // D:140
    pipWakeup(fs.firstObject);
    fs.firstM = null;
  }
  unlockMap(fs);
}

/** unlock_and_deallocate (D:148-153): unlock_things and the first object's reference. */
export function unlockAndDeallocate(vm: Vm, fs: FaultState): void {
  unlockThings(vm, fs);
  releaseFirstObject(vm, fs);
}

/** vm_object_deallocate(fs->first_object): the fault's reference dropped. */
export function releaseFirstObject(vm: Vm, fs: FaultState): void {
  assert(fs.referenced, () => `vm_fault: ${fs.firstObject.describe()} released twice`);
  fs.referenced = false;
  vmObjectDeallocate(vm, fs.firstObject);
}
