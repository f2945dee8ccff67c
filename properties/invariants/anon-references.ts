//! G4 anon reference counts: every live anon's `references` (an_ref) equals the amap slots
//! referring to it plus the outstanding loans to anons naming it. Neither an amap nor a loan
//! refers to a freed anon, and an anon nothing refers to has been freed.

import type { Anon } from "../../impl/uvm/anon.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";

export function countAnonReferences({ uvm }: UvmHeap): Map<Anon, number> {
  const counted = new Map<Anon, number>();
  for (const amap of uvm.liveAmaps) {
    for (const anon of amap.slots) if (anon !== null) counted.set(anon, (counted.get(anon) ?? 0) + 1);
  }
  for (const record of uvm.loans.values()) {
    if (record.items.to === "anon") for (const anon of record.items.anons) counted.set(anon, (counted.get(anon) ?? 0) + 1);
  }
  return counted;
}

export const anonReferences: HeapInvariant = {
  name: "G4 anon-references",
  check(heap: UvmHeap): string | null {
    const counted = countAnonReferences(heap);
    for (const [anon, count] of counted) {
      if (!anon.alive) return `an amap or a loan refers to freed anon ${anon.id}`;
      if (anon.references !== count) return `anon ${anon.id}: an_ref ${anon.references}, but ${count} references found`;
    }
    for (const anon of heap.uvm.liveAnons) {
      if (!counted.has(anon)) return `anon ${anon.id} (an_ref ${anon.references}) is referenced by nothing (leaked)`;
    }
    return null;
  },
};
