//! Paging-queue membership, both ways: the page daemon sees exactly the pages it may reclaim.
//!
//!   owned, unwired, idle page   → on exactly one paging queue (else the daemon never sees
//!                                 it: memory it could reclaim runs out, an ENOMEM unearned)
//!   page with no owner          → on no queue (the daemon would follow its missing owner;
//!                                 NetBSD's uvmpd_trylockowner asserts an owner, KASSERT)
//!
//! "Owned" is an object or an anon (an O->A loaned page whose object let go still has its
//! anon). Exempt: BUSY pages (their busier queues them when done), and the loan zero page
//! while no anon borrows it (ulz_put dequeues it: the kernel's loans alone never free it).

import type { HeapInvariant, UvmHeap } from "./heap.ts";

export const queueMembership: HeapInvariant = {
  name: "queue-membership",
  check({ uvm }: UvmHeap): string | null {
    for (const page of uvm.activeQueue) if (uvm.inactiveQueue.has(page)) return `${page.describe()} is on both paging queues`;
    for (const page of uvm.pages) {
      const owned = page.object !== null || page.anon !== null;
      if (!owned && page.queue !== "none") return `${page.describe()} has no owner but is on the ${page.queue} queue`;
      if (!page.allocated || !owned || page.busy || page.wireCount > 0 || page.queue !== "none") continue;
      if (page.object?.kind === "zero" && page.anon === null) continue;
      return `owned idle ${page.describe()} is on no paging queue: the page daemon never sees it`;
    }
    return null;
  },
};
