//! The kernel reading through a loan. A loan to the kernel holds the page itself, always
//! resident. A loan to anons holds anons, whose data may have gone to swap since: reading
//! pages it back in (like uvmfault_anonget, without a map), and a swap read error loses the
//! data for good (SWAP_SLOT_BAD, semantic decision 3) as it does for a fault.

import { SWAP_SLOT_BAD } from "../../hardware/units.ts";
import type { Anon } from "../anon.ts";
import { anonClearLock, anonDispose, anonFreeStructure, anonLockLoanPage } from "../anon.ts";
import type { Status } from "../errors.ts";
import { mutexEnter, mutexExit } from "../lock.ts";
import { lockPageQueues, pageActivate, pageAlloc, pageClearBusy, pageFree, unlockPageQueues } from "../page-allocator.ts";
import { type Page, PG_BUSY, PG_FAKE, PG_WANTED } from "../page.ts";
import { uvmReclaimable, uvmWait } from "../page-daemon.ts";
import { sleep, type Sleepy } from "../sleep.ts";
import { swapGetDone, swapMarkBad, swapRead } from "../swap.ts";
import type { Uvm } from "../uvm.ts";

/**
 * Reads `word` of a lent anon's data. The reader holds a reference while it reads, so an
 * unloan that runs while it sleeps cannot free the anon under it; the last one out frees it.
 * Requires: nothing locked.
 */
export function* readLoanedAnon(uvm: Uvm, anon: Anon, word: number): Sleepy<{ status: Status; value: number }> {
  mutexEnter(uvm, anon.lock!);
  anon.references++;
  anon.readerHolds++;
  mutexExit(uvm, anon.lock!);
  const result = yield* readHeldAnon(uvm, anon, word);
  mutexEnter(uvm, anon.lock!);
  anon.readerHolds--;
  anon.references--;
  if (anon.references > 0) {
    mutexExit(uvm, anon.lock!);
    return result;
  }
  const lock = anon.lock!;
  const disposed = yield* anonDispose(uvm, anon);
  mutexExit(uvm, lock);
  if (disposed) {
    anonClearLock(anon);
    anonFreeStructure(uvm, anon);
  }
  return result;
}

function* readHeldAnon(uvm: Uvm, anon: Anon, word: number): Sleepy<{ status: Status; value: number }> {
  for (;;) {
    const lock = anon.lock!;
    mutexEnter(uvm, lock);
    let page: Page | null = anon.page;
    if (page !== null && page.loanCount > 0) page = yield* anonLockLoanPage(uvm, anon);
    if (page?.busy) {
      // someone is paging it in (a fault or a loan of the same anon): wait, as anonget does (U4)
      uvm.coverage.hit("restart.pageBusyWait");
      page.flags |= PG_WANTED;
      if (page.object !== null) mutexExit(uvm, page.object.lock);
      mutexExit(uvm, lock);
      yield* sleep({ kind: "pageWait", site: "loan read busy page", page, epoch: page.busyEpoch });
      continue;
    }
    if (page !== null) {
      const value = uvm.machine.memory.read(page.frame, word);
      if (page.object !== null) mutexExit(uvm, page.object.lock);
      mutexExit(uvm, lock);
      return { status: 0, value };
    }
    if (anon.swapSlot === SWAP_SLOT_BAD) {
      mutexExit(uvm, lock);
      return { status: "EIO", value: 0 };
    }
    const fresh = pageAlloc(uvm, { anon });
    mutexExit(uvm, lock);
    if (fresh === null) {
      if (!uvmReclaimable(uvm)) return { status: "ENOMEM", value: 0 };
      yield* uvmWait(uvm, "loan read");
      continue;
    }
    const status = yield* pageIn(uvm, anon, fresh);
    if (status !== 0) return { status, value: 0 };
  }
}

/** Reads the anon's swap slot into `page` (BUSY, the anon's). On error the data is lost and the page freed. */
function* pageIn(uvm: Uvm, anon: Anon, page: Page): Sleepy<Status> {
  const read = swapRead(uvm, anon.swapSlot);
  yield* sleep({ kind: "io", site: "loan read swap-in" });
  const error = swapGetDone(uvm, page.frame, anon.swapSlot, read);
  mutexEnter(uvm, anon.lock!);
  lockPageQueues(uvm);
  if (error !== 0) {
    if (anon.swapSlot > 0) swapMarkBad(uvm, anon.swapSlot);
    anon.swapSlot = SWAP_SLOT_BAD;
    pageClearBusy(uvm, page, PG_BUSY | PG_WANTED);
    pageFree(uvm, page);
  } else {
    pageActivate(uvm, page);
    pageClearBusy(uvm, page, PG_BUSY | PG_WANTED | PG_FAKE);
  }
  unlockPageQueues(uvm);
  mutexExit(uvm, anon.lock!);
  return error;
}
