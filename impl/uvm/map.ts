//! vm_map: one address space's entries, its lock and its version stamp (uvm_map.c).
//!
//! Entries are disjoint and kept in increasing order. Every write-lock of the map bumps
//! `timestamp` (the map version), even when nothing changes: that is how a fault that slept
//! with the map unlocked finds out the map may have changed (uvmfault_relock).
//! Clipping splits an entry in two; both halves keep the attributes, the wiring, the amap
//! (amap_splitref) and the object (one more reference).

import { assert } from "../../vocabulary/assert.ts";
import { vpn } from "../../vocabulary/units.ts";
import type { Pmap } from "../hardware/mmu.ts";
import { amapSplitRef } from "./amap.ts";
import { MapLock, mapLockRead, mapLockWrite, mapUnlock } from "./lock.ts";
import type { MapEntry } from "./map-entry.ts";
import type { Sleepy } from "./sleep.ts";
import type { Uvm } from "./uvm.ts";

export class VmMap {
  /** Disjoint, in increasing start. [write lock] */
  readonly entries: MapEntry[] = [];
  readonly lock: MapLock;
  /** The map version: bumped by every write lock. */
  timestamp = 0;

  constructor(
    /** `pid<N>` (a fork's child is named when it is born). */
    public name: string,
    readonly pmap: Pmap,
    readonly minVa: number,
    readonly maxVa: number,
  ) {
    this.lock = new MapLock(`map ${name}`);
  }
}

/** vm_map_lock: sleeps (lockWait) while another thread holds the map or has it busy. */
export function* mapLockForWriting(uvm: Uvm, map: VmMap, site = "vm_map_lock"): Sleepy<void> {
  while (!map.lock.writable(uvm.thread)) {
    assert(map.lock.writer !== uvm.thread, () => `vm_map_lock: ${map.name} already write-locked by this thread`);
    yield { kind: "lockWait", site, lock: map.lock, write: true };
  }
  mapLockWrite(uvm, map.lock);
  map.timestamp++;
}

/** vm_map_lock_read: sleeps (lockWait) while another thread write-locks the map. */
export function* mapLockForReading(uvm: Uvm, map: VmMap, site = "vm_map_lock_read"): Sleepy<void> {
  while (!map.lock.readable()) {
    assert(map.lock.writer !== uvm.thread, () => `vm_map_lock_read: ${map.name} write-locked by this thread`);
    yield { kind: "lockWait", site, lock: map.lock, write: false };
  }
  mapLockRead(uvm, map.lock);
}

/** vm_map_busy: only this thread may write-lock the map until vm_map_unbusy. Requires: write-locked by this thread. */
export function mapBusy(uvm: Uvm, map: VmMap): void {
  assert(map.lock.writer === uvm.thread, () => `vm_map_busy: ${map.name} not write-locked by this thread`);
  map.lock.busy = uvm.thread;
}

export function mapUnbusy(uvm: Uvm, map: VmMap): void {
  assert(map.lock.busy === uvm.thread, () => `vm_map_unbusy: ${map.name} not busied by this thread`);
  map.lock.busy = null;
}

export function mapRelease(uvm: Uvm, map: VmMap): void {
  mapUnlock(uvm, map.lock);
}

/** uvm_map_lookup_entry: the entry containing `va`, or null. */
export function mapLookupEntry(map: VmMap, va: number): MapEntry | null {
  for (const entry of map.entries) {
    if (entry.contains(va)) return entry;
    if (entry.start > va) return null;
  }
  return null;
}

/** The entries overlapping `[start, end)`, in order. */
export function mapEntriesIn(map: VmMap, start: number, end: number): MapEntry[] {
  return map.entries.filter((entry) => entry.start < end && start < entry.end);
}

export function mapInsertEntry(map: VmMap, entry: MapEntry): void {
  const index = map.entries.findIndex((other) => other.start > entry.start);
  const position = index < 0 ? map.entries.length : index;
  const before = map.entries[position - 1];
  const after = map.entries[position];
  assert(before === undefined || before.end <= entry.start, () => `map ${map.name}: entry [${entry.start},${entry.end}) overlaps its predecessor`);
  assert(after === undefined || entry.end <= after.start, () => `map ${map.name}: entry [${entry.start},${entry.end}) overlaps its successor`);
  map.entries.splice(position, 0, entry);
}

export function mapUnlinkEntry(map: VmMap, entry: MapEntry): void {
  const index = map.entries.indexOf(entry);
  assert(index >= 0, () => `map ${map.name}: entry [${entry.start},${entry.end}) not linked`);
  map.entries.splice(index, 1);
}

/**
 * Splits `entry` at `va` so that no entry straddles it (uvm_map_clip_start/end).
 * Requires: the map write-locked. Ensures: `entry` is the lower half; returns the upper half.
 */
export function mapClip(uvm: Uvm, map: VmMap, entry: MapEntry, va: number): MapEntry {
  assert(entry.start < va, () => `uvm_map_clip: ${va} not above the start of [${entry.start},${entry.end})`);
  assert(va < entry.end, () => `uvm_map_clip: ${va} not below the end of [${entry.start},${entry.end})`);
  uvm.coverage.hit("map.clip");
  const shift = va - entry.start;
  const upper = entry.copy();
  upper.start = vpn(va);
  if (upper.object !== null) upper.offset += shift;
  upper.wiredCount = entry.wiredCount;
  entry.end = vpn(va);
  if (upper.amap !== null) amapSplitRef(uvm, entry, upper, shift);
  if (upper.object !== null) upper.object.reference();
  mapInsertEntry(map, upper);
  return upper;
}

/** Clips at `start` and `end` and returns the entries wholly inside `[start, end)`. */
export function mapIsolate(uvm: Uvm, map: VmMap, start: number, end: number): MapEntry[] {
  for (const entry of mapEntriesIn(map, start, end)) {
    let lower = entry;
    if (lower.start < start) lower = mapClip(uvm, map, lower, start);
    if (lower.end > end) mapClip(uvm, map, lower, end);
  }
  return mapEntriesIn(map, start, end);
}

/** The lowest `pages`-page gap in `[minVa, maxVa)` (uvm_map_findspace, bottom-up), or null. */
export function mapFindSpace(map: VmMap, pages: number): number | null {
  let candidate = map.minVa;
  for (const entry of map.entries) {
    if (entry.start - candidate >= pages) break;
    candidate = Math.max(candidate, entry.end);
  }
  return candidate + pages <= map.maxVa ? candidate : null;
}
