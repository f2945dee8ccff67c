//! vm_map_lookup (vm_map.c, DragonFly 2004): from a faulting address to the
//! object and index the fault starts its search at, and the protection it may map with.
//!
//!   1. the entry containing `va`, else KERN_INVALID_ADDRESS
//!   2. prot = OVERRIDE_WRITE ? max_protection : protection; fault_type ⊄ prot → PROTECTION_FAILURE
//!   3. wired entry (and no override): prot = fault_type = protection
//!   4. needs_copy: a write shadows the object now (vm_object_shadow, needs_copy cleared, the
//!      map changed: timestamp bumped); a read maps without WRITE
//!   5. no object yet: a new default object the size of the entry
//!
//! A reserved entry (the simulator's address space without backing) answers
//! KERN_INVALID_ADDRESS after the protection check, so an access gets EFAULT as under UVM.

import { PROT_WRITE, type ProtectionBits } from "../../vocabulary/protection.ts";
import { vmMapLock, type VmMap, type VmMapEntry, vmMapLookupEntry } from "./vm-map.ts";
import { type VmObject, vmObjectAllocate, vmObjectShadow } from "./vm-object.ts";
import type { Vm } from "./vm.ts";

/** VM_PROT_OVERRIDE_WRITE: check against max_protection (a user wire's copy-on-write). */
export const VM_PROT_OVERRIDE_WRITE = 4;

export type LookupResult =
  | { readonly status: "KERN_INVALID_ADDRESS" | "KERN_PROTECTION_FAILURE" }
  | {
      readonly status: "KERN_SUCCESS";
      readonly entry: VmMapEntry;
      readonly object: VmObject;
      readonly pindex: number;
      readonly prot: ProtectionBits;
      readonly wired: boolean;
      readonly faultType: ProtectionBits;
    };

export function vmMapLookup(vm: Vm, map: VmMap, va: number, faultTypeWithFlags: number): LookupResult {
  const entry = vmMapLookupEntry(map, va);
  if (entry === null) return { status: "KERN_INVALID_ADDRESS" };
  const override = (faultTypeWithFlags & VM_PROT_OVERRIDE_WRITE) !== 0;
  let faultType = faultTypeWithFlags & ~VM_PROT_OVERRIDE_WRITE;
  let prot = override ? entry.maxProtection : entry.protection;
  if ((faultType & prot) !== faultType) return { status: "KERN_PROTECTION_FAILURE" };
  if (entry.reserved) return { status: "KERN_INVALID_ADDRESS" };
  const wired = entry.wiredCount !== 0;
  if (wired && !override) {
    prot = entry.protection;
    faultType = prot;
  }
  if (entry.needsCopy) {
    if ((faultType & PROT_WRITE) !== 0) {
      vmMapLock(map); // the lock upgrade: the map changes
      const shadowed = vmObjectShadow(vm, entry.object, entry.offset, entry.pages);
      entry.object = shadowed.object;
      entry.offset = shadowed.offset;
      entry.needsCopy = false;
    } else prot &= ~PROT_WRITE;
  }
  if (entry.object === null) {
    entry.object = vmObjectAllocate(vm, "default", entry.pages);
    entry.offset = 0;
  }
  return { status: "KERN_SUCCESS", entry, object: entry.object, pindex: va - entry.start + entry.offset, prot, wired, faultType };
}
