//! Wiring (D:892-1102): vm_fault_user_wire, vm_fault_unwire, vm_fault_copy_entry.
//!
//! vm_fault_user_wire faults every page of the range with VM_FAULT_USER_WIRE; the entry is
//! already wired, so each page is entered wired and taken off the paging queues. Semantic
//! decision 5 (wiring resolves copy-on-write with the max protection) is met by faulting with
//! the entry's max protection and VM_PROT_OVERRIDE_WRITE, the seed's own retry (D:223-225)
//! taken at once; the page is entered with the entry's protection. On a failure the pages
//! wired so far are unwired and the error returned. The faults sleep (DW1-DW4) while the
//! entries are in transition (map-operations.ts): no other thread changes them meanwhile.

import { PROT_READ, PROT_WRITE } from "../../vocabulary/protection.ts";
import { vpn } from "../../vocabulary/units.ts";
import { vmFault } from "./fault/vm-fault.ts";
import { type FaultStatus, VM_FAULT_USER_WIRE } from "./fault/fault-state.ts";
import { VM_PROT_OVERRIDE_WRITE } from "./vm-map-lookup.ts";
import { type VmMap, vmMapLookupEntry } from "./vm-map.ts";
import type { VmObject } from "./vm-object.ts";
import { type VmPage, vmPageUnwire } from "./vm-page.ts";
import type { Sleepy } from "./vm-sleep.ts";
import type { Vm } from "./vm.ts";

/** vm_fault_user_wire (D:935-967). Requires: the entries of `[start, end)` wired. */
export function* vmFaultUserWire(vm: Vm, map: VmMap, start: number, end: number): Sleepy<FaultStatus> {
  vm.coverage.hit("wire.user");
  for (let va = start; va < end; va++) {
    const entry = vmMapLookupEntry(map, va)!;
    const faultType = (entry.maxProtection & (PROT_READ | PROT_WRITE)) | VM_PROT_OVERRIDE_WRITE;
    const status = yield* vmFault(vm, map, va, faultType, VM_FAULT_USER_WIRE);
    if (status !== "KERN_SUCCESS") {
      vmFaultUnwire(vm, map, start, va);
      return status;
    }
  }
  return "KERN_SUCCESS";
}

/**
 * vm_fault_unwire (D:975-1007): every wired page of the range unwired. The seed finds each
 * page through pmap_extract and skips an address without a translation, so a wired page
 * whose translation mprotect(PROT_NONE) removed stays wired for ever (as UVM's F17); here
 * such a page is found through the shadow chain instead.
 */
export function vmFaultUnwire(vm: Vm, map: VmMap, start: number, end: number): void {
  vm.coverage.hit("wire.unwire");
  for (let va = start; va < end; va++) {
    const translation = map.pmap.translation(vpn(va));
    if (vm.seedBehaviour("seed-F36-frame-zero-unmapped") && translation?.frame === 0) continue; // D:993-995 pmap_extract == 0
    if (translation?.wired) {
      map.pmap.unwire(vpn(va)); // D:996
      vmPageUnwire(vm.pageOfFrame(translation.frame)); // D:997
      continue;
    }
    const entry = vmMapLookupEntry(map, va);
    const page = entry === null || entry.object === null ? null : residentPageOf(entry.object, va - entry.start + entry.offset);
    if (page !== null && page.wireCount > 0) vmPageUnwire(page);
  }
}

/** The page a chain walk finds resident at `pindex`, or null. */
function residentPageOf(first: VmObject, pindex: number): VmPage | null {
  let object: VmObject | null = first;
  let index = pindex;
  while (object !== null) {
    const page = object.pages.get(index);
    if (page !== undefined) return page;
    index += object.backingOffset;
    object = object.backingObject;
  }
  return null;
}
