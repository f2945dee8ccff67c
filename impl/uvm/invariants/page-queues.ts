//! Paging queues and wiring (G14): a page's queue field agrees with the queue that holds it;
//! only allocated pages are queued; a wired page is on no queue (so it is never paged out)
//! and never on loan (loans refuse wired pages, and wiring breaks loans: bug F7).

import type { HeapInvariant, UvmHeap } from "./heap.ts";

export const pageQueues: HeapInvariant = {
  name: "G14 queues-and-wiring",
  check({ uvm }: UvmHeap): string | null {
    for (const page of uvm.activeQueue) if (page.queue !== "active" || !page.allocated) return `${page.describe()} on the active queue says ${page.queue}`;
    for (const page of uvm.inactiveQueue)
      if (page.queue !== "inactive" || !page.allocated) return `${page.describe()} on the inactive queue says ${page.queue}`;
    for (const page of uvm.pages) {
      if (page.queue === "active" && !uvm.activeQueue.has(page)) return `${page.describe()} says active but is not queued`;
      if (page.queue === "inactive" && !uvm.inactiveQueue.has(page)) return `${page.describe()} says inactive but is not queued`;
      if (page.wireCount > 0 && page.queue !== "none") return `wired ${page.describe()} is on the ${page.queue} queue`;
      if (page.wireCount > 0 && page.loanCount > 0) return `wired ${page.describe()} is on loan`;
    }
    return null;
  },
};
