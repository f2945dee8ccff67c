//! Case 1, the upper layer (seed F:1088-1540): an anon exists at the
//! faulting address.
//!
//!   upper lookup   map idle resident neighbour anons (read-only if shared), find the center
//!   anonget        make the center anon's data resident
//!   upper loan     a loaned page: read → map read-only; write with an_ref 1 → break the loan
//!   1B promote     write with an_ref > 1 → copy into a new anon (copy-on-write)
//!   1A direct      otherwise map the anon's page (read-only if an_ref > 1)
//!   upper enter    pmap_enter; on failure wait and refault, or ENOMEM
//!   upper done     wire (drop the swap copy) or activate

import { assert } from "../../../../vocabulary/assert.ts";
import { PROT_WRITE } from "../../../../vocabulary/protection.ts";
import { vpn } from "../../../../vocabulary/units.ts";
import type { Anon } from "../../anon.ts";
import { anonDropSwap } from "../../anon.ts";
import type { Status } from "../../errors.ts";
import { mutexOwned } from "../../lock.ts";
import { loanBreakAnon } from "../../loan/loan-break.ts";
import { DONTCARE, type PageSlot, type UvmObject } from "../../object.ts";
import { lockPageQueues, pageActivate, pageClearBusy, pageEnqueue, pageWire, unlockPageQueues } from "../../page-allocator.ts";
import { type Page, PG_BUSY, PG_CLEAN, PG_FAKE } from "../../page.ts";
import { uvmReclaimable, uvmWait } from "../../page-daemon.ts";
import { sleep, type Sleepy } from "../../sleep.ts";
import type { Uvm } from "../../uvm.ts";
import { anonGet } from "./anonget.ts";
import type { FaultContext } from "../fault-context.ts";
import { dropStaleTranslation, type FaultInfo, faultUnlockAll } from "../fault-info.ts";
import { promote } from "../promote.ts";

/**
 * uvm_fault_upper_lookup (F:1088-1166): fills the page slots for the range of interest:
 * DONTCARE where a translation exists (except the center) or an anon is present; null where
 * the lower layer decides. Maps idle resident neighbour anons on the way.
 * Requires: maps and amap (if any) locked.
 */
export function faultUpperLookup(uvm: Uvm, info: FaultInfo, fault: FaultContext, anons: (Anon | null)[] | null): PageSlot[] {
  const amap = info.currentEntry.amap;
  assert(amap === null || mutexOwned(uvm, amap.lock), "uvm_fault_upper_lookup: amap not locked");
  const pmap = info.map.pmap;
  const pages: PageSlot[] = [];
  for (let index = 0; index < fault.pages; index++) {
    const va = vpn(fault.startVa + index);
    if (index !== fault.centerIndex && pmap.extract(va) !== null) {
      pages.push(DONTCARE);
      continue;
    }
    const anon = anons === null ? null : (anons[index] ?? null);
    if (amap === null || anon === null) {
      pages.push(null);
      continue;
    }
    pages.push(DONTCARE); // F:1133
    if (index === fault.centerIndex) continue;
    assert(anon.lock === amap.lock, () => `uvm_fault_upper_lookup: anon ${anon.id} not locked by amap ${amap.id}`);
    const page = anon.page;
    if (page !== null && page.loanCount === 0 && !page.busy) {
      const readonly = anon.references > 1; // F:1146-1147
      faultUpperNeighbor(uvm, info, fault, index, page, readonly);
    }
  }
  return pages;
}

/** uvm_fault_upper_neighbor (F:1174-1204): map one neighbour anon page; failures are ignored. */
function faultUpperNeighbor(uvm: Uvm, info: FaultInfo, fault: FaultContext, index: number, page: Page, readonly: boolean): void {
  lockPageQueues(uvm);
  pageEnqueue(uvm, page);
  unlockPageQueues(uvm);
  uvm.coverage.hit("fault.neighbor.anon");
  const prot = readonly ? fault.enterProt & ~PROT_WRITE : fault.enterProt;
  info.map.pmap.enter(vpn(fault.startVa + index), page.frame, prot, { canFail: true, wired: fault.wireMapping, access: 0 });
}

/** uvm_fault_upper (F:1215-1307). Requires: maps and amap locked. Ensures: nothing locked. */
export function* faultUpper(uvm: Uvm, info: FaultInfo, fault: FaultContext, anons: (Anon | null)[]): Sleepy<Status> {
  const amap = info.currentEntry.amap!;
  const anon = anons[fault.centerIndex]!;
  assert(mutexOwned(uvm, amap.lock), "uvm_fault_upper: amap not locked");
  assert(anon.lock === amap.lock, () => `uvm_fault_upper: anon ${anon.id} not locked by amap ${amap.id}`);
  const got = yield* anonGet(uvm, info, amap, anon); // F:1250-1264
  if (got === "EAGAIN") {
    yield* sleep({ kind: "pause", site: "U7 fltagain1" });
    return "ERESTART";
  }
  if (got !== 0) return got;
  const page = anon.page!;
  let object: UvmObject | null = page.object; // F:1270: locked by anonget when non-null
  assert(object === null || mutexOwned(uvm, object.lock), "uvm_fault_upper: loaning object not locked");
  if (page.loanCount > 0) {
    const loan = yield* faultUpperLoan(uvm, info, fault, anon, object);
    if (loan.status !== 0) return loan.status;
    object = loan.object;
  }
  if (fault.cowNow && anon.references > 1) {
    fault.promote = true;
    return yield* faultUpperPromote(uvm, info, fault, object, anon);
  }
  return yield* faultUpperDirect(uvm, info, fault, object, anon);
}

/**
 * uvm_fault_upper_loan (F:1316-1362): a loaned anon page. A read maps it read-only; a write
 * with an_ref 1 breaks the loan (with an_ref > 1, case 1B copies anyway). A wire fault breaks
 * the loan even on a read, so a wired page is never on loan (bug F7/F8: the seed wired the
 * loaned page and cleared PG_CLEAN on an object-owned page; variant seed-F7-F8).
 */
function* faultUpperLoan(uvm: Uvm, info: FaultInfo, fault: FaultContext, anon: Anon, object: UvmObject | null): Sleepy<{ status: Status; object: UvmObject | null }> {
  const breakForWiring = fault.wirePaging && !uvm.seedBehaviour("seed-F7-F8");
  if (!fault.cowNow && !breakForWiring) {
    uvm.coverage.hit("fault.upperLoan.readOnly");
    fault.enterProt &= ~PROT_WRITE; // F:1332
    return { status: 0, object };
  }
  if (fault.cowNow && anon.references !== 1) return { status: 0, object };
  if (loanBreakAnon(uvm, anon, object) !== 0) {
    faultUnlockAll(uvm, info, info.currentEntry.amap, object);
    if (!uvm.seedBehaviour("seed-F16") && !uvmReclaimable(uvm)) return { status: "ENOMEM", object: null };
    yield* uvmWait(uvm, "flt_noram2");
    return { status: "ERESTART", object: null };
  }
  return { status: 0, object: null };
}

/** uvm_fault_upper_promote (F:1373-1417): case 1B, copy-on-write into a new anon. */
function* faultUpperPromote(uvm: Uvm, info: FaultInfo, fault: FaultContext, object: UvmObject | null, oldAnon: Anon): Sleepy<Status> {
  uvm.coverage.hit("fault.1B");
  const promoted = yield* promote(uvm, info, fault, { kind: "anon", anon: oldAnon });
  if (promoted.status !== 0) return promoted.status;
  const anon = promoted.anon;
  assert(anon.lock === oldAnon.lock, "uvm_fault_upper_promote: new anon not sharing the old anon's lock"); // F:1397
  const page = anon.page!;
  lockPageQueues(uvm);
  pageEnqueue(uvm, page);
  unlockPageQueues(uvm);
  pageClearBusy(uvm, page, PG_BUSY | PG_FAKE); // F:1403
  assert(oldAnon.references > 1, () => `uvm_fault_upper_promote: old anon ${oldAnon.id} about to lose its last reference`); // F:1407
  oldAnon.references--; // F:1408
  return yield* faultUpperEnter(uvm, info, fault, object, anon, page);
}

/** uvm_fault_upper_direct (F:1423-1438): case 1A, map the anon's own page. */
function* faultUpperDirect(uvm: Uvm, info: FaultInfo, fault: FaultContext, object: UvmObject | null, anon: Anon): Sleepy<Status> {
  uvm.coverage.hit("fault.1A");
  if (anon.references > 1) fault.enterProt &= ~PROT_WRITE; // F:1434-1435
  return yield* faultUpperEnter(uvm, info, fault, object, anon, anon.page!);
}

/** uvm_fault_upper_enter (F:1444-1500). Ensures: nothing locked. */
function* faultUpperEnter(uvm: Uvm, info: FaultInfo, fault: FaultContext, object: UvmObject | null, anon: Anon, page: Page): Sleepy<Status> {
  const amap = info.currentEntry.amap!;
  assert(mutexOwned(uvm, amap.lock), "uvm_fault_upper_enter: amap not locked");
  assert(anon.lock === amap.lock, "uvm_fault_upper_enter: anon lock is not the amap's");
  assert(object === null || mutexOwned(uvm, object.lock), "uvm_fault_upper_enter: object not locked");
  const entered = info.map.pmap.enter(info.origVa, page.frame, fault.enterProt, {
    canFail: true,
    wired: fault.wireMapping,
    access: fault.accessType,
  });
  if (entered !== 0) {
    // F:1471-1489: nothing is undone; a promotion stays in the amap.
    uvm.coverage.hit("pmap.enterFailure");
    dropStaleTranslation(uvm, info, page.frame);
    faultUnlockAll(uvm, info, amap, object);
    if (!uvmReclaimable(uvm)) return "ENOMEM";
    yield* uvmWait(uvm, "flt_pmfail1");
    return "ERESTART";
  }
  faultUpperDone(uvm, fault, anon, page);
  faultUnlockAll(uvm, info, amap, object);
  return 0;
}

/** uvm_fault_upper_done (F:1506-1540): wire (dropping the swap copy) or activate. */
function faultUpperDone(uvm: Uvm, fault: FaultContext, anon: Anon, page: Page): void {
  lockPageQueues(uvm);
  if (fault.wirePaging) {
    pageWire(uvm, page);
    page.flags &= ~PG_CLEAN; // F:1530
  } else {
    pageActivate(uvm, page);
  }
  unlockPageQueues(uvm);
  if (fault.wirePaging) anonDropSwap(uvm, anon); // F:1537-1539
}
