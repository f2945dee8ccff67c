//! G5 lock identity (seed F's lock model): every anon in an amap is locked by
//! that amap's lock (`anon.lock === amap.lock`), and every lock object is held by exactly the
//! amaps and anons that point at it, and by the busier of a RELEASED anon page
//! (mutex_obj_hold / mutex_obj_free balance).

import type { Mutex } from "../lock.ts";
import { PG_RELEASED } from "../page.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";

export const lockIdentity: HeapInvariant = {
  name: "G5 lock-identity",
  check({ uvm }: UvmHeap): string | null {
    const holders = new Map<Mutex, number>();
    const hold = (lock: Mutex) => holders.set(lock, (holders.get(lock) ?? 0) + 1);
    for (const amap of uvm.liveAmaps) {
      hold(amap.lock);
      for (const anon of amap.slots) {
        if (anon !== null && anon.lock !== amap.lock) return `anon ${anon.id} in amap ${amap.id} is not locked by the amap's lock`;
      }
    }
    for (const anon of uvm.liveAnons) {
      if (anon.lock === null) continue;
      hold(anon.lock);
      // uvm_anon_dispose of an anon whose page is BUSY: the page is RELEASED and its busier holds the lock until uvm_anon_release
      if (anon.dying && anon.page !== null && (anon.page.flags & PG_RELEASED) !== 0) hold(anon.lock);
    }
    for (const [lock, count] of holders) {
      if (lock.references !== count) return `lock ${lock.name}: ${lock.references} references, ${count} holders`;
    }
    return null;
  },
};
