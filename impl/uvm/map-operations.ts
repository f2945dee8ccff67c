//! The map operations behind mmap, munmap, mprotect, minherit, madvise (uvm_map.c, notes in
//! docs/netbsd/map-amap-anon.md §3). Each takes the map's write lock, which bumps the map
//! version. mlock/munlock (uvm_map_pageable) live in map-pageable.ts.
//!
//! Entry shapes made by mmap (notes §4.7):
//!
//!   anon private   no object, no amap yet         copy-on-write, needs_copy
//!   anon shared    an amap, allocated now         shared (UVM_FLAG_OVERLAY; no object)
//!   file private   the file's vnode               copy-on-write, needs_copy
//!   file shared    the file's vnode               shared
//!   reserved       nothing                        not copy-on-write (faults are case 0)

import { assert } from "../../vocabulary/assert.ts";
import type { Advice, Inheritance, ProtectionBits } from "../../vocabulary/protection.ts";
import { PROT_WRITE } from "../../vocabulary/protection.ts";
import { type Vpn, vpn } from "../../vocabulary/units.ts";
import { amapAlloc, amapUnref } from "./amap.ts";
import { faultUnwireLocked } from "./fault/fault-wire.ts";
import { mapFindSpace, mapInsertEntry, mapIsolate, mapLockForWriting, mapRelease, mapUnlinkEntry, type VmMap } from "./map.ts";
import { MapEntry } from "./map-entry.ts";
import type { UvmObject } from "./object.ts";
import type { Sleepy } from "./sleep.ts";
import type { Uvm } from "./uvm.ts";

export interface MmapRequest {
  readonly pages: number;
  readonly protection: ProtectionBits;
  readonly maxProtection: ProtectionBits;
  /** null for anonymous memory */
  readonly file: { readonly vnode: UvmObject; readonly offset: number } | null;
  /** Reserved address space: no object, no amap, not copy-on-write (uvm_map_reserve-like). */
  readonly reserved: boolean;
  readonly shared: boolean;
  readonly inheritance: Inheritance;
  readonly advice: Advice;
}

/** uvm_mmap + uvm_map: a new entry at the lowest gap that fits. Returns its start, or null (ENOMEM). */
export function* uvmMmap(uvm: Uvm, map: VmMap, request: MmapRequest): Sleepy<Vpn | null> {
  assert((request.protection & ~request.maxProtection) === 0, "uvm_map: protection beyond maxprot");
  yield* mapLockForWriting(uvm, map, "uvm_map");
  const start = mapFindSpace(map, request.pages);
  if (start === null) {
    mapRelease(uvm, map);
    return null;
  }
  let object: UvmObject | null = null;
  let offset = 0;
  if (request.file !== null) {
    object = request.file.vnode;
    object.reference();
    offset = request.file.offset;
  }
  // uvm_mmap: MAP_SHARED|MAP_ANON is UVM_FLAG_OVERLAY, so uvm_map allocates the amap at once.
  const overlay = request.file === null && request.shared && !request.reserved ? amapAlloc(uvm, request.pages) : null;
  const copyOnWrite = !request.shared && !request.reserved;
  const entry = new MapEntry(
    vpn(start),
    vpn(start + request.pages),
    request.protection,
    request.maxProtection,
    request.inheritance,
    request.advice,
    copyOnWrite,
    copyOnWrite,
    overlay,
    0,
    object,
    offset,
  );
  mapInsertEntry(map, entry);
  mapRelease(uvm, map);
  return vpn(start);
}

/** uvm_unmap: removes `[start, end)`; holes are skipped. Wired entries are unwired first. */
export function* uvmUnmap(uvm: Uvm, map: VmMap, start: number, end: number): Sleepy<void> {
  yield* mapLockForWriting(uvm, map, "uvm_unmap");
  const dead = unmapRemove(uvm, map, start, end);
  mapRelease(uvm, map);
  for (const entry of dead) yield* unmapDetach(uvm, entry);
}

/** uvm_unmap_remove: unlinks the entries of the range. Requires: map write-locked. Returns the dead entries. */
export function unmapRemove(uvm: Uvm, map: VmMap, start: number, end: number): MapEntry[] {
  const dead = mapIsolate(uvm, map, start, end);
  for (const entry of dead) {
    if (entry.wired) {
      entry.wiredCount = 0;
      faultUnwireLocked(uvm, map, entry.start, entry.end);
    }
    const mapped = entry.amap !== null || entry.object !== null;
    if (mapped) map.pmap.remove(entry.start, entry.end);
    mapUnlinkEntry(map, entry);
  }
  return dead;
}

/** uvm_unmap_detach: drops a dead entry's amap and object references. Requires: map unlocked. */
export function* unmapDetach(uvm: Uvm, entry: MapEntry): Sleepy<void> {
  assert(!entry.wired, "uvm_unmap_detach: entry still wired");
  if (entry.amap !== null) yield* amapUnref(uvm, entry.amap, entry.amapOffset, entry.pages);
  if (entry.object !== null) yield* entry.object.detach(uvm);
}

/** uvm_map_protect: EACCES (nothing changed) if any entry's max protection forbids `protection`. */
export function* uvmMapProtect(uvm: Uvm, map: VmMap, start: number, end: number, protection: ProtectionBits): Sleepy<0 | "EACCES"> {
  yield* mapLockForWriting(uvm, map, "uvm_map_protect");
  const overlapping = map.entries.filter((entry) => entry.start < end && start < entry.end);
  if (overlapping.some((entry) => (protection & ~entry.maxProtection) !== 0)) {
    mapRelease(uvm, map);
    return "EACCES";
  }
  for (const entry of mapIsolate(uvm, map, start, end)) {
    if (entry.protection === protection) continue;
    entry.protection = protection;
    map.pmap.protect(entry.start, entry.end, entry.copyOnWrite ? protection & ~PROT_WRITE : protection);
  }
  mapRelease(uvm, map);
  return 0;
}

/** uvm_map_inherit */
export function* uvmMapInherit(uvm: Uvm, map: VmMap, start: number, end: number, inheritance: Inheritance): Sleepy<void> {
  yield* mapLockForWriting(uvm, map, "uvm_map_inherit");
  for (const entry of mapIsolate(uvm, map, start, end)) entry.inheritance = inheritance;
  mapRelease(uvm, map);
}

/** uvm_map_advice */
export function* uvmMapAdvice(uvm: Uvm, map: VmMap, start: number, end: number, advice: Advice): Sleepy<void> {
  yield* mapLockForWriting(uvm, map, "uvm_map_advice");
  for (const entry of mapIsolate(uvm, map, start, end)) entry.advice = advice;
  mapRelease(uvm, map);
}
