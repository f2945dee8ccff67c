//! Heap walks over pages, frames, swap and translations: every frame and swap slot owned
//! once; wired pages on no queue and off swap; every translation maps the page the chain
//! walk would find, read-only where a write would have to copy, and never a dead object's.

import { PROT_WRITE } from "../../../vocabulary/protection.ts";
import { SWAP_SLOT_BAD } from "../../hardware/units.ts";
import { vmMapLookupEntry } from "../vm-map.ts";
import type { VmObject } from "../vm-object.ts";
import type { VmPage } from "../vm-page.ts";
import type { DragonflyHeap } from "./object-graph.ts";

export function framesOwnedOnce({ vm }: DragonflyHeap): string | null {
  const memory = vm.machine.memory;
  for (const page of vm.pages) {
    if (page.allocated === memory.frameIsFree(page.frame))
      return `${page.describe()}: allocated ${page.allocated} but the frame pool says free ${memory.frameIsFree(page.frame)}`;
    if (!page.allocated) continue;
    if (page.object === null) return `${page.describe()} allocated but owned by no object`;
    if (page.object.pages.get(page.pindex) !== page) return `${page.describe()} not found at its index in its object`;
    if (!vm.objects.has(page.object)) return `${page.describe()} belongs to a terminated object`;
  }
  return null;
}

export function swapSlotsOwnedOnce({ vm }: DragonflyHeap): string | null {
  const owners = new Map<number, VmObject>();
  for (const object of vm.objects) {
    for (const slot of object.swapBlocks.values()) {
      if (slot === SWAP_SLOT_BAD) continue;
      const other = owners.get(slot);
      if (other !== undefined) return `swap slot ${slot} held by ${other.describe()} and ${object.describe()}`;
      if (vm.freeSwapSlots.includes(slot)) return `swap slot ${slot} of ${object.describe()} is on the free list`;
      owners.set(slot, object);
    }
  }
  const accounted = owners.size + vm.freeSwapSlots.length + vm.badSlots.size;
  if (accounted !== vm.world.swapSlots) return `${vm.world.swapSlots} swap slots, ${accounted} accounted for (in use, free, bad)`;
  return null;
}

export function wiredPagesUnqueued({ vm }: DragonflyHeap): string | null {
  for (const page of vm.pages) {
    if (!page.allocated || page.wireCount === 0) continue;
    if (page.queue !== "none") return `${page.describe()} wired but on the ${page.queue} queue`;
    if (page.object!.swapBlocks.has(page.pindex)) return `${page.describe()} wired but still holds a swap block`;
  }
  return null;
}

/** The page the chain walk from `first` at `pindex` finds resident, and whether it is in `first`. */
function chainPage(first: VmObject, pindex: number): { page: VmPage | null; inFirst: boolean } {
  let object: VmObject | null = first;
  let index = pindex;
  while (object !== null) {
    const page = object.pages.get(index);
    if (page !== undefined) return { page, inFirst: object === first };
    if (object.swapBlocks.has(index) || object.type === "vnode") return { page: null, inFirst: false };
    index += object.backingOffset;
    object = object.backingObject;
  }
  return { page: null, inFirst: false };
}

export function translationsMatchChains({ vm, kernel }: DragonflyHeap): string | null {
  for (const [pid, map] of kernel.processes) {
    for (const [va, translation] of map.pmap.translations()) {
      const entry = vmMapLookupEntry(map, va);
      const where = `pid ${pid} va ${va} → frame ${translation.frame}`;
      if (entry === null || entry.object === null) return `${where}: no entry or object there`;
      const page = vm.pageOfFrame(translation.frame);
      if (!page.allocated || page.object === null || page.object.dead) return `${where}: maps a free page or a dead object's`;
      const found = chainPage(entry.object, va - entry.start + entry.offset);
      if (found.page !== page)
        return `${where}: the chain walk finds ${found.page === null ? "no resident page" : found.page.describe()}, not ${page.describe()}`;
      if ((translation.prot & ~entry.protection) !== 0) return `${where}: protection ${translation.prot} beyond the entry's ${entry.protection}`;
      const mustCopy = !found.inFirst || entry.needsCopy;
      if ((translation.prot & PROT_WRITE) !== 0 && mustCopy) return `${where}: writable, but a write there would have to copy (${page.describe()})`;
    }
  }
  return null;
}
