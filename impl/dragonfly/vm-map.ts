//! vm_map and vm_map_entry (vm_map.c, DragonFly 2004): an address space as sorted,
//! non-overlapping entries, each a window onto an object at `offset` (pages).
//!
//! Entry shapes made by mmap:
//!
//!   anon private   no object until the first fault        cow, needsCopy
//!   anon shared    a default object made at mmap           shared
//!   file private   the file's vnode object                 cow, needsCopy
//!   file shared    the file's vnode object                 shared
//!   reserved       nothing, never faults in (EFAULT)       (the simulator's uvm_map_reserve)
//!
//! `timestamp` counts every change under the write lock (vm_map_lock bumps it); a fault
//! that let go of the map compares it to decide whether to look the entry up again (D:713).

import { assert } from "../../vocabulary/assert.ts";
import type { Advice, Inheritance, ProtectionBits } from "../../vocabulary/protection.ts";
import type { ThreadId } from "../../vocabulary/units.ts";
import type { Pmap } from "../hardware/mmu.ts";
import { type VmObject, vmObjectReference } from "./vm-object.ts";
import { type Sleepy, sleep } from "./vm-sleep.ts";
import type { Vm } from "./vm.ts";

export class VmMapEntry {
  /** MAP_ENTRY_COW */
  cow: boolean;
  /** MAP_ENTRY_NEEDS_COPY */
  needsCopy: boolean;
  /** wired_count: kernel wirings plus one for a user wiring */
  wiredCount = 0;
  /** MAP_ENTRY_USER_WIRED */
  userWired = false;
  /** lastr: the last index read, for sequential detection (D:408-471) */
  lastRead = -1;

  constructor(
    public start: number,
    public end: number,
    public protection: ProtectionBits,
    public maxProtection: ProtectionBits,
    public inheritance: Inheritance,
    public advice: Advice,
    public object: VmObject | null,
    public offset: number,
    copyOnWrite: boolean,
    readonly reserved: boolean,
  ) {
    this.cow = copyOnWrite;
    this.needsCopy = copyOnWrite;
  }

  get pages(): number {
    return this.end - this.start;
  }

  /** A copy of this entry's fields over `[start, end)` (the caller fixes object and references). */
  cloneRange(start: number, end: number): VmMapEntry {
    const copy = new VmMapEntry(
      start,
      end,
      this.protection,
      this.maxProtection,
      this.inheritance,
      this.advice,
      this.object,
      this.offset + (start - this.start),
      this.cow,
      this.reserved,
    );
    copy.needsCopy = this.needsCopy;
    copy.wiredCount = this.wiredCount;
    copy.userWired = this.userWired;
    return copy;
  }
}

export class VmMap {
  readonly entries: VmMapEntry[] = [];
  timestamp = 0;
  /** infork: a fork is copying this map (D:735) */
  inFork = false;
  /**
   * The thread whose mlock has entries of this map in transition (MAP_ENTRY_IN_TRANSITION,
   * coarsened to the whole map), or null. Set and cleared by vm_map_user_pageable only.
   */
  transitionOwner: ThreadId | null = null;

  constructor(
    public name: string,
    readonly pmap: Pmap,
    readonly vaPages: number,
  ) {}
}

/** vm_map_lock: the write lock; every change bumps the timestamp. */
export function vmMapLock(map: VmMap): void {
  map.timestamp++;
}

/**
 * vm_map_transition_wait: a change of the map waits, asleep, until no other thread's mlock
 * has its entries in transition. Ensures: the map is free of other threads' transitions.
 */
export function* vmMapTransitionWait(vm: Vm, map: VmMap): Sleepy<void> {
  while (map.transitionOwner !== null && map.transitionOwner !== vm.thread) {
    vm.coverage.hit("sleep.transition");
    yield* sleep({ kind: "transitionWait", site: "vm_map_transition_wait", map });
  }
}

/** vm_map_lookup_entry: the entry containing `va`, or null. */
export function vmMapLookupEntry(map: VmMap, va: number): VmMapEntry | null {
  return map.entries.find((entry) => entry.start <= va && va < entry.end) ?? null;
}

/** vm_map_findspace: the lowest gap of `pages` pages, or null. */
export function vmMapFindSpace(map: VmMap, pages: number): number | null {
  let start = 0;
  for (const entry of map.entries) {
    if (entry.start - start >= pages) return start;
    start = Math.max(start, entry.end);
  }
  return map.vaPages - start >= pages ? start : null;
}

export function vmMapInsert(map: VmMap, entry: VmMapEntry): void {
  assert(entry.start < entry.end, () => `vm_map_insert: empty range [${entry.start}, ${entry.end})`);
  assert(entry.end <= map.vaPages, () => `vm_map_insert: range [${entry.start}, ${entry.end}) past the address space`);
  assert(!map.entries.some((other) => other.start < entry.end && entry.start < other.end), () => `vm_map_insert: [${entry.start}, ${entry.end}) overlaps`);
  map.entries.push(entry);
  map.entries.sort((a, b) => a.start - b.start);
}

export function vmMapUnlink(map: VmMap, entry: VmMapEntry): void {
  const index = map.entries.indexOf(entry);
  assert(index >= 0, () => `vm_map_entry_unlink: [${entry.start}, ${entry.end}) not in ${map.name}`);
  map.entries.splice(index, 1);
}

/**
 * vm_map_clip_start / vm_map_clip_end over `[start, end)`: the entries inside the range, split
 * at its ends (each half of a split entry holds its own reference on the object).
 */
export function vmMapClipRange(vm: Vm, map: VmMap, start: number, end: number): VmMapEntry[] {
  for (const point of [start, end]) {
    const entry = vmMapLookupEntry(map, point);
    if (entry === null || entry.start === point) continue;
    vm.coverage.hit("map.clip");
    const tail = entry.cloneRange(point, entry.end);
    if (entry.object !== null) vmObjectReference(entry.object); // vm_map_clip_end: the new half's reference
    entry.end = point;
    vmMapInsert(map, tail);
  }
  return map.entries.filter((entry) => entry.start >= start && entry.end <= end);
}
