//! G4 anon reference counts: every live anon's `references` (an_ref) equals the amap slots
//! referring to it plus the outstanding loans to anons naming it. Neither an amap nor a loan
//! refers to a freed anon, and an anon nothing refers to has been freed.

import { heldItems } from "../loan/loan-record.ts";
import type { Anon } from "../anon.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";

export function countAnonReferences({ uvm }: UvmHeap): Map<Anon, number> {
  const counted = new Map<Anon, number>();
  for (const amap of uvm.liveAmaps) {
    for (const anon of amap.slots) if (anon !== null) counted.set(anon, (counted.get(anon) ?? 0) + 1);
  }
  for (const loan of [...uvm.loans.values(), ...uvm.returningLoans, ...uvm.loansInProgress]) {
    const items = heldItems(loan);
    if (items.to === "anon") for (const anon of items.anons) counted.set(anon, (counted.get(anon) ?? 0) + 1);
  }
  for (const anon of uvm.liveAnons) {
    const held = (anon.spareOf !== null ? 1 : 0) + anon.readerHolds; // a parked fault's anon_spare; loan readers
    if (held > 0) counted.set(anon, (counted.get(anon) ?? 0) + held);
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
      if (!counted.has(anon) && !anon.dying) return `anon ${anon.id} (an_ref ${anon.references}) is referenced by nothing (leaked)`;
    }
    return null;
  },
};
