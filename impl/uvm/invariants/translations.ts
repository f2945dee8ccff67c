//! G11 translations: every translation of a live process lies inside an entry, maps exactly
//! the page the entry's layers resolve for that address (the anon in the amap slot, else the
//! object's page; never the object page under an anon), and never grants more than the
//! entry's protection. The MMU's reverse map agrees with the pmaps both ways.
//! G17 (no FAKE page is mapped) is checked on the same walk.

import { PG_FAKE } from "../page.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";
import { liveMaps, translations } from "./heap.ts";

export const translationsMatchLayers: HeapInvariant = {
  name: "G11 translations-match-layers",
  check(heap: UvmHeap): string | null {
    for (const { pid, va, translation, entry, page } of translations(heap)) {
      if (entry === null) return `pid ${pid} va ${va} is translated but lies in no entry`;
      if ((translation.prot & ~entry.protection) !== 0) return `pid ${pid} va ${va} translated with more than the entry's protection`;
      const index = va - entry.start;
      const anon = entry.amap?.slots[entry.amapOffset + index] ?? null;
      if (anon !== null) {
        if (anon.page !== page) return `pid ${pid} va ${va} maps ${page.describe()}, but its amap slot holds anon ${anon.id}`;
        continue;
      }
      if (entry.object === null) return `pid ${pid} va ${va} maps ${page.describe()}, but the entry has neither anon nor object there`;
      const objectPage = entry.object.pages.get(entry.offset + index);
      if (objectPage !== page) return `pid ${pid} va ${va} maps ${page.describe()}, not ${entry.object.name}'s page ${entry.offset + index}`;
    }
    return heap.uvm.machine.mmu.verifyReverseMap(liveMaps(heap).map((map) => map.pmap));
  },
};

export const noFakeMapped: HeapInvariant = {
  name: "G17 no-fake-page-mapped",
  check(heap: UvmHeap): string | null {
    for (const { pid, va, page } of translations(heap)) {
      if ((page.flags & PG_FAKE) !== 0) return `pid ${pid} va ${va} maps ${page.describe()}, whose contents are not valid`;
    }
    return null;
  },
};
