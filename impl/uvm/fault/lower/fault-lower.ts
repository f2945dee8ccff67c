//! Case 2, the lower layer (seed F:1555-1922): no anon at the faulting
//! address; the data comes from the object, or is zero.
//!
//!   lower lookup   pgo_get(PGO_LOCKED) the resident pages of the range; map the idle
//!                  neighbours (read-only if RDONLY, loaned, or the object needs write faults)
//!   decide         no object → zero fill (promote, even for a read);
//!                  copy-on-write entry and a write → promote; otherwise map directly
//!   lower io       center not resident: unlock, pgo_get(PGO_SYNCIO), relock and re-verify
//!                  (map version, page released, amap slot filled meanwhile)
//!
//! Then 2A (fault-lower-direct.ts) or 2B (fault-lower-promote.ts).

import { assert } from "../../../../vocabulary/assert.ts";
import { PROT_WRITE, type ProtectionBits } from "../../../../vocabulary/protection.ts";
import { vpn } from "../../../../vocabulary/units.ts";
import { amapLookup } from "../../amap.ts";
import type { Result, Status } from "../../errors.ts";
import { mutexEnter, mutexExit, mutexOwned } from "../../lock.ts";
import type { MapEntry } from "../../map-entry.ts";
import { DONTCARE, type PageSlot, type UvmObject } from "../../object.ts";
import { lockPageQueues, pageActivate, pageClearBusy, pageEnqueue, pageFree, unlockPageQueues, wakeupPage } from "../../page-allocator.ts";
import { type Page, PG_BUSY, PG_CLEAN, PG_PAGEOUT, PG_RDONLY, PG_RELEASED, PG_WANTED } from "../../page.ts";
import { sleep, type Sleepy } from "../../sleep.ts";
import type { Uvm } from "../../uvm.ts";
import type { FaultContext } from "../fault-context.ts";
import { type FaultInfo, faultRelock, faultUnlockAll } from "../fault-info.ts";
import { faultLowerDirect } from "./fault-lower-direct.ts";
import { faultLowerPromote } from "./fault-lower-promote.ts";

/** MASK(entry) (F:680): copy-on-write entries never get WRITE on object pages. */
export function entryMask(entry: MapEntry): ProtectionBits {
  return entry.copyOnWrite ? ~PROT_WRITE : ~0;
}

/** uvm_fault_lower (F:1555-1665). Requires: maps and amap (if any) locked. Ensures: nothing locked. */
export function* faultLower(uvm: Uvm, info: FaultInfo, fault: FaultContext, pages: PageSlot[]): Sleepy<Status> {
  const entry = info.currentEntry;
  const amap = entry.amap;
  let object = entry.object;
  let objectPage: Page | null = null;
  if (object !== null) {
    faultLowerLookup(uvm, info, fault, object, pages);
    const center = pages[fault.centerIndex];
    assert(center !== DONTCARE, "uvm_fault_lower: center page is DONTCARE"); // F:1614
    assert(center !== undefined, "uvm_fault_lower: center page missing from the pages array"); // F:1614
    objectPage = center;
  }
  assert(amap === null || mutexOwned(uvm, amap.lock), "uvm_fault_lower: amap not locked"); // F:1599
  assert(object === null || mutexOwned(uvm, object.lock), "uvm_fault_lower: object not locked"); // F:1600
  assert(objectPage === null || objectPage.busy, "uvm_fault_lower: object page not BUSY"); // F:1601
  fault.promote = object === null || (fault.cowNow && entry.copyOnWrite); // F:1610-1616
  if (object === null) return yield* faultLowerPromote(uvm, info, fault, null, DONTCARE);
  if (objectPage === null) {
    const io = yield* faultLowerIo(uvm, info, fault, object);
    if (io.status !== 0) return io.status;
    object = io.object;
    objectPage = io.page;
  }
  const page = objectPage;
  assert(object === page.object, "uvm_fault_lower: object page moved to another object"); // F:1655
  assert(!object.isClean() || (page.flags & PG_CLEAN) !== 0, () => `uvm_fault_lower: clean ${object.name} holds dirty ${page.describe()}`); // F:1656
  if (!fault.promote) return yield* faultLowerDirect(uvm, info, fault, object, page);
  return yield* faultLowerPromote(uvm, info, fault, object, page);
}

/** uvm_fault_lower_lookup (F:1676-1736). Ensures: the object locked; `pages[center]` BUSY or null. */
function faultLowerLookup(uvm: Uvm, info: FaultInfo, fault: FaultContext, object: UvmObject, pages: PageSlot[]): void {
  const entry = info.currentEntry;
  mutexEnter(uvm, object.lock);
  const result = object.getLocked(uvm, entry.offset + fault.startVa - entry.start, pages, fault.centerIndex, fault.accessType & entryMask(entry), entry.advice);
  assert(mutexOwned(uvm, object.lock), "uvm_fault_lower_lookup: pgo_get unlocked the object"); // F:1695
  if (result.got === 0) {
    pages[fault.centerIndex] = null;
    return;
  }
  for (let index = 0; index < fault.pages; index++) {
    const page = pages[index];
    if (page === null || page === DONTCARE || page === undefined) continue;
    assert(page.object === object, () => `uvm_fault_lower_lookup: ${page.describe()} not from ${object.name}`); // F:1714
    if (index === fault.centerIndex) continue;
    const readonly = (page.flags & PG_RDONLY) !== 0 || page.loanCount > 0 || object.needsWriteFault(); // F:1727-1729
    faultLowerNeighbor(uvm, info, fault, index, page, readonly);
  }
}

/** uvm_fault_lower_neighbor (F:1743-1785): unbusy and map one neighbour object page; failures are ignored. */
function faultLowerNeighbor(uvm: Uvm, info: FaultInfo, fault: FaultContext, index: number, page: Page, readonly: boolean): void {
  lockPageQueues(uvm);
  pageEnqueue(uvm, page);
  unlockPageQueues(uvm);
  uvm.coverage.hit("fault.neighbor.object");
  assert((page.flags & PG_PAGEOUT) === 0, () => `uvm_fault_lower_neighbor: ${page.describe()} under pageout`); // F:1772
  assert((page.flags & PG_RELEASED) === 0, () => `uvm_fault_lower_neighbor: ${page.describe()} RELEASED`); // F:1773
  assert((page.flags & PG_WANTED) === 0, () => `uvm_fault_lower_neighbor: ${page.describe()} WANTED`); // F:1774
  assert(!page.object!.isClean() || (page.flags & PG_CLEAN) !== 0, () => `uvm_fault_lower_neighbor: dirty ${page.describe()} in a clean object`); // F:1775
  pageClearBusy(uvm, page, PG_BUSY); // F:1776
  assert(mutexOwned(uvm, page.object!.lock), "uvm_fault_lower_neighbor: object not locked"); // F:1779
  const mask = entryMask(info.currentEntry);
  const prot = readonly ? fault.enterProt & ~PROT_WRITE : fault.enterProt & mask; // F:1780-1784
  info.map.pmap.enter(vpn(fault.startVa + index), page.frame, prot, { canFail: true, wired: fault.wireMapping, access: 0 });
}

/**
 * uvm_fault_lower_io (F:1796-1922): fetch the center page with pgo_get(PGO_SYNCIO) and
 * re-verify the world. Requires: maps, amap (if any), object locked.
 * Ensures on 0: all locked again, the page BUSY. Otherwise nothing locked.
 */
function* faultLowerIo(uvm: Uvm, info: FaultInfo, fault: FaultContext, object: UvmObject): Sleepy<{ readonly object: UvmObject } & Result<"page", Page>> {
  const entry = info.currentEntry;
  const amap = entry.amap;
  uvm.coverage.hit("fault.lowerIo");
  faultUnlockAll(uvm, info, amap, null); // F:1814
  assert(mutexOwned(uvm, object.lock), "uvm_fault_lower_io: object not locked"); // F:1817
  const offset = info.origVa - entry.start + entry.offset;
  const got = yield* object.getSync(uvm, offset, fault.accessType & entryMask(entry)); // F:1823-1825
  if (got.status !== 0) {
    if (got.status === "EAGAIN") {
      yield* sleep({ kind: "pause", site: "U13 fltagain2" });
      return { status: "ERESTART", object, page: null };
    }
    return { status: got.status === "ERESTART" ? "EIO" : got.status, object, page: null }; // F:1840-1850
  }
  const page = got.page;
  let locked = yield* faultRelock(uvm, info); // F:1858-1860
  const owner = page.object!; // F:1863: might be changed
  if (locked && amap !== null) mutexEnter(uvm, amap.lock);
  mutexEnter(uvm, owner.lock); // F:1863, the amap before the object (F:85)
  assert(page.busy, () => `uvm_fault_lower_io: ${page.describe()} not BUSY after pgo_get`); // F:1866
  lockPageQueues(uvm);
  pageActivate(uvm, page);
  unlockPageQueues(uvm);
  const slotFilled = locked && amap !== null && amapLookup(uvm, entry, info.origVa - entry.start) !== null;
  if (slotFilled) uvm.coverage.hit("restart.amapSlotChanged");
  if ((page.flags & PG_RELEASED) !== 0) uvm.coverage.hit("restart.pageReleased");
  if ((page.flags & PG_RELEASED) !== 0 || slotFilled) {
    // F:1881-1887
    if (locked) faultUnlockAll(uvm, info, amap, null);
    locked = false;
  }
  if (!locked) {
    releaseAfterIo(uvm, page); // F:1893-1909
    mutexExit(uvm, owner.lock);
    return { status: "ERESTART", object: owner, page: null };
  }
  return { status: 0, object: owner, page };
}

/** F:1897-1906: give the page up after a failed re-verification. */
function releaseAfterIo(uvm: Uvm, page: Page): void {
  if ((page.flags & PG_WANTED) !== 0) wakeupPage(uvm, page);
  if ((page.flags & PG_RELEASED) === 0) {
    pageClearBusy(uvm, page, PG_BUSY | PG_WANTED);
    return;
  }
  // seed F:1905 frees without uvm_pageqlock (bug F11). No pager of this era releases a
  // BUSY object page (genfs_putpages and uao_put wait for it), so the path is not reachable
  // here and F11 has no variant.
  lockPageQueues(uvm);
  pageFree(uvm, page);
  unlockPageQueues(uvm);
}
