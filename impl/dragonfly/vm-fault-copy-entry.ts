//! vm_fault_copy_entry (D:1021-1102): at fork, a wired entry's child gets its own copies at
//! once (semantic decision 6).
//!
//! The seed looks each page up in the source's first object only and panics when it is not
//! there (bug F37: a read-only user wire wires pages of a backing object); it maps with
//! max_protection and waits for memory with both maps locked. Here each page is found by the
//! chain walk; a private page (in an anonymous object) is copied into the child's new
//! object; a page still in the file's vnode object is not copied: the child's object is
//! backed by the vnode there, so the child keeps tracking the file as the parent does. The
//! child's pages are entered with the entry's protection. Out of memory: false (ENOMEM).

import { assert } from "../../vocabulary/assert.ts";
import { vpn } from "../../vocabulary/units.ts";
import { linkShadow, type VmObject, vmObjectAllocate, vmObjectReference } from "./vm-object.ts";
import type { VmMap, VmMapEntry } from "./vm-map.ts";
import { type VmPage, vmPageActivate, vmPageAlloc, vmPageCopy, vmPageWakeup } from "./vm-page.ts";
import { vmWait } from "./vm-pageout.ts";
import type { Vm } from "./vm.ts";

export function vmFaultCopyEntry(vm: Vm, childMap: VmMap, destination: VmMapEntry, source: VmMapEntry): boolean {
  const object = vmObjectAllocate(vm, "default", destination.pages); // D:1041-1052
  destination.object = object;
  destination.offset = 0;
  destination.needsCopy = false;
  for (let index = 0; index < source.pages; index++) {
    const found = vm.seedBehaviour("seed-F37-source-object-only") ? sourceObjectOnly(source.object, source.offset + index) : findInChain(source.object, source.offset + index);
    if (found === null) continue;
    if (found.page === null || found.object.type === "vnode") {
      backByVnode(object, found.object, found.pindex - index);
      continue;
    }
    const copy = vmPageAllocWaiting(vm, object, index);
    if (copy === null) return false;
    vmPageCopy(vm, found.page, copy); // D:1086
    childMap.pmap.enter(
      vpn(destination.start + index),
      copy.frame,
      vm.seedBehaviour("seed-F37-max-protection") ? destination.maxProtection : destination.protection,
      { wired: false, canFail: false, access: 0 },
    ); // D:1093
    vmPageActivate(copy);
    vmPageWakeup(copy);
  }
  return true;
}

/** vm_page_alloc with VM_WAIT until it succeeds, or null when the page daemon cannot make room. */
export function vmPageAllocWaiting(vm: Vm, object: VmObject, pindex: number): VmPage | null {
  for (;;) {
    const page = vmPageAlloc(vm, object, pindex);
    if (page !== null) return page;
    if (!vmWait(vm)) return null; // D:1069-1075
  }
}

function backByVnode(object: VmObject, vnode: VmObject, offset: number): void {
  if (object.backingObject === vnode) return;
  assert(object.backingObject === null, () => `vm_fault_copy_entry: ${object.describe()} backed twice`);
  vmObjectReference(vnode);
  object.backingObject = vnode;
  object.backingOffset = offset;
  linkShadow(vnode, object);
}

/** The resident page a chain walk finds (a wired entry's pages are all resident), or null (zero). */
function findInChain(first: VmObject | null, pindex: number): { object: VmObject; pindex: number; page: VmPage | null } | null {
  let object = first;
  let index = pindex;
  while (object !== null) {
    const page = object.pages.get(index);
    if (page !== undefined) return { object, pindex: index, page };
    if (object.type === "vnode") return { object, pindex: index, page: null };
    assert(!object.swapBlocks.has(index), () => `vm_fault_copy_entry: a wired entry's page ${index} of ${object!.describe()} is on swap`);
    index += object.backingOffset;
    object = object.backingObject;
  }
  return null;
}

/** The seed's lookup (D:1081-1084): the source's first object only; a page elsewhere is a panic. */
function sourceObjectOnly(object: VmObject | null, pindex: number): { object: VmObject; pindex: number; page: VmPage } | null {
  const page = object?.pages.get(pindex);
  assert(object !== null, () => `vm_fault_copy_entry: no source object at ${pindex}`);
  assert(page !== undefined, () => `vm_fault_copy_entry: page missing at ${pindex}`);
  return { object, pindex, page };
}
