//! vm_object: the Mach/FreeBSD memory object, and shadow chains (vm_object.c, DragonFly
//! 2004).
//!
//! An object holds pages by index (`pages`) and, once the swap pager has written some, swap
//! blocks by index (`swapBlocks`). A private mapping's object may *shadow* another: a page
//! it lacks is looked up in its `backingObject` at `pindex + backingOffset`, and so on down
//! the chain to an object with no backing (zero fill) or a vnode (the file).
//!
//!   entry ─▶ S2 ──backing──▶ S1 ──backing──▶ X (default/swap)    anonymous memory
//!   entry ─▶ S  ──backing──▶ V (vnode, handle = the file)         private file mapping
//!
//! Counts, each recomputed by the heap walks (impl/dragonfly/invariants/):
//!   refCount          ref_count: map entries, shadows, and faults in progress pointing here
//!   shadowCount       shadow_count: objects whose backingObject is this one
//!   pagingInProgress  paging_in_progress: faults and pager operations using it now
//! A vnode object is kept by its file for the whole run (vp->v_object), which is no
//! reference: its ref_count counts the mappings and entries over it, and may be 0.
//! An object is terminated (OBJ_DEAD, pages and swap freed) when its last reference goes.

import { assert } from "../../vocabulary/assert.ts";
import type { SwapSlot } from "../hardware/units.ts";
import { vmObjectCollapse } from "./vm-object-collapse.ts";
import { type VmPage, vmPageFree } from "./vm-page.ts";
import { swapPagerFreeAll } from "./swap-pager.ts";
import type { Vm } from "./vm.ts";

export type ObjectType = "default" | "swap" | "vnode";

export class VmObject {
  /** OBJ_DEAD: set by vm_object_terminate. */
  dead = false;
  refCount = 1;
  shadowCount = 0;
  pagingInProgress = 0;
  /**
   * Mapped shared (MAP_SHARED anonymous memory): entries write into it directly, so it may
   * change under the shadows a copying fork puts over it. Never collapsed or bypassed.
   */
  sharedMapping = false;
  /** The memory of a SysV shared memory segment (sysv-shm.ts), not of an mmap: it is mapped shared too. */
  sysvShm = false;
  backingObject: VmObject | null = null;
  /** backing_object_offset, in pages */
  backingOffset = 0;
  /** shadow_head: the objects shadowing this one, oldest first. */
  readonly shadows: VmObject[] = [];
  readonly pages = new Map<number, VmPage>();
  /** The swap pager's blocks (swblock): a slot, or SWAP_SLOT_BAD when a read failed (data lost). */
  readonly swapBlocks = new Map<number, SwapSlot>();

  constructor(
    readonly id: number,
    public type: ObjectType,
    /** size, in pages */
    readonly size: number,
    /** handle: the file of a vnode object, else null */
    readonly handle: number | null,
  ) {}

  describe(): string {
    return `object ${this.id} (${this.type}${this.handle === null ? "" : ` file ${this.handle}`})`;
  }
}

/** vm_object_allocate: a new object with one reference. */
export function vmObjectAllocate(vm: Vm, type: ObjectType, size: number, handle: number | null = null): VmObject {
  assert(size > 0, "vm_object_allocate: empty object");
  const object = new VmObject(vm.nextObjectId++, type, size, handle);
  vm.objects.add(object);
  return object;
}

/** vm_object_reference */
export function vmObjectReference(object: VmObject): void {
  assert(!object.dead, () => `vm_object_reference: ${object.describe()} is dead`);
  object.refCount++;
}

/** shadow_head insertion (LIST_INSERT_HEAD) and removal, with shadow_count. */
export function linkShadow(backing: VmObject, shadow: VmObject): void {
  backing.shadows.unshift(shadow);
  backing.shadowCount++;
}

export function unlinkShadow(backing: VmObject, shadow: VmObject): void {
  const index = backing.shadows.indexOf(shadow);
  assert(index >= 0, () => `shadow list: ${shadow.describe()} does not shadow ${backing.describe()}`);
  backing.shadows.splice(index, 1);
  backing.shadowCount--;
}

/**
 * vm_object_deallocate (vm_object.c 307-405): drops one reference. At two references with
 * one shadow, the shadow is collapsed into its backing; at zero the object is terminated
 * and its backing object loses the reference the shadow held, and so on down the chain.
 */
export function vmObjectDeallocate(vm: Vm, first: VmObject | null): void {
  let object = first;
  while (object !== null) {
    assert(object.refCount > 0, () => `vm_object_deallocate: ${object!.describe()} deallocated too many times`);
    if (object.type === "vnode") {
      object.refCount--;
      return;
    }
    if (object.refCount > 2) {
      object.refCount--;
      return;
    }
    if (object.refCount === 2 && object.shadowCount === 0) {
      object.refCount--;
      return;
    }
    if (object.refCount === 2 && object.shadowCount === 1) {
      object.refCount--; // vm_object.c 335-336: drop ours before collapsing the shadow
      const shadow = object.shadows[0]!;
      if (shadow.handle !== null || shadow.type === "vnode") return;
      if (object.pagingInProgress > 0 || shadow.pagingInProgress > 0) return; // the seed sleeps (objde1/2); nothing is in flight between commands
      assert(shadow.refCount > 0, () => `vm_object_deallocate: shadow ${shadow.describe()} of ${object!.describe()} is dying`);
      shadow.refCount++;
      vmObjectCollapse(vm, shadow);
      object = shadow;
      continue;
    }
    object.refCount--;
    if (object.refCount !== 0) return;
    object = vmObjectTerminateChain(vm, object);
  }
}

/** The doterm label: unlinks `object` from its backing object, terminates it, returns the backing object. */
function vmObjectTerminateChain(vm: Vm, object: VmObject): VmObject | null {
  const backing = object.backingObject;
  if (backing !== null) {
    unlinkShadow(backing, object);
    object.backingObject = null;
  }
  if (!object.dead) vmObjectTerminate(vm, object);
  return backing;
}

/** vm_object_terminate: OBJ_DEAD, every page freed, every swap block released. Requires: no reference left. */
export function vmObjectTerminate(vm: Vm, object: VmObject): void {
  assert(object.refCount === 0, () => `vm_object_terminate: ${object.describe()} still referenced`);
  assert(object.pagingInProgress === 0, () => `vm_object_terminate: ${object.describe()} has paging in progress`);
  object.dead = true;
  vm.coverage.hit("object.terminate");
  for (const page of [...object.pages.values()]) {
    assert(!page.busy, () => `vm_object_terminate: ${page.describe()} busy`);
    assert(page.wireCount === 0, () => `vm_object_terminate: ${page.describe()} wired`);
    vmPageFree(vm, page);
  }
  swapPagerFreeAll(vm, object);
  vm.objects.delete(object);
}

/**
 * vm_object_shadow (vm_object.c 1043-1100): the entry's object is replaced by a new default
 * object backed by it at `offset`; the entry's reference moves to the shadow. An object
 * nobody else references is not shadowed (the seed's "don't create the new object if the
 * old object isn't shared"). Returns the (possibly new) object and its offset.
 */
export function vmObjectShadow(vm: Vm, source: VmObject | null, offset: number, length: number): { object: VmObject; offset: number } {
  const unshared = source !== null && source.refCount === 1 && source.handle === null && source.type !== "vnode";
  if (unshared) return { object: source, offset };
  const result = vmObjectAllocate(vm, "default", length);
  vm.coverage.hit("object.shadow");
  if (source !== null) {
    result.backingObject = source;
    linkShadow(source, result);
  }
  result.backingOffset = offset;
  return { object: result, offset: 0 };
}
