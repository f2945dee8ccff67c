//! uvmfault_anonget (seed F:270-520): get an anon's data into a resident,
//! idle page.
//!
//!   loaned page         → find and lock its real owner (uvm_anon_lockloanpg)     L0
//!   resident, idle      → done, everything still locked                           L1
//!   resident, BUSY      → unlock all, wait for it, relock, re-verify              L2
//!   not resident        → allocate a page (or wait for memory / ENOMEM)           L3
//!                         read it from swap with nothing locked                   L4
//!   after any sleep     → relock the map (the version must match), then:
//!                         our I/O failed: the slot goes bad, the data is lost (EIO)
//!                         our page was RELEASED meanwhile: free the anon, ERESTART
//!                         the map changed: ERESTART
//!                         the amap slot no longer holds this anon: ERESTART
//!
//! Requires: maps, amap and anon locked (`anon.lock === amap.lock`).
//! Ensures on 0: all still locked; the page resident, not BUSY, not RELEASED; a loaned
//! object page's object locked too. On error: everything unlocked.

import { assert } from "../../../../vocabulary/assert.ts";
import { SWAP_SLOT_BAD } from "../../../hardware/units.ts";
import type { Amap } from "../../amap.ts";
import { amapLookup } from "../../amap.ts";
import { type Anon, anonLockLoanPage, anonRelease } from "../../anon.ts";
import type { Status } from "../../errors.ts";
import { mutexEnter, mutexExit, mutexOwned } from "../../lock.ts";
import { lockPageQueues, pageActivate, pageAlloc, pageClearBusy, pageFree, unlockPageQueues, wakeupPage } from "../../page-allocator.ts";
import { type Page, PG_BUSY, PG_FAKE, PG_RELEASED, PG_WANTED } from "../../page.ts";
import { uvmReclaimable, uvmWait } from "../../page-daemon.ts";
import { sleep, type Sleepy } from "../../sleep.ts";
import { swapGetDone, swapMarkBad, swapRead } from "../../swap.ts";
import type { Uvm } from "../../uvm.ts";
import { type FaultInfo, faultRelock, faultUnlockAll, faultUnlockMaps } from "../fault-info.ts";

export function* anonGet(uvm: Uvm, info: FaultInfo | null, amap: Amap, anon: Anon): Sleepy<Status> {
  assert(anon.lock !== null, () => `uvmfault_anonget: anon ${anon.id} has no lock`); // F:280
  assert(mutexOwned(uvm, anon.lock), () => `uvmfault_anonget: anon ${anon.id} not locked`); // F:280
  assert(anon.lock === amap.lock, () => `uvmfault_anonget: anon ${anon.id} not locked by amap ${amap.id}`); // F:281
  for (;;) {
    let page: Page | null = anon.page;
    if (page !== null && page.loanCount > 0) {
      page = yield* anonLockLoanPage(uvm, anon); // L0, F:305-306
      if (info !== null && !uvm.seedBehaviour("seed-F15") && amapLookup(uvm, info.currentEntry, info.origVa - info.currentEntry.start) !== anon) {
        // Our fix of bug F15: lockloanpg may have let go of the amap lock for a tick; the
        // slot must still hold this anon (the seed only checks that after its own sleeps, F:504).
        uvm.coverage.hit("restart.amapSlotChanged");
        if (page?.object != null) mutexExit(uvm, page.object.lock);
        faultUnlockAll(uvm, info, amap, null);
        return "ERESTART";
      }
    }
    let weOwn = false;
    let error: Status = 0;
    if (page !== null) {
      if (!page.busy) return 0; // L1, F:321-324
      yield* waitForBusyPage(uvm, info, amap, anon, page); // L2, F:325-347
    } else {
      page = pageAlloc(uvm, { anon }); // L3/L4, F:355-387
      if (page === null) {
        faultUnlockAll(uvm, info, amap, null);
        if (!uvmReclaimable(uvm)) return "ENOMEM";
        yield* uvmWait(uvm, "flt_noram1");
      } else {
        weOwn = true;
        faultUnlockAll(uvm, info, amap, null);
        const read = swapRead(uvm, anon.swapSlot); // the slot cannot change: our page is BUSY
        yield* sleep({ kind: "io", site: "U6 anonget swap-in" });
        error = swapGetDone(uvm, page.frame, anon.swapSlot, read);
        // The data is valid from here on, while the page stays BUSY until the relock: it no
        // longer counts as only on swap (swpgonly dropped in swapGetDone), so it is not FAKE.
        if (error === 0) page.flags &= ~PG_FAKE;
      }
    }
    const locked = yield* faultRelock(uvm, info); // R, F:397-400
    if (locked && !weOwn && info !== null) {
      // Our fix: nothing pinned the anon while we slept (no BUSY page of ours), so it may have
      // been freed (its lock gone). The seed takes anon->an_lock first (F:399) and checks the
      // slot only after (F:504). Take the amap's lock, the anon's own while the slot holds it,
      // and check the slot before touching the anon (fixed-anonget-relocks-freed-anon).
      mutexEnter(uvm, amap.lock);
      if (!slotStillHolds(uvm, info, anon)) {
        uvm.coverage.hit("restart.amapSlotChanged");
        faultUnlockAll(uvm, info, amap, null);
        return "ERESTART";
      }
    } else if (locked || weOwn) mutexEnter(uvm, anon.lock!);
    if (weOwn) {
      const settled = finishSwapIn(uvm, info, anon, page!, error, locked); // W, F:413-486
      if (settled !== null) return settled;
    }
    if (!locked) {
      // N, F:492-498
      if (weOwn) mutexExit(uvm, anon.lock!);
      return "ERESTART";
    }
    if (info !== null && !slotStillHolds(uvm, info, anon)) {
      // V, F:504-510
      uvm.coverage.hit("restart.amapSlotChanged");
      faultUnlockAll(uvm, info, amap, null);
      return "ERESTART";
    }
  }
}

/** V (F:504-505): the amap slot of the faulting address still holds `anon`. Requires: amap locked. */
function slotStillHolds(uvm: Uvm, info: FaultInfo, anon: Anon): boolean {
  return amapLookup(uvm, info.currentEntry, info.origVa - info.currentEntry.start) === anon;
}

/** L2: mark the page WANTED, drop every lock, sleep on the page (atomically with the owner's lock). */
function* waitForBusyPage(uvm: Uvm, info: FaultInfo | null, amap: Amap, anon: Anon, page: Page): Sleepy<void> {
  uvm.coverage.hit("restart.pageBusyWait");
  page.flags |= PG_WANTED;
  if (page.object !== null) {
    faultUnlockAll(uvm, info, amap, null);
    mutexExit(uvm, page.object.lock);
  } else {
    faultUnlockMaps(uvm, info);
    mutexExit(uvm, anon.lock!);
  }
  yield* sleep({ kind: "pageWait", site: "U4 anonget busy page", page, epoch: page.busyEpoch });
}

/**
 * W (F:413-486): clean up after our own swap-in. Returns the final status when anonget must
 * return now, or null to carry on (the page is valid and activated).
 * Requires: the anon locked (and the maps when `locked`).
 */
function finishSwapIn(uvm: Uvm, info: FaultInfo | null, anon: Anon, page: Page, error: Status, locked: boolean): Status | null {
  if ((page.flags & PG_WANTED) !== 0) wakeupPage(uvm, page);
  if (error !== 0) {
    if (anon.swapSlot > 0) swapMarkBad(uvm, anon.swapSlot); // F:427-429
    anon.swapSlot = SWAP_SLOT_BAD;
    if ((page.flags & PG_RELEASED) === 0) {
      lockPageQueues(uvm);
      pageClearBusy(uvm, page, PG_BUSY | PG_WANTED);
      pageFree(uvm, page);
      unlockPageQueues(uvm);
      if (locked) faultUnlockMaps(uvm, info);
      mutexExit(uvm, anon.lock!);
      return error;
    }
  }
  if ((page.flags & PG_RELEASED) !== 0) {
    // X, F:451-472
    uvm.coverage.hit("restart.pageReleased");
    assert(anon.references === 0, () => `uvmfault_anonget: RELEASED page of anon ${anon.id} with references`);
    if (locked) faultUnlockMaps(uvm, info);
    anonRelease(uvm, anon);
    return error !== 0 ? error : "ERESTART";
  }
  lockPageQueues(uvm);
  pageActivate(uvm, page);
  unlockPageQueues(uvm);
  pageClearBusy(uvm, page, PG_WANTED | PG_BUSY | PG_FAKE);
  return null;
}
