//! Amap reference counts: every live amap's `references` (am_ref) equals the map entries
//! referring to it, and where per-page counts (ppref) exist, each slot's count equals the
//! entries covering that slot. Entries never refer to a freed amap.

import type { Amap } from "../amap.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";
import { liveMaps } from "./heap.ts";

export const amapReferences: HeapInvariant = {
  name: "amap-references",
  check(heap: UvmHeap): string | null {
    const counted = new Map<Amap, number>();
    const covering = new Map<Amap, number[]>();
    for (const map of liveMaps(heap)) {
      for (const entry of map.entries) {
        const amap = entry.amap;
        if (amap === null) continue;
        if (!amap.alive) return `${map.name} [${entry.start},${entry.end}) refers to freed amap ${amap.id}`;
        counted.set(amap, (counted.get(amap) ?? 0) + 1);
        const slots = covering.get(amap) ?? new Array<number>(amap.slotCount).fill(0);
        for (let slot = entry.amapOffset; slot < entry.amapOffset + entry.pages; slot++) slots[slot] = (slots[slot] ?? 0) + 1;
        covering.set(amap, slots);
      }
    }
    for (const amap of heap.uvm.liveAmaps) {
      const count = counted.get(amap) ?? 0;
      if (amap.references !== count) return `amap ${amap.id}: am_ref ${amap.references}, but ${count} entries refer to it`;
      const perPage = amap.pageReferences;
      if (perPage === null) continue;
      const slots = covering.get(amap)!;
      for (let slot = 0; slot < amap.slotCount; slot++) {
        if (perPage[slot] !== slots[slot]) {
          return `amap ${amap.id} slot ${slot}: ppref ${perPage[slot]}, but ${slots[slot]} entries cover it`;
        }
      }
    }
    return null;
  },
};
