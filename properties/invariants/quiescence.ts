//! G1/G2 quiescence between commands: no page is BUSY, WANTED or RELEASED, and no thread
//! holds any lock (maps, amaps, objects, page queues). A finished command left nothing
//! half done.

import { PG_BUSY, PG_RELEASED, PG_WANTED } from "../../impl/uvm/page.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";
import { liveMaps } from "./heap.ts";

export const quiescence: HeapInvariant = {
  name: "G1-G2 nothing-busy-nothing-locked",
  check(heap: UvmHeap): string | null {
    const { uvm } = heap;
    for (const page of uvm.pages) {
      if ((page.flags & (PG_BUSY | PG_WANTED | PG_RELEASED)) !== 0 || page.busyOwner !== null) return `${page.describe()} left busy`;
    }
    if (uvm.held.size > 0) return `locks still held: ${[...uvm.held].map((lock) => lock.name).join(", ")}`;
    if (uvm.pageQueueLock.holder !== null) return "uvm_pageqlock still held";
    for (const map of liveMaps(heap)) {
      if (map.lock.writer !== null || map.lock.readers.size > 0) return `${map.name} still locked`;
    }
    for (const amap of uvm.liveAmaps) if (amap.lock.holder !== null) return `amap ${amap.id} still locked`;
    for (const object of uvm.liveObjects) if (object.lock.holder !== null) return `${object.name} still locked`;
    return null;
  },
};
