//! vm_object_collapse (vm_object.c 1328-1480): shortening a shadow chain.
//!
//!   collapse   the backing object has no other reference (ref_count 1): its pages and swap
//!              blocks that `object` does not shadow move up into `object`, the rest are
//!              freed, and `object` takes over the backing object's own backing.
//!   bypass     the backing object is shared, but `object` shadows every page and swap block
//!              of it that it could see (OBSC_TEST_ALL_SHADOWED): `object` skips it and backs
//!              onto the next object down, dropping its reference on the skipped one.
//!
//! Only anonymous objects (default, swap) without a handle take part; paging in progress on
//! either object stops it (the seed then does the cheap vm_object_qcollapse; here nothing).
//! Nor does shared anonymous memory a copying fork put shadows over (`sharedMapping`): its
//! sharers write into it, so "every page it has is shadowed" says nothing about tomorrow
//! (found by uvmcheck in this implementation: counterexamples/dragonfly/fixed-bypass-mutable-backing.json).

import { assert } from "../../vocabulary/assert.ts";
import { linkShadow, unlinkShadow, type VmObject, vmObjectDeallocate, vmObjectReference } from "./vm-object.ts";
import { vmPageFree, vmPageRename } from "./vm-page.ts";
import { swapPagerFreeBlock } from "./swap-pager.ts";
import type { Vm } from "./vm.ts";

function anonymous(object: VmObject): boolean {
  return object.handle === null && object.type !== "vnode" && !object.dead;
}

export function vmObjectCollapse(vm: Vm, object: VmObject): void {
  for (;;) {
    const backing = object.backingObject;
    if (backing === null || !anonymous(backing) || !anonymous(object)) return;
    if (backing.sharedMapping) return; // it may still change: its shadows must keep seeing it
    if (object.pagingInProgress !== 0 || backing.pagingInProgress !== 0) return;
    if (backing.refCount === 1) {
      collapseInto(vm, object, backing);
      continue;
    }
    if (!allShadowed(object, backing)) return;
    bypass(vm, object, backing);
  }
}

/** Whether `object` has data of its own at `pindex`: a page or a swap block. */
function holds(object: VmObject, pindex: number): boolean {
  return object.pages.has(pindex) || object.swapBlocks.has(pindex);
}

/** OBSC_COLLAPSE_WAIT + swap_pager_copy: the backing object's pages and blocks move up or are freed. */
function collapseInto(vm: Vm, object: VmObject, backing: VmObject): void {
  vm.coverage.hit("object.collapse");
  for (const page of [...backing.pages.values()]) {
    assert(!page.busy, () => `vm_object_collapse: ${page.describe()} busy`);
    const pindex = page.pindex - object.backingOffset;
    const shadowed = holds(object, pindex);
    if (pindex < 0 || pindex >= object.size || shadowed) {
      vmPageFree(vm, page);
    } else vmPageRename(page, object, pindex);
  }
  for (const [backingIndex, slot] of [...backing.swapBlocks]) {
    const pindex = backingIndex - object.backingOffset;
    backing.swapBlocks.delete(backingIndex);
    if (pindex < 0 || pindex >= object.size || holds(object, pindex)) swapPagerFreeBlock(vm, slot);
    else {
      object.swapBlocks.set(pindex, slot);
      object.type = "swap";
    }
  }
  unlinkShadow(backing, object);
  const next = backing.backingObject;
  if (next !== null) {
    unlinkShadow(next, backing);
    linkShadow(next, object);
  }
  object.backingObject = next;
  object.backingOffset += backing.backingOffset;
  backing.backingObject = null;
  backing.refCount = 0;
  backing.dead = true;
  vm.objects.delete(backing);
}

/** OBSC_TEST_ALL_SHADOWED: every page or block of `backing` that `object` could see, `object` has. */
function allShadowed(object: VmObject, backing: VmObject): boolean {
  const visible = (backingIndex: number) => {
    const pindex = backingIndex - object.backingOffset;
    return pindex >= 0 && pindex < object.size && !holds(object, pindex);
  };
  for (const pindex of backing.pages.keys()) if (visible(pindex)) return false;
  for (const pindex of backing.swapBlocks.keys()) if (visible(pindex)) return false;
  // what lies below the backing object would become visible at the same indexes: it already is
  return true;
}

function bypass(vm: Vm, object: VmObject, backing: VmObject): void {
  vm.coverage.hit("object.bypass");
  const next = backing.backingObject;
  unlinkShadow(backing, object);
  object.backingObject = next;
  if (next !== null) {
    vmObjectReference(next);
    linkShadow(next, object);
  }
  object.backingOffset += backing.backingOffset;
  vmObjectDeallocate(vm, backing);
}
