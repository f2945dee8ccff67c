//! Heap walks over the object graph, recomputed from the structures after every command:
//! shadow chains acyclic; shadow_count and ref_count equal to the references that exist;
//! no dead object reachable; nothing in flight at quiescence (paging in progress, BUSY pages).

import type { DragonflyKernel } from "../kernel.ts";
import type { VmObject } from "../vm-object.ts";
import type { Vm } from "../vm.ts";
import type { HeapWalk } from "../../../vocabulary/system-under-test.ts";

export interface DragonflyHeap {
  readonly vm: Vm;
  readonly kernel: DragonflyKernel;
}

export type DragonflyInvariant = HeapWalk<DragonflyHeap>;

export function shadowChainsAcyclic({ vm }: DragonflyHeap): string | null {
  for (const object of vm.objects) {
    const seen = new Set<VmObject>();
    for (let current: VmObject | null = object; current !== null; current = current.backingObject) {
      if (seen.has(current)) return `${object.describe()}: its shadow chain loops at ${current.describe()}`;
      seen.add(current);
      if (current.dead || !vm.objects.has(current)) return `${object.describe()}: its chain reaches ${current.describe()}, dead or freed`;
    }
  }
  return null;
}

/** Every reference that exists: map entries, shadows, and the file's hold on a vnode object. */
function countReferences({ vm, kernel }: DragonflyHeap): { references: Map<VmObject, number>; shadows: Map<VmObject, number> } {
  const references = new Map<VmObject, number>();
  const shadows = new Map<VmObject, number>();
  const add = (map: Map<VmObject, number>, object: VmObject) => map.set(object, (map.get(object) ?? 0) + 1);
  for (const object of vm.vnodeObjects) add(references, object);
  for (const map of kernel.processes.values()) for (const entry of map.entries) if (entry.object !== null) add(references, entry.object);
  for (const object of vm.objects) {
    if (object.backingObject === null) continue;
    add(references, object.backingObject);
    add(shadows, object.backingObject);
  }
  return { references, shadows };
}

export function referenceCounts(heap: DragonflyHeap): string | null {
  const { references, shadows } = countReferences(heap);
  for (const object of heap.vm.objects) {
    const shadowCount = shadows.get(object) ?? 0;
    if (object.shadowCount !== shadowCount || object.shadows.length !== shadowCount)
      return `${object.describe()}: shadow_count ${object.shadowCount} (list ${object.shadows.length}), ${shadowCount} objects shadow it`;
    const refCount = references.get(object) ?? 0;
    if (object.refCount !== refCount) return `${object.describe()}: ref_count ${object.refCount}, ${refCount} references exist`;
  }
  for (const object of references.keys()) if (!heap.vm.objects.has(object)) return `${object.describe()} is referenced but terminated`;
  return null;
}

export function nothingInFlight({ vm }: DragonflyHeap): string | null {
  for (const object of vm.objects)
    if (object.pagingInProgress !== 0) return `${object.describe()}: paging_in_progress ${object.pagingInProgress} with no operation in flight`;
  for (const page of vm.pages) if (page.allocated && page.busy) return `${page.describe()} BUSY with no thread parked`;
  return null;
}
