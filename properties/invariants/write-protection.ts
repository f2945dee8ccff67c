//! The write-protection invariants, over every translation of every process:
//!
//!   G6   no writable translation of an anon page shared by more than one reference
//!   G9   no writable translation of an object page through a copy-on-write entry
//!   G10  no writable translation through an entry that still needs a copy
//!
//! Together they are copy-on-write isolation: a write always faults where it must copy.

import { PROT_WRITE } from "../../vocabulary/protection.ts";
import { PQ_ANON } from "../../impl/uvm/page.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";
import { translations } from "./heap.ts";

export const sharedAnonsReadOnly: HeapInvariant = {
  name: "G6 shared-anons-read-only",
  check(heap: UvmHeap): string | null {
    for (const { pid, va, translation, page } of translations(heap)) {
      if ((translation.prot & PROT_WRITE) === 0) continue;
      if ((page.pqFlags & PQ_ANON) !== 0 && page.anon !== null && page.anon.references > 1) {
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
