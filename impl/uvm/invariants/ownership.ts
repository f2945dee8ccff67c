//! G12 ownership links agree both ways:
//!   an object's page says it belongs to that object at that offset, and vice versa;
//!   a PQ_ANON page's anon points back at it; an anon's page points back at the anon;
//!   an object page is never PQ_ANON; PQ_ANON and PQ_AOBJ exclude each other;
//!   a page with an anon but neither object nor PQ_ANON is an orphan on loan.

import { PQ_ANON, PQ_AOBJ } from "../page.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";

export const ownershipLinks: HeapInvariant = {
  name: "G12 ownership-links",
  check({ uvm }: UvmHeap): string | null {
    for (const object of uvm.liveObjects) {
      for (const [offset, page] of object.pages) {
        if (!page.allocated) return `${object.name} holds free frame ${page.frame}`;
        if (page.object !== object || page.offset !== offset) return `${object.name}@${offset} holds ${page.describe()}, which points elsewhere`;
      }
    }
    for (const anon of uvm.liveAnons) {
      const page = anon.page;
      if (page === null) continue;
      if (!page.allocated && page.loanCount === 0) return `anon ${anon.id} points at free frame ${page.frame}`;
      if (page.anon !== anon) return `anon ${anon.id} points at ${page.describe()}, which does not point back`;
    }
    for (const page of uvm.pages) {
      if (!page.allocated) continue;
      const anonOwned = (page.pqFlags & PQ_ANON) !== 0;
      if (anonOwned && (page.pqFlags & PQ_AOBJ) !== 0) return `${page.describe()} is both PQ_ANON and PQ_AOBJ`;
      if (page.object !== null && anonOwned) return `${page.describe()} is in an object and PQ_ANON`;
      if (page.object !== null && page.object.pages.get(page.offset) !== page) return `${page.describe()} not found in its object`;
      if (anonOwned && (page.anon === null || page.anon.page !== page)) return `PQ_ANON ${page.describe()} not held by its anon`;
      if (!anonOwned && page.object === null && page.anon !== null && page.loanCount === 0) return `orphan ${page.describe()} with an anon but no loan`;
    }
    return null;
  },
};
