//! Fork: vmspace_fork and vm_map_copy_entry (vm_map.c, DragonFly 2004), and
//! vm_fault_copy_entry (D:1021-1102) for wired entries.
//!
//!   none    the child gets nothing
//!   share   the child's entry references the same object (a needs_copy entry is shadowed
//!           first, so both write into one object)
//!   copy    copy-on-write: both entries reference the object with needs_copy, the parent's
//!           translations write-protected; the first write of either shadows it.
//!
//! Departures (docs/semantics.md): a shared entry copied keeps the parent sharing (the seed
//! marked the parent's needs_copy too, so its writes stopped reaching the other sharers).
//! Over a file or a SysV shm segment, only the child's entry is copy-on-write, and its
//! untouched pages keep tracking the object (semantic decision 7). Shared anonymous memory
//! (`sharedMapping`, not a segment), and any object other entries write into directly, is
//! interposed: its pages move into a new object beneath it, which the child's entry
//! references, so the parent's sharers keep sharing and the child keeps a snapshot (what
//! NetBSD's shared amap gives it); a wired entry's private pages are copied for the child
//! (vm_fault_copy_entry), looking down the chain (F37) and mapping with the entry's
//! protection.

import { PROT_READ, PROT_WRITE } from "../../vocabulary/protection.ts";
import { vmObjectCollapse } from "./vm-object-collapse.ts";
import { linkShadow, unlinkShadow, type VmObject, vmObjectAllocate, vmObjectReference, vmObjectShadow } from "./vm-object.ts";
import { vmMapInsert, type VmMap, VmMapEntry } from "./vm-map.ts";
import { vmPageActivate, vmPageCopy, vmPageRename, vmPageWakeup } from "./vm-page.ts";
import { vmFaultCopyEntry, vmPageAllocWaiting } from "./vm-fault-copy-entry.ts";
import type { Vm } from "./vm.ts";

/** vmspace_fork: fills `child` from `parent`. Returns false when a copy ran out of memory (child to be torn down). */
export function vmspaceFork(vm: Vm, parent: VmMap, child: VmMap): boolean {
  parent.timestamp++;
  parent.inFork = true;
  try {
    for (const entry of [...parent.entries]) {
      if (entry.inheritance === "none") {
        vm.coverage.hit("fork.none");
        continue;
      }
      if (entry.inheritance === "share") forkShare(vm, entry, child);
      else if (!vmMapCopyEntry(vm, parent, child, entry)) return false;
    }
    return true;
  } finally {
    parent.inFork = false;
  }
}

function forkShare(vm: Vm, entry: VmMapEntry, child: VmMap): void {
  vm.coverage.hit("fork.share");
  if (entry.needsCopy) {
    const shadowed = vmObjectShadow(vm, entry.object, entry.offset, entry.pages);
    entry.object = shadowed.object;
    entry.offset = shadowed.offset;
    entry.needsCopy = false;
  }
  if (entry.object === null && !entry.reserved) {
    entry.object = vmObjectAllocate(vm, "default", entry.pages);
    entry.offset = 0;
  }
  if (entry.object !== null) vmObjectReference(entry.object); // vmspace_fork: the child's reference
  const copy = entry.cloneRange(entry.start, entry.end);
  copy.wiredCount = 0;
  copy.userWired = false;
  vmMapInsert(child, copy);
}

/** vm_map_copy_entry for an inherit=copy entry. */
function vmMapCopyEntry(vm: Vm, parent: VmMap, child: VmMap, source: VmMapEntry): boolean {
  const destination = new VmMapEntry(
    source.start,
    source.end,
    source.protection,
    source.maxProtection,
    source.inheritance,
    source.advice,
    null,
    0,
    true,
    false,
  );
  if (source.wiredCount > 0 && source.cow) {
    vm.coverage.hit("wire.copyEntry");
    vmMapInsert(child, destination);
    return vmFaultCopyEntry(vm, child, destination, source);
  }
  vm.coverage.hit("fork.copy");
  vmMapInsert(child, destination);
  const object = source.object;
  if (object === null) return true; // reserved or untouched: the child's first fault makes its own
  if (object.handle === null && object.type !== "vnode") vmObjectCollapse(vm, object);
  const breaksSharing = vm.seedBehaviour("seed-copy-entry-breaks-sharing");
  if (!source.cow && !breaksSharing && (!object.sharedMapping || object.sysvShm)) {
    vmObjectReference(object); // a shared entry over a file or a SysV segment: only the child copies on write
  } else if (!source.needsCopy && (object.sharedMapping || entryReferences(vm, object) > 1) && !breaksSharing) {
    const below = interpose(vm, object);
    return wiredPagesCopied(vm, object, below, source, destination);
  } else {
    vmObjectReference(object);
    if (!source.needsCopy) parent.pmap.protect(source.start, source.end, source.protection & ~PROT_WRITE);
    source.needsCopy = true;
  }
  destination.object = object;
  destination.offset = source.offset;
  return true;
}

/** The references on `object` that map entries hold: not its shadows', nor those of faults in progress on other threads. */
function entryReferences(vm: Vm, object: VmObject): number {
  let faults = 0;
  for (const fault of vm.faults.values()) if (fault.referenced && fault.firstObject === object) faults++;
  return object.refCount - object.shadowCount - faults;
}

/**
 * Moves every page and swap block of `object` into a new object beneath it and returns that
 * object: what `object` held becomes a snapshot its sharers still see through it.
 */
function interpose(vm: Vm, object: VmObject): VmObject {
  vm.coverage.hit("fork.copyInterposed");
  const below = vmObjectAllocate(vm, object.swapBlocks.size > 0 ? "swap" : "default", object.size);
  for (const page of [...object.pages.values()]) {
    if (page.wireCount > 0) continue; // a locked page stays where its wired translations expect it
    if (page.busy) continue; // a fault on another thread is filling it for the sharers
    vm.machine.mmu.pageProtect(page.frame, PROT_READ);
    vmPageRename(page, below, page.pindex);
  }
  for (const [pindex, slot] of object.swapBlocks) below.swapBlocks.set(pindex, slot);
  object.swapBlocks.clear();
  const next = object.backingObject;
  if (next !== null) {
    unlinkShadow(next, object);
    linkShadow(next, below);
  }
  below.backingObject = next;
  below.backingOffset = object.backingOffset;
  object.backingObject = below;
  object.backingOffset = 0;
  linkShadow(below, object);
  return below;
}

/**
 * The child's view after an interposition: the snapshot below, and a copy of each page some
 * entry has wired, which stayed in `object` (semantic decision 6: no copy-on-write fault may
 * ever hit a locked page). Out of memory: false.
 */
function wiredPagesCopied(vm: Vm, object: VmObject, below: VmObject, source: VmMapEntry, destination: VmMapEntry): boolean {
  const wired = [...object.pages.values()].filter((page) => page.wireCount > 0 && page.pindex >= source.offset && page.pindex < source.offset + source.pages);
  if (wired.length === 0) {
    vmObjectReference(below);
    destination.object = below;
    destination.offset = source.offset;
    return true;
  }
  const own = vmObjectAllocate(vm, "default", source.pages);
  vmObjectReference(below);
  own.backingObject = below;
  own.backingOffset = source.offset;
  linkShadow(below, own);
  destination.object = own;
  destination.offset = 0;
  destination.needsCopy = false;
  for (const page of wired) {
    const copy = vmPageAllocWaiting(vm, own, page.pindex - source.offset);
    if (copy === null) return false;
    vmPageCopy(vm, page, copy);
    vmPageActivate(copy);
    vmPageWakeup(copy);
  }
  return true;
}
