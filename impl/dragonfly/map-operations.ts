//! The map operations behind mmap, munmap, mprotect, minherit, madvise, mlock and munlock
//! (vm_map.c, vm_mmap.c, DragonFly 2004). Each takes the map's write lock (timestamp bump).
//! Range semantics follow the model (semantic decision 4): holes are skipped, except by
//! mlock and munlock (vm_map_user_pageable), which refuse them.

import { assert } from "../../vocabulary/assert.ts";
import type { Advice, Inheritance, ProtectionBits } from "../../vocabulary/protection.ts";
import { PROT_NONE, PROT_WRITE } from "../../vocabulary/protection.ts";
import { vmFaultUnwire, vmFaultUserWire } from "./vm-fault-wire.ts";
import type { FaultStatus } from "./fault/fault-state.ts";
import { vmMapClipRange, vmMapFindSpace, vmMapInsert, vmMapLock, vmMapLookupEntry, vmMapUnlink, type VmMap, VmMapEntry } from "./vm-map.ts";
import { type VmObject, vmObjectAllocate, vmObjectDeallocate, vmObjectReference } from "./vm-object.ts";
import type { Sleepy } from "./vm-sleep.ts";
import type { Vm } from "./vm.ts";

export interface MmapRequest {
  readonly pages: number;
  readonly protection: ProtectionBits;
  readonly maxProtection: ProtectionBits;
  readonly file: { readonly object: VmObject; readonly offset: number } | null;
  readonly reserved: boolean;
  readonly shared: boolean;
  readonly inheritance: Inheritance;
  readonly advice: Advice;
}

/** vm_mmap + vm_map_insert: the start of the new entry, or null (no room). */
export function vmMmap(vm: Vm, map: VmMap, request: MmapRequest): number | null {
  vmMapLock(map);
  const start = vmMapFindSpace(map, request.pages);
  if (start === null) return null;
  let object: VmObject | null = null;
  let offset = 0;
  if (request.file !== null) {
    object = request.file.object;
    vmObjectReference(object);
    offset = request.file.offset;
  } else if (request.shared && !request.reserved) {
    object = vmObjectAllocate(vm, "default", request.pages);
    object.sharedMapping = true;
  }
  const copyOnWrite = !request.shared && !request.reserved;
  vmMapInsert(
    map,
    new VmMapEntry(
      start,
      start + request.pages,
      request.protection,
      request.maxProtection,
      request.inheritance,
      request.advice,
      object,
      offset,
      copyOnWrite,
      request.reserved,
    ),
  );
  return start;
}

/** vm_map_delete: every entry of the range unwired, unmapped, unlinked, its object dropped. */
export function vmMapDelete(vm: Vm, map: VmMap, start: number, end: number): void {
  vmMapLock(map);
  for (const entry of vmMapClipRange(vm, map, start, end)) {
    if (entry.wiredCount > 0) {
      entry.wiredCount = 0;
      entry.userWired = false;
      vmFaultUnwire(vm, map, entry.start, entry.end);
    }
    map.pmap.remove(entry.start, entry.end);
    vmMapUnlink(map, entry);
    vmObjectDeallocate(vm, entry.object);
  }
}

/** vm_map_protect: EACCES (nothing changed) if the new protection exceeds an entry's max. */
export function vmMapProtect(vm: Vm, map: VmMap, start: number, end: number, protection: ProtectionBits): "KERN_SUCCESS" | "KERN_PROTECTION_FAILURE" {
  vmMapLock(map);
  const overlapping = map.entries.filter((entry) => entry.start < end && start < entry.end);
  if (overlapping.some((entry) => (protection & ~entry.maxProtection) !== 0)) return "KERN_PROTECTION_FAILURE";
  for (const entry of vmMapClipRange(vm, map, start, end)) {
    entry.protection = protection;
    map.pmap.protect(entry.start, entry.end, entry.needsCopy ? protection & ~PROT_WRITE : protection);
  }
  return "KERN_SUCCESS";
}

export function vmMapInherit(vm: Vm, map: VmMap, start: number, end: number, inheritance: Inheritance): void {
  vmMapLock(map);
  for (const entry of vmMapClipRange(vm, map, start, end)) entry.inheritance = inheritance;
}

export function vmMapMadvise(vm: Vm, map: VmMap, start: number, end: number, advice: Advice): void {
  vmMapLock(map);
  for (const entry of vmMapClipRange(vm, map, start, end)) entry.advice = advice;
}

export type PageableStatus = "ok" | "EINVAL" | "ENOMEM" | FaultStatus;

/** The holes rule of vm_map_user_pageable: a range starting in a hole is ENOMEM, a later hole EINVAL. */
function holeRefusal(map: VmMap, start: number, end: number): "ENOMEM" | "EINVAL" | null {
  if (vmMapLookupEntry(map, start) === null) return "ENOMEM";
  for (let va = start; va < end; va++) if (vmMapLookupEntry(map, va) === null) return "EINVAL";
  return null;
}

/**
 * vm_map_user_pageable(map, start, end, FALSE): wire the range (mlock). The entries are in
 * transition while their pages are faulted in (the map unlocked, the timestamp bumped):
 * other threads' changes of the map wait (vmMapTransitionWait), their faults do not.
 */
export function* vmMapUserWire(vm: Vm, map: VmMap, start: number, end: number): Sleepy<PageableStatus> {
  const hole = holeRefusal(map, start, end);
  if (hole !== null) return hole;
  vmMapLock(map);
  const entries = vmMapClipRange(vm, map, start, end);
  if (entries.some((entry) => entry.protection === PROT_NONE)) return "EINVAL";
  const wiring = entries.filter((entry) => !entry.userWired);
  for (const entry of wiring) {
    entry.wiredCount++;
    entry.userWired = true;
  }
  assert(map.transitionOwner === null, () => `vm_map_user_pageable: ${map.name} already in transition`);
  map.transitionOwner = vm.thread;
  map.timestamp++; // vm_map.c 1741: unlocked for the faults
  try {
    return yield* wireEntries(vm, map, wiring);
  } finally {
    map.transitionOwner = null;
  }
}

/** The faults of vm_map_user_pageable, entry by entry; on a failure every entry of `wiring` is unwired again. */
function* wireEntries(vm: Vm, map: VmMap, wiring: readonly VmMapEntry[]): Sleepy<PageableStatus> {
  for (const [index, entry] of wiring.entries()) {
    const status = yield* vmFaultUserWire(vm, map, entry.start, entry.end);
    if (status === "KERN_SUCCESS") continue;
    for (const [undone, other] of wiring.entries()) {
      if (undone < index) vmFaultUnwire(vm, map, other.start, other.end);
      other.wiredCount--;
      other.userWired = false;
    }
    return status;
  }
  return "ok";
}

/** vm_map_user_pageable(map, start, end, TRUE): unwire (munlock); EINVAL unless all of it is wired. */
export function vmMapUserUnwire(vm: Vm, map: VmMap, start: number, end: number): PageableStatus {
  const hole = holeRefusal(map, start, end);
  if (hole !== null) return hole;
  vmMapLock(map);
  const entries = vmMapClipRange(vm, map, start, end);
  if (entries.some((entry) => !entry.userWired)) return "EINVAL";
  for (const entry of entries) {
    entry.wiredCount--;
    entry.userWired = false;
    if (entry.wiredCount === 0) vmFaultUnwire(vm, map, entry.start, entry.end);
  }
  return "ok";
}
