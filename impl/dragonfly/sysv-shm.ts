//! SysV shared memory in DragonFly (sys/kern/sysv_shm.c at 6ef943a38b): each segment is an
//! anonymous VM object the segment table holds one reference to.
//!
//!   shmget   vm_pager_allocate(OBJT_SWAP, size) with OBJ_NOSPLIT: here a `default` object
//!            (the kind MAP_SHARED|MAP_ANON gets, which the swap pager turns into swap as
//!            its pages go out), shared-mapped and marked `sysvShm`
//!   shmat    vm_object_reference, vm_map_find of the whole object with prot = maxprot,
//!            then vm_map_inherit(VM_INHERIT_SHARE); advice random as NetBSD's; on failure
//!            the reference is dropped again
//!   shmrm    IPC_RMID: the segment leaves the table and vm_object_deallocate drops its
//!            reference (shm_deallocate_segment), so the object dies with its last mapping
//!
//! Detaching is munmap. The table lives in `vm.shmSegments`, where the heap walks count its
//! references (invariants/object-graph.ts) and the healed check finds what it leaks.

import type { ProtectionBits } from "../../vocabulary/protection.ts";
import { vmMapFindSpace, vmMapInsert, vmMapLock, type VmMap, VmMapEntry } from "./vm-map.ts";
import { type VmObject, vmObjectAllocate, vmObjectDeallocate, vmObjectReference } from "./vm-object.ts";
import type { Vm } from "./vm.ts";

/** shmget_allocate_segment: a new segment of `pages` pages. Returns its id. */
export function shmCreate(vm: Vm, pages: number): number {
  const object = vmObjectAllocate(vm, "default", pages);
  object.sharedMapping = true; // entries write into it directly: never collapsed or bypassed
  object.sysvShm = true;
  const segment = vm.nextShmSegment++;
  vm.shmSegments.set(segment, object);
  vm.coverage.hit("shm.create");
  return segment;
}

/** shmat of `object` into `map`: its first page, or null (no room: ENOMEM). */
export function shmAttach(vm: Vm, map: VmMap, object: VmObject, protection: ProtectionBits): number | null {
  vmObjectReference(object);
  vmMapLock(map);
  const start = vmMapFindSpace(map, object.size);
  if (start === null) {
    vmObjectDeallocate(vm, object);
    return null;
  }
  vmMapInsert(map, new VmMapEntry(start, start + object.size, protection, protection, "share", "random", object, 0, false, false));
  vm.coverage.hit("shm.attach");
  return start;
}

/** shmctl(IPC_RMID): the segment leaves the table and drops its reference. Returns false if there is no such segment. */
export function shmRemove(vm: Vm, segment: number): boolean {
  const object = vm.shmSegments.get(segment);
  if (object === undefined) return false;
  vm.shmSegments.delete(segment);
  vm.coverage.hit("shm.remove");
  vmObjectDeallocate(vm, object);
  return true;
}
