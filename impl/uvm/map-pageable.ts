//! uvm_map_pageable: mlock and munlock (uvm_map.c; notes in docs/netbsd/map-amap-anon.md
//! §3.10).
//!
//! Wiring, pass 1 (map write-locked): for each entry of the range, copy the amap now if
//! the entry needs a copy and could be written (so the wire fault never meets needs_copy),
//! clip, and count the wiring; a PROT_NONE entry or a hole → EINVAL, undoing the counts.
//! Pass 2 (map unlocked, busy): fault in and wire every entry that just became wired,
//! with its max protection (semantic decision 5). On failure the wirings are undone.
//!
//! Unwiring: every entry of the range must be wired (EINVAL otherwise); each drops to zero
//! wirings at once (user wirings do not stack) and its pages are unwired. A range that covers
//! only part of a wired entry clips it: the rest stays wired.
//!
//! A range starting in a hole is EFAULT here; the system call reports ENOMEM.

import { PROT_NONE, PROT_WRITE } from "../../vocabulary/protection.ts";
import { amapCopy } from "./amap.ts";
import type { Status } from "./errors.ts";
import { faultWire, faultUnwireLocked } from "./fault/fault-wire.ts";
import { mapBusy, mapClip, mapLockForWriting, mapLookupEntry, mapRelease, mapUnbusy, type VmMap } from "./map.ts";
import type { MapEntry } from "./map-entry.ts";
import type { Sleepy } from "./sleep.ts";
import type { Uvm } from "./uvm.ts";

/** The entries from `first` covering `[.., end)`, clipped at `end`, or EINVAL if a hole interrupts them. */
function entriesThrough(uvm: Uvm, map: VmMap, first: MapEntry, end: number, clip: boolean): MapEntry[] | "EINVAL" {
  const result: MapEntry[] = [];
  let index = map.entries.indexOf(first);
  for (let entry = map.entries[index]; entry !== undefined && entry.start < end; entry = map.entries[++index]) {
    if (clip && entry.end > end) mapClip(uvm, map, entry, end);
    result.push(entry);
    const next = map.entries[index + 1];
    if (entry.end < end && (next === undefined || next.start > entry.end)) return "EINVAL";
  }
  return result;
}

/** Looks up and clips the start of the range; null (EFAULT) if it lies in a hole. */
function startEntry(uvm: Uvm, map: VmMap, start: number): MapEntry | null {
  let entry = mapLookupEntry(map, start);
  if (entry === null) return null;
  if (entry.start < start) entry = mapClip(uvm, map, entry, start);
  return entry;
}

/** mlock: wires `[start, end)`. */
export function* uvmMapWire(uvm: Uvm, map: VmMap, start: number, end: number): Sleepy<Status> {
  yield* mapLockForWriting(uvm, map, "uvm_map_pageable");
  const first = startEntry(uvm, map, start);
  if (first === null) {
    mapRelease(uvm, map);
    return "EFAULT";
  }
  const entries: MapEntry[] = [];
  let index = map.entries.indexOf(first);
  for (let entry = map.entries[index]; entry !== undefined && entry.start < end; entry = map.entries[++index]) {
    const copyNow = !entry.wired && entry.needsCopy && ((entry.maxProtection & PROT_WRITE) !== 0 || entry.object === null);
    if (copyNow) amapCopy(uvm, entry);
    if (entry.end > end) mapClip(uvm, map, entry, end);
    entry.wiredCount++;
    entries.push(entry);
    const next = map.entries[index + 1];
    const hole = entry.end < end && (next === undefined || next.start > entry.end);
    if (hole) uvm.coverage.hit("map.wireHole");
    if (entry.protection === PROT_NONE || hole) {
      for (const wired of entries) wired.wiredCount--;
      mapRelease(uvm, map);
      return "EINVAL";
    }
  }
  mapBusy(uvm, map); // pass 2 with the map busy: nobody else may change it (vm_map_busy)
  mapRelease(uvm, map);
  for (let failed = 0; failed < entries.length; failed++) {
    const entry = entries[failed]!;
    if (entry.wiredCount !== 1) {
      uvm.coverage.hit("map.wireStacked"); // already wired: its pages are not wired again
      continue;
    }
    const error = yield* faultWire(uvm, map, entry.start, entry.end, entry.maxProtection, true);
    if (error !== 0) {
      yield* undoWiring(uvm, map, entries, failed);
      return error;
    }
  }
  mapUnbusy(uvm, map);
  return 0;
}

/** Pass 2 failed at `entries[failed]`: drop this call's wiring everywhere, unwiring what it wired. */
function* undoWiring(uvm: Uvm, map: VmMap, entries: readonly MapEntry[], failed: number): Sleepy<void> {
  yield* mapLockForWriting(uvm, map, "uvm_map_pageable undo");
  mapUnbusy(uvm, map);
  entries.forEach((entry, index) => {
    entry.wiredCount--;
    if (index < failed && entry.wiredCount === 0) faultUnwireLocked(uvm, map, entry.start, entry.end);
  });
  mapRelease(uvm, map);
}

/** munlock: unwires `[start, end)`. */
export function* uvmMapUnwire(uvm: Uvm, map: VmMap, start: number, end: number): Sleepy<Status> {
  yield* mapLockForWriting(uvm, map, "uvm_map_pageable (unwire)");
  const clipsStart = (mapLookupEntry(map, start)?.start ?? start) < start;
  const first = startEntry(uvm, map, start);
  if (first === null) {
    mapRelease(uvm, map);
    return "EFAULT";
  }
  const checked = entriesThrough(uvm, map, first, end, false);
  if (checked === "EINVAL" || checked.some((entry) => !entry.wired)) {
    uvm.coverage.hit("map.unwireNotWired");
    mapRelease(uvm, map);
    return "EINVAL";
  }
  if (clipsStart || checked.at(-1)!.end > end) uvm.coverage.hit("map.unwirePartial"); // part of a wired region stays wired
  const entries = entriesThrough(uvm, map, first, end, true) as MapEntry[];
  for (const entry of entries) {
    entry.wiredCount = 0;
    faultUnwireLocked(uvm, map, entry.start, entry.end);
  }
  mapRelease(uvm, map);
  return 0;
}
