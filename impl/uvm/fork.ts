//! uvmspace_fork (uvm_map.c; notes in docs/netbsd/map-amap-anon.md §3.9): the child's map,
//! entry by entry, per inheritance.
//!
//!   none    nothing
//!   share   the parent first takes a private amap if it needs a copy; then the child's
//!           entry refers to the same amap (AMAP_SHARED) and object
//!   copy    the child's entry is copy-on-write and needs a copy; the parent is
//!           write-protected and needs a copy too, so the first write on either side copies.
//!           A wired parent entry is copied at once instead (amap_cow_now), and so is one
//!           whose amap is shared with another process (its wired pages copied at once too).
//!
//! Deviation from NetBSD (see docs/semantics.md): when the parent's amap is
//! AMAP_SHARED, NetBSD also marks the parent needs_copy, so the parent's next write silently
//! stops sharing with the other process; and it write-protects only the parent's pmap, so the
//! other sharer can still write in place into anons the child now shares. We do neither: the
//! child copies at once and every mapping of the anons it shares is write-protected.
//!
//! amap_cow_now waits for memory forever in NetBSD; here the fork fails with ENOMEM when
//! nothing is reclaimable (semantic decision 9), and the caller tears the child down.

import { assert } from "../../vocabulary/assert.ts";
import { PROT_READ, PROT_WRITE } from "../../vocabulary/protection.ts";
import { amapCopy, amapRef } from "./amap.ts";
import { anonAlloc, anonFree, anonSetLock } from "./anon.ts";
import type { Status } from "./errors.ts";
import { mutexEnter, mutexExit } from "./lock.ts";
import { mapInsertEntry, mapLockForWriting, mapRelease, type VmMap } from "./map.ts";
import type { MapEntry } from "./map-entry.ts";
import { lockPageQueues, pageActivate, pageAlloc, pageClearBusy, pageCopy, unlockPageQueues } from "./page-allocator.ts";
import { PG_BUSY, PG_FAKE } from "./page.ts";
import { uvmReclaimable } from "./page-daemon.ts";
import { sleep, type Sleepy } from "./sleep.ts";
import type { Uvm } from "./uvm.ts";

/** Fills the empty `child` map from `parent`. Returns 0, or ENOMEM (the child is then half built; the caller frees it). */
export function* uvmspaceFork(uvm: Uvm, parent: VmMap, child: VmMap): Sleepy<Status> {
  yield* mapLockForWriting(uvm, parent, "uvmspace_fork");
  for (const entry of [...parent.entries]) {
    if (entry.inheritance === "none") {
      uvm.coverage.hit("fork.none");
      continue;
    }
    if (entry.inheritance === "share") {
      forkShare(uvm, parent, child, entry);
      continue;
    }
    const status = yield* forkCopy(uvm, parent, child, entry);
    if (status !== 0) {
      mapRelease(uvm, parent);
      return status;
    }
  }
  mapRelease(uvm, parent);
  return 0;
}

/** uvm_mapent_forkshare */
function forkShare(uvm: Uvm, parent: VmMap, child: VmMap, entry: MapEntry): void {
  uvm.coverage.hit("fork.share");
  if (entry.needsCopy) amapCopy(uvm, entry);
  const clone = entry.copy();
  if (clone.amap !== null) {
    amapRef(uvm, clone.amap, clone.amapOffset, clone.pages, true);
  }
  clone.object?.reference();
  mapInsertEntry(child, clone);
  assert(parent.entries.includes(entry), "uvmspace_fork: parent entry vanished");
}

/** uvm_mapent_forkcopy */
function* forkCopy(uvm: Uvm, parent: VmMap, child: VmMap, entry: MapEntry): Sleepy<Status> {
  uvm.coverage.hit("fork.copy");
  const clone = entry.copy();
  clone.copyOnWrite = true;
  clone.needsCopy = true;
  if (clone.amap !== null) amapRef(uvm, clone.amap, clone.amapOffset, clone.pages, false);
  clone.object?.reference();
  mapInsertEntry(child, clone);
  const amap = entry.amap;
  if (amap === null) return 0;
  const sharedAmap = amap.shared;
  if (sharedAmap || entry.wired) {
    amapCopy(uvm, clone);
  }
  if (entry.wired) {
    uvm.coverage.hit("fork.copyWired");
    return yield* amapCowNow(uvm, clone, "all");
  }
  if (sharedAmap) {
    const status = yield* amapCowNow(uvm, clone, "wired pages");
    if (status === 0) writeProtectAnons(uvm, clone);
    return status;
  }
  if (!entry.needsCopy) {
    if ((entry.maxProtection & PROT_WRITE) !== 0) parent.pmap.protect(entry.start, entry.end, entry.protection & ~PROT_WRITE);
    entry.needsCopy = true;
  }
  return 0;
}

/** Removes write access from every mapping of the anons in `entry`'s amap (they are shared now). */
function writeProtectAnons(uvm: Uvm, entry: MapEntry): void {
  const amap = entry.amap!;
  mutexEnter(uvm, amap.lock);
  for (let index = 0; index < entry.pages; index++) {
    const page = amap.slots[entry.amapOffset + index]?.page ?? null;
    if (page !== null) uvm.machine.mmu.pageProtect(page.frame, PROT_READ);
  }
  mutexExit(uvm, amap.lock);
}

/**
 * amap_cow_now (notes §2.4): gives the child private copies of every anon it shares with
 * the wired parent, except loaned pages. Requires: the child's entry has its own amap.
 *
 * With `which` = "wired pages" (our extension of the Q1 fix), only anons whose page someone
 * has wired are copied: the parent's amap is shared with a process that wired part of it,
 * and that process must never take a copy-on-write fault on a wired page (its wired mapping
 * would move to an unwired page, and munlock would unwire a page that was never wired).
 */
function* amapCowNow(uvm: Uvm, entry: MapEntry, which: "all" | "wired pages"): Sleepy<Status> {
  const amap = entry.amap!;
  mutexEnter(uvm, amap.lock);
  for (let index = 0; index < entry.pages; index++) {
    const slot = entry.amapOffset + index;
    const anon = amap.slots[slot] ?? null;
    if (anon === null || anon.references === 1) continue;
    if (which === "wired pages" && (anon.page === null || anon.page.wireCount === 0)) continue;
    const page = anon.page;
    assert(page !== null, () => `amap_cow_now: anon ${anon.id} of a wired entry not resident`);
    if (page.loanCount > 0) continue;
    assert(!page.busy, () => `amap_cow_now: ${page.describe()} busy`);
    const copy = anonAlloc(uvm);
    anonSetLock(copy, amap.lock);
    const copyPage = pageAlloc(uvm, { anon: copy });
    if (copyPage === null) {
      copy.references = 0;
      yield* anonFree(uvm, copy);
      mutexExit(uvm, amap.lock);
      if (!uvmReclaimable(uvm)) return "ENOMEM";
      yield* sleep({ kind: "memoryWait", site: "amap_cow_now (both maps stay locked)", keepsMaps: true });
      mutexEnter(uvm, amap.lock);
      index = -1;
      continue;
    }
    pageCopy(uvm, page, copyPage);
    anon.references--;
    amap.slots[slot] = copy;
    lockPageQueues(uvm);
    pageActivate(uvm, copyPage);
    unlockPageQueues(uvm);
    pageClearBusy(uvm, copyPage, PG_BUSY | PG_FAKE);
  }
  mutexExit(uvm, amap.lock);
  return 0;
}
