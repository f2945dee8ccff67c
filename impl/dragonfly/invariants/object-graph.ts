//! Heap walks over the object graph, recomputed from the structures after every command:
//! shadow chains acyclic; shadow_count and ref_count equal to the references that exist;
//! no dead object reachable; what is in flight held by a parked thread.
//!
//! A fault parked at a sleep point holds what the seed keeps across that sleep (docs/seeds.md:
//! DW1-DW4), read off the site it sleeps at, not off the fault's own bookkeeping:
//!
//!   DW1 pageWait     the first object's reference
//!   DW2, DW3         nothing
//!   DW4 io           the first object's reference; a paging count on the first object and
//!                    one on the object it reads from; its BUSY page
//!
//! Every BUSY page is owned by a parked thread (none at quiescence).

import type { DragonflyScheduler } from "../dragonfly-scheduler.ts";
import type { DragonflyKernel } from "../kernel.ts";
import type { VmObject } from "../vm-object.ts";
import type { Vm } from "../vm.ts";
import type { HeapWalk } from "../../../vocabulary/system-under-test.ts";

export interface DragonflyHeap {
  readonly vm: Vm;
  readonly kernel: DragonflyKernel;
  readonly scheduler: DragonflyScheduler;
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

const add = (map: Map<VmObject, number>, object: VmObject) => map.set(object, (map.get(object) ?? 0) + 1);

/** What the parked faults hold by the table above: first-object references and paging counts; or why a fault cannot be parked as it is. */
function heldInFlight({ vm, scheduler }: DragonflyHeap): { references: Map<VmObject, number>; paging: Map<VmObject, number> } | string {
  const references = new Map<VmObject, number>();
  const paging = new Map<VmObject, number>();
  for (const [thread, fault] of vm.faults) {
    const point = scheduler.sleepOf(thread);
    if (point === null) return `thread ${thread} has a fault in progress on ${fault.map.name} but is not parked`;
    const keepsReference = point.kind === "pageWait" || point.kind === "io";
    if (fault.referenced !== keepsReference)
      return `thread ${thread} parked at ${point.site} ${fault.referenced ? "keeps" : "dropped"} its reference on ${fault.firstObject.describe()}`;
    if (keepsReference) add(references, fault.firstObject);
    if (point.kind !== "io") continue;
    add(paging, fault.firstObject);
    if (fault.object !== fault.firstObject) add(paging, fault.object);
    const page = fault.m;
    if (page === null || !page.busy || page.busyOwner !== thread)
      return `thread ${thread} parked at ${point.site} without its BUSY page (${page?.describe() ?? "none"})`;
  }
  return { references, paging };
}

/** Every reference that exists: map entries, shadows, a SysV segment's, and parked faults (a file keeps its vnode object without one). */
function countReferences(heap: DragonflyHeap): { references: Map<VmObject, number>; shadows: Map<VmObject, number> } | string {
  const { vm, kernel } = heap;
  const held = heldInFlight(heap);
  if (typeof held === "string") return held;
  const references = held.references;
  const shadows = new Map<VmObject, number>();
  for (const object of vm.shmSegments.values()) add(references, object);
  for (const map of kernel.processes.values()) for (const entry of map.entries) if (entry.object !== null) add(references, entry.object);
  for (const object of vm.objects) {
    if (object.backingObject === null) continue;
    add(references, object.backingObject);
    add(shadows, object.backingObject);
  }
  return { references, shadows };
}

export function referenceCounts(heap: DragonflyHeap): string | null {
  const counted = countReferences(heap);
  if (typeof counted === "string") return counted;
  const { references, shadows } = counted;
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

export function inFlightHeld(heap: DragonflyHeap): string | null {
  const { vm, scheduler } = heap;
  const held = heldInFlight(heap);
  if (typeof held === "string") return held;
  for (const object of vm.objects) {
    const expected = held.paging.get(object) ?? 0;
    if (object.pagingInProgress !== expected)
      return `${object.describe()}: paging_in_progress ${object.pagingInProgress}, ${expected} held by the operations in flight`;
  }
  for (const page of vm.pages) {
    if (!page.allocated || !page.busy) continue;
    const owner = page.busyOwner;
    if (owner === null || scheduler.sleepOf(owner) === null) return `${page.describe()} BUSY, owned by thread ${owner}, which is not parked`;
  }
  return null;
}
