//! Lending object pages (seed L:446-828).
//!
//!   uvm_loanuobj        one page of a mapping's object: get it BUSY (PGO_LOCKED, else
//!                       PGO_SYNCIO with everything unlocked and a re-verification after),
//!                       then lend it to the kernel (uvm_loanpage) or to an anon (O->A: a new
//!                       anon borrowing the object's page, or one more reference on the anon
//!                       that already borrows it)
//!   uvm_loanpage        lend BUSY object pages to the kernel; a wired page stops it (EBUSY)
//!                       and the loans just made are undone
//!
//! Fixes of seed bugs: after object I/O the amap slot is re-verified at the page being lent
//! (`va`), not at the start of the range (bug F5, variant seed-F5); an anon that already
//! borrows the page may sit in an amap whose lock ranks before the object's, so it is only
//! try-locked (F19).

import { assert } from "../../../vocabulary/assert.ts";
import { PROT_READ } from "../../../vocabulary/protection.ts";
import { amapLookup } from "../amap.ts";
import { anonAlloc, anonFreeStructure, awaitDisposal } from "../anon.ts";
import type { Status } from "../errors.ts";
import { type FaultInfo, faultRelock, faultUnlockAll } from "../fault/fault-info.ts";
import { Mutex, mutexEnter, mutexExit, mutexOwned, mutexTryEnter } from "../lock.ts";
import type { PageSlot, UvmObject } from "../object.ts";
import { lockPageQueues, pageActivate, pageClearBusy, pageFree, pageUnbusy, unlockPageQueues, wakeupPage } from "../page-allocator.ts";
import { type Page, PG_BUSY, PG_PAGEOUT, PG_RELEASED, PG_WANTED } from "../page.ts";
import { sleep, type Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";
import type { LoanOutput, LoanStep } from "./loan.ts";
import { giveBack } from "./loan-record.ts";

/** uvm_loanuobj (L:623-828). Requires: maps and amap (if any) locked. */
export function* loanObject(uvm: Uvm, info: FaultInfo, output: LoanOutput, va: number): Sleepy<LoanStep> {
  const entry = info.currentEntry;
  const amap = entry.amap;
  const object = entry.object!;
  const offset = va - entry.start + entry.offset;
  mutexEnter(uvm, object.lock);
  const slots: PageSlot[] = [null];
  const locked = object.hasGet ? object.getLocked(uvm, offset, slots, 0, PROT_READ, "normal").status : "EIO";
  let page: Page;
  if (locked === "EIO") {
    faultUnlockAll(uvm, info, amap, object);
    return "refused";
  }
  if (locked === "EBUSY") {
    const fetched = yield* fetchObjectPage(uvm, info, object, offset, va);
    if (typeof fetched === "string") return fetched;
    page = fetched;
  } else {
    page = slots[0] as Page;
  }
  const owner = page.object!;
  assert(mutexOwned(uvm, owner.lock), "uvm_loanuobj: the page's object is not locked"); // L:736
  if (output.to === "kernel") {
    if ((yield* loanPages(uvm, [page])) !== 0) {
      faultUnlockAll(uvm, info, amap, owner);
      return "refused";
    }
    mutexExit(uvm, owner.lock);
    output.pages.push(page);
    uvm.coverage.hit("loan.objectToKernel");
    return "lent";
  }
  return yield* lendObjectPageToAnon(uvm, info, output, page);
}

/**
 * L:669-734: the page is not resident (or busy): fetch it with everything but the object
 * unlocked, then relock and re-verify. Returns the BUSY page with maps, amap and its object
 * locked, or 0 (look up again) / -1 (refused) with everything unlocked.
 */
function* fetchObjectPage(uvm: Uvm, info: FaultInfo, object: UvmObject, offset: number, va: number): Sleepy<Page | LoanStep> {
  const entry = info.currentEntry;
  const amap = entry.amap;
  faultUnlockAll(uvm, info, amap, null);
  const got = yield* object.getSync(uvm, offset, PROT_READ); // L3
  if (got.status === "EAGAIN") {
    yield* sleep({ kind: "pause", site: "L4 loanuobj EAGAIN" });
    return "again";
  }
  if (got.status !== 0) return "refused";
  const page = got.page;
  let locked = yield* faultRelock(uvm, info);
  if (locked && amap !== null) mutexEnter(uvm, amap.lock);
  const owner = page.object!;
  mutexEnter(uvm, owner.lock);
  const checkedVa = uvm.seedBehaviour("seed-F5") ? info.origVa : va;
  const slotFilled = locked && amap !== null && amapLookup(uvm, entry, checkedVa - entry.start) !== null;
  if (slotFilled) uvm.coverage.hit("restart.amapSlotChanged");
  if ((page.flags & PG_RELEASED) !== 0) uvm.coverage.hit("restart.pageReleased");
  if ((page.flags & PG_RELEASED) !== 0 || slotFilled) {
    if (locked) faultUnlockAll(uvm, info, amap, null);
    locked = false;
  }
  if (locked) return page;
  if ((page.flags & PG_WANTED) !== 0) wakeupPage(uvm, page);
  lockPageQueues(uvm);
  if ((page.flags & PG_RELEASED) !== 0) pageFree(uvm, page);
  else {
    pageActivate(uvm, page);
    pageClearBusy(uvm, page, PG_BUSY | PG_WANTED);
  }
  unlockPageQueues(uvm);
  mutexExit(uvm, owner.lock);
  return "again";
}

/** L:755-828: O->A. Requires: maps, amap, object locked; the page BUSY. */
function* lendObjectPageToAnon(uvm: Uvm, info: FaultInfo, output: LoanOutput, page: Page): Sleepy<LoanStep> {
  const amap = info.currentEntry.amap;
  const object = page.object!;
  const borrower = page.anon;
  if (borrower?.dying && !uvm.seedBehaviour("seed-loan-revives-dying-anon")) {
    pageUnbusy(uvm, page); // a dying borrower is not lent again (see loan-zero.ts)
    faultUnlockAll(uvm, info, amap, object);
    yield* awaitDisposal(uvm, borrower);
    return "again";
  }
  if (borrower !== null) {
    const lock = borrower.lock!;
    const alreadyHeld = mutexOwned(uvm, lock);
    if (!alreadyHeld && !mutexTryEnter(uvm, lock)) {
      pageUnbusy(uvm, page); // F19: back off instead of locking against the order
      faultUnlockAll(uvm, info, amap, object);
      return "again";
    }
    borrower.references++;
    if (!alreadyHeld) mutexExit(uvm, lock);
    if ((page.flags & PG_WANTED) !== 0) wakeupPage(uvm, page);
    pageClearBusy(uvm, page, PG_WANTED | PG_BUSY);
    mutexExit(uvm, object.lock);
    output.anons.push(borrower);
    uvm.coverage.hit("loan.objectToAnon");
    return "lent";
  }
  const anon = anonAlloc(uvm);
  anon.lock = new Mutex(`anon ${anon.id}`, "anon");
  mutexEnter(uvm, anon.lock);
  anon.page = page;
  page.anon = anon;
  lockPageQueues(uvm);
  if (page.wireCount > 0) {
    unlockPageQueues(uvm); // L:789-797
    page.anon = null;
    anon.page = null;
    anon.references--;
    mutexExit(uvm, anon.lock);
    anon.lock = null;
    anonFreeStructure(uvm, anon);
    uvm.coverage.hit("loan.failWired");
    if ((page.flags & PG_WANTED) !== 0) wakeupPage(uvm, page);
    pageClearBusy(uvm, page, PG_WANTED | PG_BUSY);
    faultUnlockAll(uvm, info, amap, object);
    return "refused";
  }
  uvm.copiesMade++; // a new anon borrows the page: a copy of its own to the model
  if (page.loanCount === 0) uvm.machine.mmu.pageProtect(page.frame, PROT_READ);
  page.loanCount++;
  pageActivate(uvm, page);
  unlockPageQueues(uvm);
  if ((page.flags & PG_WANTED) !== 0) wakeupPage(uvm, page);
  pageClearBusy(uvm, page, PG_WANTED | PG_BUSY);
  mutexExit(uvm, object.lock);
  mutexExit(uvm, anon.lock);
  output.anons.push(anon);
  uvm.coverage.hit("loan.objectToAnon");
  return "lent";
}

/**
 * uvm_loanpage (L:454-501): lends BUSY pages of one locked object to the kernel and unbusies
 * them all. A wired page stops it: EBUSY, and the loans just made are undone.
 */
export function* loanPages(uvm: Uvm, pages: readonly Page[]): Sleepy<Status> {
  const object = pages[0]!.object!;
  let lent = 0;
  let error: Status = 0;
  for (const page of pages) {
    assert(page.object === object, () => `uvm_loanpage: ${page.describe()} not in ${object.name}`); // L:465-466
    assert((page.flags & (PG_RELEASED | PG_PAGEOUT)) === 0, () => `uvm_loanpage: ${page.describe()} released or under pageout`); // L:467
    assert(mutexOwned(uvm, object.lock), () => `uvm_loanpage: ${page.describe()}'s object not locked`); // L:468
    assert(page.busy, () => `uvm_loanpage: ${page.describe()} not BUSY`); // L:469
    lockPageQueues(uvm);
    if (page.wireCount > 0) { // L:472: a wired page is not lent
      unlockPageQueues(uvm); // L:472-477
      uvm.coverage.hit("loan.failWired");
      error = "EBUSY";
      break;
    }
    if (page.loanCount === 0) uvm.machine.mmu.pageProtect(page.frame, PROT_READ);
    page.loanCount++; // L:481
    pageActivate(uvm, page); // L:482
    unlockPageQueues(uvm);
    lent++;
  }
  for (const page of pages) pageUnbusy(uvm, page); // L:486
  if (error !== 0) {
    mutexExit(uvm, object.lock);
    yield* giveBack(uvm, { to: "kernel", pages: pages.slice(0, lent) });
    mutexEnter(uvm, object.lock);
  }
  return error;
}
