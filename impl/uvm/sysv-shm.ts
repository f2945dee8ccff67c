//! SysV shared memory in UVM (sys/kern/sysv_shm.c): each segment is an aobj (aobj.ts) the
//! segment table holds one reference to.
//!
//!   shmget   uao_create(size): a new aobj, its one reference the segment's
//!   shmat    uao_reference, then uvm_map of the whole aobj at the lowest free range with
//!            UVM_MAPFLAG(prot, prot, UVM_INH_SHARE, UVM_ADV_RANDOM, 0): a shared entry,
//!            not copy-on-write, with no amap; on failure uao_detach drops the reference
//!   shmrm    IPC_RMID: the segment leaves the table and its reference is dropped, so the
//!            aobj dies with its last mapping
//!
//! Detaching is munmap (NetBSD's shmdt is uvm_deallocate of the attach range; no attach
//! table is kept). The table lives in `uvm.shmSegments`, where the heap walks count its
//! references (invariants/object-references.ts) and the healed check finds what it leaks.

import type { ProtectionBits } from "../../vocabulary/protection.ts";
import { type Vpn, vpn } from "../../vocabulary/units.ts";
import { AnonymousObject } from "./aobj.ts";
import { mapFindSpace, mapInsertEntry, mapLockForWriting, mapRelease, type VmMap } from "./map.ts";
import { MapEntry } from "./map-entry.ts";
import type { Sleepy } from "./sleep.ts";
import type { Uvm } from "./uvm.ts";

/** shmget_allocate_segment: a new segment of `pages` pages. Returns its id. */
export function shmCreate(uvm: Uvm, pages: number): number {
  const object = new AnonymousObject(uvm.nextObjectId++, pages);
  uvm.liveObjects.add(object);
  const segment = uvm.nextShmSegment++;
  uvm.shmSegments.set(segment, object);
  uvm.coverage.hit("shm.create");
  return segment;
}

/** shmat of `object` into `map`: its first page, or null (no room: ENOMEM). */
export function* shmAttach(uvm: Uvm, map: VmMap, object: AnonymousObject, protection: ProtectionBits): Sleepy<Vpn | null> {
  object.reference(); // uao_reference before uvm_map: the segment may be removed meanwhile
  const start = yield* mapObject(uvm, map, object, protection);
  if (start === null) yield* object.detach(uvm);
  else uvm.coverage.hit("shm.attach");
  return start;
}

/** uvm_map of all of `object`, shared, inherit share, advice random; the entry takes the caller's reference. */
function* mapObject(uvm: Uvm, map: VmMap, object: AnonymousObject, protection: ProtectionBits): Sleepy<Vpn | null> {
  yield* mapLockForWriting(uvm, map, "uvm_map");
  const start = mapFindSpace(map, object.pageCount);
  if (start !== null) {
    const end = vpn(start + object.pageCount);
    mapInsertEntry(map, new MapEntry(vpn(start), end, protection, protection, "share", "random", false, false, null, 0, object, 0));
  }
  mapRelease(uvm, map);
  return start === null ? null : vpn(start);
}

/** shmctl(IPC_RMID): the segment leaves the table and drops its reference. Returns false if there is no such segment. */
export function* shmRemove(uvm: Uvm, segment: number): Sleepy<boolean> {
  const object = uvm.shmSegments.get(segment);
  if (object === undefined) return false;
  uvm.shmSegments.delete(segment);
  uvm.coverage.hit(object.references > 1 ? "shm.removeMapped" : "shm.removeLast");
  yield* object.detach(uvm);
  return true;
}
