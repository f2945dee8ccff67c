//! Frames: every frame is free, or owned exactly once (by one object, or as PQ_ANON by one
//! anon), or an orphan kept alive by loans. A free frame is referenced by nothing.

import { PQ_ANON } from "../page.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";

export const framesOwnedOnce: HeapInvariant = {
  name: "frames free-or-owned-once",
  check({ uvm }: UvmHeap): string | null {
    const memory = uvm.machine.memory;
    for (const page of uvm.pages) {
      if (memory.frameIsFree(page.frame) === page.allocated) {
        return `frame ${page.frame}: memory says ${memory.frameIsFree(page.frame) ? "free" : "allocated"}, vm_page says ${page.allocated ? "allocated" : "free"}`;
      }
      if (!page.allocated) {
        if (page.object !== null || page.anon !== null || page.queue !== "none") return `free ${page.describe()} still has an owner or a queue`;
        if (uvm.machine.mmu.reverseEntries(page.frame).length > 0) return `free frame ${page.frame} is still mapped`;
        continue;
      }
      const owners = (page.object !== null ? 1 : 0) + ((page.pqFlags & PQ_ANON) !== 0 ? 1 : 0);
      if (owners > 1) return `${page.describe()} owned by an object and, as PQ_ANON, by an anon`;
      if (owners === 0 && page.loanCount === 0) return `${page.describe()} allocated but owned by nobody (leaked)`;
    }
    return null;
  },
};
