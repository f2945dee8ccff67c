//! G1/G2 quiescence between commands: no page is BUSY, WANTED or RELEASED, and no thread
//! holds any lock (maps, amaps, objects, page queues). A finished command left nothing
//! half done. Checked when no thread is parked; while one is, `parkedThreadsOnly` (G1, G3)
//! says what it may hold.

import { PG_BUSY, PG_RELEASED, PG_WANTED } from "../page.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";
import { liveMaps } from "./heap.ts";

export const quiescence: HeapInvariant = {
  name: "G1-G2 nothing-busy-nothing-locked",
  quiescentOnly: true,
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

/**
 * G1/G3 while threads are parked: every BUSY page has one owner, a parked thread (only it may
 * clear BUSY: pageClearBusy asserts that); no mutex is held by anyone; a map is locked or
 * busy only by a parked thread whose sleep point keeps its maps (U3, amap_cow_now) or by the
 * wiring thread that busied it.
 */
export const parkedThreadsOnly: HeapInvariant = {
  name: "G3 busy-pages-owned-by-parked-threads",
  check(heap: UvmHeap): string | null {
    const { uvm, scheduler } = heap;
    const parked = new Set(scheduler.parked().map((thread) => thread.thread as number));
    for (const page of uvm.pages) {
      if (!page.busy) {
        if (page.busyOwner !== null) return `${page.describe()} is not BUSY but has owner thread ${page.busyOwner}`;
        continue;
      }
      if (page.busyOwner === null || !parked.has(page.busyOwner)) return `${page.describe()} is BUSY, owned by thread ${page.busyOwner}, which is not parked`;
    }
    if (uvm.pageQueueLock.holder !== null) return `uvm_pageqlock held by thread ${uvm.pageQueueLock.holder} between steps`;
    for (const amap of uvm.liveAmaps) if (amap.lock.holder !== null) return `amap ${amap.id} locked by thread ${amap.lock.holder} between steps`;
    for (const object of uvm.liveObjects) if (object.lock.holder !== null) return `${object.name} locked by thread ${object.lock.holder} between steps`;
    for (const map of liveMaps(heap)) {
      const holders = [map.lock.writer, ...map.lock.readers.keys(), map.lock.busy].filter((holder) => holder !== null);
      for (const holder of holders) {
        const point = scheduler.sleepOf(holder);
        const keeps = point !== null && (map.lock.busy === holder || ((point.kind === "pause" || point.kind === "memoryWait") && point.keepsMaps === true));
        if (!keeps) return `${map.name} held by thread ${holder}, which ${point === null ? "is not parked" : `sleeps at ${point.site} without keeping its maps`}`;
      }
    }
    return null;
  },
};
