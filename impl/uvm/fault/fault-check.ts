//! uvm_fault_check (seed F:865-1075): look the address up, check protection, resolve
//! needs_copy, and establish the range of interest.
//!
//!   lookup ─ no entry ──────────────────────────── EFAULT
//!     │
//!   protection ─ access not allowed ───────────── EACCES
//!     │
//!   needs_copy ─ write, or no object ─ amap_copy ─ ERESTART
//!     │          read over an object ─ map read-only
//!   no amap and no object (case 0) ──────────────── EFAULT
//!     │
//!   range by advice (first pass only), lock amap, look up anons,
//!   MADV_SEQUENTIAL: deactivate and forget the pages behind
//!
//! On success the maps (read) and the amap are locked. On failure nothing is.

import { assert } from "../../../vocabulary/assert.ts";
import { PROT_WRITE } from "../../../vocabulary/protection.ts";
import { amapCopy, amapLookups } from "../amap.ts";
import type { Anon } from "../anon.ts";
import type { Status } from "../errors.ts";
import { mutexEnter, mutexOwned } from "../lock.ts";
import { mapRelease } from "../map.ts";
import { lockPageQueues, pageDeactivate, unlockPageQueues } from "../page-allocator.ts";
import type { Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";
import { adviceRange, type FaultContext, MAX_RANGE } from "./fault-context.ts";
import { type FaultInfo, faultLookup, faultUnlockMaps } from "./fault-info.ts";

export interface CheckResult {
  readonly status: Status;
  /** The anons of the range of interest (null without an amap). */
  readonly anons: (Anon | null)[] | null;
}

const failed = (status: Status): CheckResult => ({ status, anons: null });

export function* faultCheck(uvm: Uvm, info: FaultInfo, fault: FaultContext, maxprot: boolean): Sleepy<CheckResult> {
  if (!(yield* faultLookup(uvm, info, false))) return failed("EFAULT"); // F:880-884
  const entry = info.currentEntry;
  if (!uvm.seedBehaviour("seed-F13")) {
    // F13: a refault checks the caller's access against the entry as it is now.
    fault.accessType = fault.callerAccess;
    fault.wireMapping = fault.callerWire;
  }
  const checkProt = maxprot ? entry.maxProtection : entry.protection; // F:901-909
  if ((checkProt & fault.accessType) !== fault.accessType) {
    faultUnlockMaps(uvm, info);
    return failed("EACCES");
  }
  fault.enterProt = entry.protection; // F:918-929
  if (entry.wired) fault.wireMapping = true;
  if (fault.wireMapping) {
    fault.accessType = fault.enterProt;
    fault.cowNow = (checkProt & PROT_WRITE) !== 0;
  } else {
    fault.cowNow = (fault.accessType & PROT_WRITE) !== 0;
  }
  fault.promote = false;
  if (entry.needsCopy) {
    // F:938-958
    if (fault.cowNow || entry.object === null) {
      assert(!maxprot, "uvm_fault_check: MAXPROT fault on a needs_copy entry");
      faultUnlockMaps(uvm, info);
      yield* amapCopyForFault(uvm, info);
      uvm.coverage.hit("fault.needsCopy");
      return failed("ERESTART");
    }
    fault.enterProt &= ~PROT_WRITE; // F:956
  }
  if (entry.amap === null && entry.object === null) {
    // F:972-976, case 0
    faultUnlockMaps(uvm, info);
    uvm.coverage.hit("fault.case0");
    return failed("EFAULT");
  }
  const back = establishRange(info, fault);
  let anons: (Anon | null)[] | null = null;
  if (entry.amap !== null) {
    // F:1027-1032
    mutexEnter(uvm, entry.amap.lock);
    anons = amapLookups(uvm, entry, fault.startVa - entry.start, fault.pages);
  }
  if (entry.advice === "sequential" && back !== 0) {
    anons = yield* flushBackPages(uvm, info, fault, anons, back); // F:1042-1066
  }
  assert(fault.startVa <= info.origVa, "uvm_fault_check: range starts after the fault"); // F:1071-1073
  assert(info.origVa < fault.startVa + fault.pages, "uvm_fault_check: range ends before the fault"); // F:1071-1073
  return { status: 0, anons };
}

/** F:985-1013: the range of interest; wide (by advice) only on the first pass of a non-wire fault. Returns pages behind. */
function establishRange(info: FaultInfo, fault: FaultContext): number {
  const entry = info.currentEntry;
  if (fault.narrow) {
    fault.startVa = info.origVa;
    fault.pages = 1;
    fault.centerIndex = 0;
    return 0;
  }
  const advice = adviceRange[entry.advice];
  const back = Math.min(advice.back, info.origVa - entry.start);
  const forward = Math.min(advice.forward, entry.end - info.origVa - 1);
  fault.startVa = info.origVa - back;
  fault.pages = back + forward + 1;
  fault.centerIndex = back;
  fault.narrow = true;
  assert(fault.pages <= MAX_RANGE, "uvm_fault_check: range wider than UVM_MAXRANGE");
  return back;
}

/** MADV_SEQUENTIAL (F:1042-1066): deactivate the pages behind and forget them for this fault. */
function* flushBackPages(uvm: Uvm, info: FaultInfo, fault: FaultContext, anons: (Anon | null)[] | null, back: number): Sleepy<(Anon | null)[] | null> {
  const entry = info.currentEntry;
  uvm.coverage.hit("fault.sequentialFlush");
  if (anons !== null) anonFlush(uvm, anons.slice(0, back));
  if (entry.object !== null) {
    const objectOffset = entry.offset + fault.startVa - entry.start;
    mutexEnter(uvm, entry.object.lock);
    yield* entry.object.put(uvm, objectOffset, objectOffset + back, { deactivate: true });
  }
  fault.startVa += back;
  fault.pages -= back;
  fault.centerIndex = 0;
  return anons === null ? null : anons.slice(back);
}

/** uvmfault_anonflush (F:181-200): deactivate the resident, idle, unwired pages of `anons`. Requires: amap locked. */
function anonFlush(uvm: Uvm, anons: (Anon | null)[]): void {
  for (const anon of anons) {
    if (anon === null) continue;
    assert(anon.lock !== null, () => `uvmfault_anonflush: anon ${anon.id} has no lock`);
    assert(mutexOwned(uvm, anon.lock), () => `uvmfault_anonflush: anon ${anon.id} not locked`);
    const page = anon.page;
    if (page === null || page.busy) continue;
    lockPageQueues(uvm);
    if (page.wireCount === 0) pageDeactivate(uvm, page);
    unlockPageQueues(uvm);
  }
}

/** uvmfault_amapcopy (F:214-252): clear needs_copy under the map's write lock. Ensures: nothing locked. */
function* amapCopyForFault(uvm: Uvm, info: FaultInfo): Sleepy<void> {
  if (!(yield* faultLookup(uvm, info, true))) return;
  const entry = info.currentEntry;
  if (entry.needsCopy) amapCopy(uvm, entry);
  assert(!entry.needsCopy, "uvmfault_amapcopy: amap_copy left needs_copy set");
  mapRelease(uvm, info.map);
}

