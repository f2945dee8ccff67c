//! G14 wiring recomputed from the maps: a page's wire count is the number of wired map
//! entries (wired_count > 0, in every live process's map) whose layers resolve to it, the
//! anon in the amap slot where there is one, else the object's page, as a wire fault finds
//! it (uvm_fault_wire wires each page of an entry once, however many mlocks stacked on the
//! entry; uvm_map_pageable unwires an entry's pages when its count drops to zero). So every
//! page no wired entry reaches has wire count zero. Loans never wire a page here (a loan
//! refuses a wired page instead). A wired entry's pages are all resident: wiring faulted
//! them in, and neither the page daemon nor a flush frees a wired page.
//!
//! Checked only between operations: an mlock in progress (pass 2 of uvm_map_pageable, the
//! map busy) has counted the entry wired before its faults wire the pages.

import type { Page } from "../page.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";

export const wiringFromEntries: HeapInvariant = {
  name: "G14 wiring-from-entries",
  quiescentOnly: true,
  check(heap: UvmHeap): string | null {
    const expected = new Map<Page, number>();
    for (const [pid, process] of heap.kernel.processes) {
      for (const entry of process.map.entries) {
        if (entry.wiredCount === 0) continue;
        for (let va = entry.start; va < entry.end; va++) {
          const index = va - entry.start;
          const anon = entry.amap?.slots[entry.amapOffset + index] ?? null;
          const page = anon !== null ? anon.page : (entry.object?.pages.get(entry.offset + index) ?? null);
          if (page === null) return `pid ${pid} va ${va} lies in a wired entry but its page is not resident`;
          expected.set(page, (expected.get(page) ?? 0) + 1);
        }
      }
    }
    for (const page of heap.uvm.pages) {
      const wirings = expected.get(page) ?? 0;
      if (page.wireCount !== wirings) return `${page.describe()} has wire count ${page.wireCount}, but ${wirings} wired entries reach it`;
    }
    return null;
  },
};
