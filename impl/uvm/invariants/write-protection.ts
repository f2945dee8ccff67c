//! The write-protection invariants, over every translation of every process:
//!
//!   G6   no writable translation of an anon page shared by more than one reference
//!   G9   no writable translation of an object page through a copy-on-write entry
//!   G10  no writable translation through an entry that still needs a copy
//!
//! Together they are copy-on-write isolation: a write always faults where it must copy.
//!
//! One window is exempt from G6, by NetBSD's design: while a fork of a wired entry sleeps in
//! amap_cow_now waiting for memory (both maps locked), the unborn child's amap shares the
//! parent's wired anons, which stay writable (wired pages must not fault). References held by
//! an unborn child's amap are therefore not counted. (Finding: a store by another thread of
//! the parent in that window reaches an anon the child still shares; the child's copy is taken
//! page by page, so its snapshot is not of one instant.)

import { PROT_WRITE } from "../../../vocabulary/protection.ts";
import type { Anon } from "../anon.ts";
import { PQ_ANON } from "../page.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";
import { translations } from "./heap.ts";

/** How many references each anon gets from the amaps of children that forks in progress are building. */
function unbornReferences(heap: UvmHeap): Map<Anon, number> {
  const counts = new Map<Anon, number>();
  for (const map of heap.kernel.embryos.values()) {
    for (const entry of map.entries) {
      for (let index = 0; index < entry.pages; index++) {
        const anon = entry.amap?.slots[entry.amapOffset + index] ?? null;
        if (anon !== null) counts.set(anon, (counts.get(anon) ?? 0) + 1);
      }
    }
  }
  return counts;
}

export const sharedAnonsReadOnly: HeapInvariant = {
  name: "G6 shared-anons-read-only",
  check(heap: UvmHeap): string | null {
    const unborn = heap.kernel.embryos.size === 0 ? null : unbornReferences(heap);
    for (const { pid, va, translation, page } of translations(heap)) {
      if ((translation.prot & PROT_WRITE) === 0) continue;
      if ((page.pqFlags & PQ_ANON) !== 0 && page.anon !== null && page.anon.references - (unborn?.get(page.anon) ?? 0) > 1) {
        return `pid ${pid} va ${va} maps anon ${page.anon.id} (an_ref ${page.anon.references}) writable`;
      }
    }
    return null;
  },
};

export const copyOnWriteObjectsReadOnly: HeapInvariant = {
  name: "G9 cow-object-pages-read-only",
  check(heap: UvmHeap): string | null {
    for (const { pid, va, translation, entry, page } of translations(heap)) {
      if ((translation.prot & PROT_WRITE) === 0 || entry === null) continue;
      if (entry.copyOnWrite && page.object !== null) return `pid ${pid} va ${va} maps ${page.describe()} writable through a copy-on-write entry`;
    }
    return null;
  },
};

export const needsCopyReadOnly: HeapInvariant = {
  name: "G10 needs-copy-read-only",
  check(heap: UvmHeap): string | null {
    for (const { pid, va, translation, entry } of translations(heap)) {
      if ((translation.prot & PROT_WRITE) !== 0 && entry !== null && entry.needsCopy) {
        return `pid ${pid} va ${va} is writable through an entry that still needs a copy`;
      }
    }
    return null;
  },
};
