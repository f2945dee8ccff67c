//! Page-level helpers shared by the pagers: the PGO_LOCKED scan, and waiting for memory.

import { PROT_WRITE, type ProtectionBits } from "../../vocabulary/protection.ts";
import { assert } from "../../vocabulary/assert.ts";
import { mutexEnter, mutexExit, mutexOwned } from "./lock.ts";
import { DONTCARE, type PageSlot, type UvmObject } from "./object.ts";
import { pageSetBusy } from "./page-allocator.ts";
import { PG_BUSY, PG_RDONLY, PG_RELEASED, PG_WANTED, type Page } from "./page.ts";
import { uvmReclaimable, uvmWait } from "./page-daemon.ts";
import { sleep, type Sleepy } from "./sleep.ts";
import type { Uvm } from "./uvm.ts";

/**
 * The common part of pgo_get(PGO_LOCKED): busies and hands out the resident, idle pages of
 * `[offset, offset + slots.length)` for every null slot. `allocate` may supply a page for an
 * offset with no resident page (an aobj's never-swapped pages). Requires: object locked.
 */
export function getResidentPages(
  uvm: Uvm,
  object: UvmObject,
  offset: number,
  slots: PageSlot[],
  center: number,
  access: ProtectionBits,
  allocate: (pageOffset: number) => Page | null,
): { status: 0 | "EBUSY"; got: number } {
  assert(mutexOwned(uvm, object.lock), () => `pgo_get(PGO_LOCKED): ${object.name} not locked`);
  let got = 0;
  for (let index = 0; index < slots.length; index++) {
    if (slots[index] !== null) continue;
    const resident = object.pages.get(offset + index) ?? null;
    if (resident === null) {
      const fresh = allocate(offset + index);
      if (fresh !== null) {
        slots[index] = fresh;
        got++;
      }
      continue;
    }
    if ((resident.flags & (PG_BUSY | PG_RELEASED)) !== 0) continue;
    if ((access & PROT_WRITE) !== 0 && (resident.flags & PG_RDONLY) !== 0) continue;
    pageSetBusy(uvm, resident);
    slots[index] = resident;
    got++;
  }
  const centerPage = slots[center];
  return { status: centerPage !== null && centerPage !== DONTCARE && centerPage !== undefined ? 0 : "EBUSY", got };
}

/**
 * A pager that met a BUSY page: marks it WANTED, unlocks the object, sleeps until the busier
 * wakes it, and relocks. The caller then looks again (the page may be gone).
 */
export function* waitForBusyPage(uvm: Uvm, object: UvmObject, page: Page, site: string): Sleepy<void> {
  uvm.coverage.hit("restart.pageBusyWait");
  page.flags |= PG_WANTED;
  mutexExit(uvm, object.lock);
  yield* sleep({ kind: "pageWait", site, page, epoch: page.busyEpoch });
  mutexEnter(uvm, object.lock);
}

/**
 * A pager that found no free frame: sleeps in uvm_wait (the page daemon runs) unless nothing
 * is reclaimable. Returns whether to retry; false means give up with ENOMEM.
 * Requires: nothing locked.
 */
export function* waitForMemory(uvm: Uvm, site: string): Sleepy<boolean> {
  if (!uvmReclaimable(uvm)) return false;
  yield* uvmWait(uvm, site);
  return true;
}
