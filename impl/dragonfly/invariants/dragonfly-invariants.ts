//! The DragonFly system's heap walks, in evaluation order, and the leak check after the heal phase.

import { type DragonflyHeap, type DragonflyInvariant, inFlightHeld, referenceCounts, shadowChainsAcyclic } from "./object-graph.ts";
import { framesOwnedOnce, swapSlotsOwnedOnce, translationsMatchChains, wiredPagesUnqueued } from "./pages.ts";

export const dragonflyInvariants: readonly DragonflyInvariant[] = [
  { name: "D-chains shadow chains acyclic, no dead object reachable", check: shadowChainsAcyclic },
  { name: "D-references ref_count and shadow_count equal the references that exist", check: referenceCounts },
  { name: "D-in-flight every BUSY page owned by a parked thread, paging counts those of the faults in flight", check: inFlightHeld },
  { name: "D-frames frames owned once", check: framesOwnedOnce },
  { name: "D-swap swap slots owned once", check: swapSlotsOwnedOnce },
  { name: "D-wired wired pages on no queue and off swap", check: wiredPagesUnqueued },
  { name: "D-translations every translation maps what the chain walk finds", check: translationsMatchChains },
];

/** After the heal phase: no SysV segment, only the files' vnode objects alive, no wired page, no swap slot in use. */
export function dragonflyHealedLeaks({ vm, kernel }: DragonflyHeap): string | null {
  if (kernel.processes.size > 0) return `${kernel.processes.size} processes still alive`;
  if (vm.shmSegments.size > 0) return `${vm.shmSegments.size} SysV shared memory segments not removed`;
  for (const object of vm.objects) if (object.type !== "vnode") return `${object.describe()} leaked (ref_count ${object.refCount})`;
  for (const page of vm.pages) if (page.allocated && page.wireCount > 0) return `${page.describe()} still wired`;
  const inUse = vm.world.swapSlots - vm.freeSwapSlots.length - vm.badSlots.size;
  if (inUse !== 0) return `${inUse} swap slots leaked`;
  return null;
}
