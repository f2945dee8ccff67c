//! vm_amap: the upper (anonymous) layer of a mapping: a slot per page, each empty or
//! referencing an anon (uvm_amap.c, rmind era; notes in docs/netbsd/map-amap-anon.md §2).
//!
//! An entry refers to an amap through (`entry.amap`, `entry.amapOffset`): slot of va =
//! amapOffset + (va - entry.start). `references` (am_ref) counts those arefs, every clipped
//! piece included. `shared` (AMAP_SHARED) is set when fork shares the amap between processes
//! and cleared when the count falls back to 1. Once some reference covers only part of the
//! amap, `pageReferences` (ppref) counts references per slot; a slot whose count drops to 0
//! is emptied and its anon loses a reference.
//!
//! Locking: the amap's lock protects the amap and every anon in it (invariant G5). An amap
//! copied from another shares its lock object when it received at least one anon.

import { assert } from "../../vocabulary/assert.ts";
import type { Anon } from "./anon.ts";
import { anonFree } from "./anon.ts";
import { Mutex, mutexEnter, mutexExit, mutexHold, mutexOwned, mutexRelease } from "./lock.ts";
import type { MapEntry } from "./map-entry.ts";
import type { Sleepy } from "./sleep.ts";
import type { Uvm } from "./uvm.ts";

export class Amap {
  /** am_lock: shared with amaps copied from this one. [reference-counted lock object] */
  lock: Mutex;
  /** am_ref: entries (and entry pieces) referring to this amap. [amap lock] */
  references = 1;
  /** AMAP_SHARED: shared between processes by fork. [amap lock] */
  shared = false;
  /** am_anon: one slot per page. [amap lock] */
  readonly slots: (Anon | null)[];
  /** am_ppref: per-slot reference counts, once a partial reference exists. [amap lock] */
  pageReferences: number[] | null = null;
  alive = true;

  constructor(
    readonly id: number,
    slotCount: number,
    lock: Mutex,
  ) {
    this.slots = new Array<Anon | null>(slotCount).fill(null);
    this.lock = lock;
  }

  get slotCount(): number {
    return this.slots.length;
  }
}

/** amap_alloc: an empty amap of `slotCount` slots with a new lock, one reference. */
export function amapAlloc(uvm: Uvm, slotCount: number): Amap {
  assert(slotCount > 0, "amap_alloc: no slots");
  const id = uvm.nextAmapId++;
  const amap = new Amap(id, slotCount, new Mutex(`amap ${id}`, "amap"));
  uvm.liveAmaps.add(amap);
  return amap;
}

function slotOf(entry: MapEntry, index: number): number {
  const amap = entry.amap;
  assert(amap !== null, "amap_lookup: entry has no amap");
  const slot = entry.amapOffset + index;
  assert(slot >= 0, () => `amap_lookup: negative slot ${slot} in amap ${amap.id}`);
  assert(slot < amap.slotCount, () => `amap_lookup: slot ${slot} past the end of amap ${amap.id}`);
  return slot;
}

/** amap_lookup: the anon in the slot of page `index` of `entry`, or null. Requires: amap locked. */
export function amapLookup(uvm: Uvm, entry: MapEntry, index: number): Anon | null {
  const amap = entry.amap!;
  const slot = slotOf(entry, index);
  assert(mutexOwned(uvm, amap.lock), () => `amap_lookup: amap ${amap.id} not locked`);
  return amap.slots[slot] ?? null;
}

/** amap_lookups: the anons of pages `index .. index+count-1`. Requires: amap locked. */
export function amapLookups(uvm: Uvm, entry: MapEntry, index: number, count: number): (Anon | null)[] {
  const anons: (Anon | null)[] = [];
  for (let page = 0; page < count; page++) anons.push(amapLookup(uvm, entry, index + page));
  return anons;
}

/**
 * amap_add: puts `anon` in the slot of page `index`. Never touches reference counts.
 * Requires: amap locked; anon locked by it; the slot empty (or, with `replace`, occupied).
 * Ensures: when replacing in a shared amap, no pmap still maps the old anon's page.
 */
export function amapAdd(uvm: Uvm, entry: MapEntry, index: number, anon: Anon, replace: boolean): void {
  const amap = entry.amap!;
  const slot = slotOf(entry, index);
  assert(mutexOwned(uvm, amap.lock), () => `amap_add: amap ${amap.id} not locked`);
  assert(anon.lock === amap.lock, () => `amap_add: anon ${anon.id} not locked by amap ${amap.id}`);
  const old = amap.slots[slot] ?? null;
  if (replace) {
    assert(old !== null, () => `amap_add: replacing empty slot ${slot} of amap ${amap.id}`);
    if (amap.shared && old.page !== null) uvm.machine.mmu.pageProtect(old.page.frame, 0);
  } else {
    assert(old === null, () => `amap_add: slot ${slot} of amap ${amap.id} occupied`);
  }
  amap.slots[slot] = anon;
}

/**
 * amap_copy: clears needs_copy by giving `entry` an amap of its own (notes §2.3).
 * Requires: the entry's map write-locked, its amap unlocked.
 * Ensures: needs_copy clear (allocation here never fails).
 */
export function amapCopy(uvm: Uvm, entry: MapEntry): void {
  assert(entry.needsCopy, "amap_copy: entry does not need a copy");
  const pages = entry.end - entry.start;
  const source = entry.amap;
  if (source === null) {
    entry.amap = amapAlloc(uvm, pages);
    entry.amapOffset = 0;
    entry.needsCopy = false;
    return;
  }
  if (source.references === 1) {
    entry.needsCopy = false;
    return;
  }
  uvm.coverage.hit("map.amapCopy");
  mutexEnter(uvm, source.lock);
  const copy = new Amap(uvm.nextAmapId++, pages, source.lock);
  let copied = 0;
  for (let index = 0; index < pages; index++) {
    const anon = source.slots[entry.amapOffset + index] ?? null;
    if (anon === null) continue;
    copy.slots[index] = anon;
    anon.references++;
    copied++;
  }
  source.references--;
  if (source.references === 1) source.shared = false;
  if (source.pageReferences !== null) adjustPageReferences(source, entry.amapOffset, pages, -1);
  if (copied > 0) mutexHold(source.lock);
  else copy.lock = new Mutex(`amap ${copy.id}`, "amap");
  mutexExit(uvm, source.lock);
  uvm.liveAmaps.add(copy);
  entry.amap = copy;
  entry.amapOffset = 0;
  entry.needsCopy = false;
}

/** pp_establish: from now on references are counted per slot, starting from `offset`. */
function establishPageReferences(amap: Amap, offset: number): void {
  amap.pageReferences = amap.slots.map((_, slot) => (slot < offset ? 0 : amap.references));
}

/** Adds `delta` to the per-slot counts of `[offset, offset+count)`; empties slots reaching 0. */
function adjustPageReferences(amap: Amap, offset: number, count: number, delta: number): Anon[] {
  const counts = amap.pageReferences!;
  const dead: Anon[] = [];
  for (let slot = offset; slot < offset + count; slot++) {
    counts[slot] = counts[slot]! + delta;
    assert(counts[slot]! >= 0, () => `amap ${amap.id}: slot ${slot} reference count below zero`);
    if (counts[slot] !== 0) continue;
    const anon = amap.slots[slot] ?? null;
    if (anon === null) continue;
    amap.slots[slot] = null;
    anon.references--;
    if (anon.references === 0) dead.push(anon);
  }
  return dead;
}

/** amap_ref: one more entry refers to `[offset, offset+count)` of `amap` (fork). */
export function amapRef(uvm: Uvm, amap: Amap, offset: number, count: number, shared: boolean): void {
  mutexEnter(uvm, amap.lock);
  if (shared) amap.shared = true;
  if (amap.pageReferences === null && count !== amap.slotCount) establishPageReferences(amap, offset);
  amap.references++;
  if (amap.pageReferences !== null) adjustPageReferences(amap, offset, count, +1);
  mutexExit(uvm, amap.lock);
}

/**
 * amap_unref: an entry referring to `[offset, offset+count)` went away. Slots nobody covers
 * any more are emptied; anons left without references are freed; the last reference wipes
 * the amap out. Requires: no pmap maps the range any more.
 */
export function* amapUnref(uvm: Uvm, amap: Amap, offset: number, count: number): Sleepy<void> {
  mutexEnter(uvm, amap.lock);
  if (amap.references === 1) {
    amap.references = 0;
    yield* amapWipeout(uvm, amap);
    return;
  }
  if (amap.references === 2 && amap.shared) amap.shared = false;
  if (amap.pageReferences === null && count !== amap.slotCount) establishPageReferences(amap, offset);
  amap.references--;
  const dead = amap.pageReferences === null ? [] : adjustPageReferences(amap, offset, count, -1);
  if (dead.length > 0) uvm.coverage.hit("map.partialUnmap");
  for (const anon of dead) yield* anonFree(uvm, anon);
  mutexExit(uvm, amap.lock);
}

/** amap_splitref: `upper` is the piece of `lower`'s entry starting `offset` pages in (clip). */
export function amapSplitRef(uvm: Uvm, lower: MapEntry, upper: MapEntry, offset: number): void {
  const amap = lower.amap;
  assert(amap !== null, "amap_splitref: lower entry has no amap");
  assert(upper.amap === amap, "amap_splitref: entries do not share the amap");
  assert(offset > 0, () => `amap_splitref: split offset ${offset} not positive`);
  assert(lower.amapOffset + offset < amap.slotCount, () => `amap_splitref: split offset ${offset} past the amap's end`);
  mutexEnter(uvm, amap.lock);
  if (amap.pageReferences === null) establishPageReferences(amap, lower.amapOffset);
  amap.references++;
  upper.amapOffset = lower.amapOffset + offset;
  mutexExit(uvm, amap.lock);
}

/** amap_wipeout: drops every anon and frees the amap. Requires: locked, no references. Ensures: unlocked. */
function* amapWipeout(uvm: Uvm, amap: Amap): Sleepy<void> {
  assert(amap.references === 0, () => `amap_wipeout: amap ${amap.id} still referenced`);
  assert(mutexOwned(uvm, amap.lock), () => `amap_wipeout: amap ${amap.id} not locked`);
  for (let slot = 0; slot < amap.slotCount; slot++) {
    const anon = amap.slots[slot] ?? null;
    if (anon === null) continue;
    amap.slots[slot] = null;
    anon.references--;
    if (anon.references === 0) yield* anonFree(uvm, anon);
  }
  mutexExit(uvm, amap.lock);
  mutexRelease(amap.lock);
  amap.alive = false;
  uvm.liveAmaps.delete(amap);
}
