//! uvmfault_promote (seed F:536-661): move data up into a new anon.
//!
//!   1B        old anon's page  → new anon (copy)
//!   2B-COW    object page      → new anon (copy)
//!   2B-ZFOD   nothing          → new anon (zero-filled)
//!
//! The new anon takes the amap's lock, gets a page, and goes into the amap slot (replacing
//! the old anon for 1B, which in a shared amap flushes every other mapping of the old page).
//! The old anon keeps its reference; the caller drops it (F:1408).
//!
//! Requires: maps and amap locked; the source page BUSY (object) or the old anon locked.
//! Ensures on 0: `anon` returned, its page BUSY, dirty, not queued. On error: all unlocked.

import { assert } from "../../../vocabulary/assert.ts";
import type { Anon } from "../anon.ts";
import { anonAlloc, anonClearLock, anonSetLock } from "../anon.ts";
import { amapAdd } from "../amap.ts";
import type { Result } from "../errors.ts";
import { mutexOwned } from "../lock.ts";
import { pageAlloc, pageCopy, pageUnbusy } from "../page-allocator.ts";
import type { Page } from "../page.ts";
import { uvmReclaimable, uvmWait } from "../page-daemon.ts";
import type { Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";
import type { FaultContext } from "./fault-context.ts";
import { type FaultInfo, faultUnlockAll } from "./fault-info.ts";

export type PromoteSource = { readonly kind: "anon"; readonly anon: Anon } | { readonly kind: "object"; readonly page: Page } | { readonly kind: "zero" };

export function* promote(uvm: Uvm, info: FaultInfo, fault: FaultContext, source: PromoteSource): Sleepy<Result<"anon", Anon>> {
  const entry = info.currentEntry;
  const amap = entry.amap;
  const sourcePage = source.kind === "anon" ? source.anon.page : source.kind === "object" ? source.page : null;
  if (source.kind === "anon") {
    assert(sourcePage !== null, "uvmfault_promote: old anon has no page"); // F:554
    assert(sourcePage.object === null || sourcePage.loanCount > 0, "uvmfault_promote: old anon page owned by an object, not on loan"); // F:555
  }
  const object = sourcePage?.object ?? null;
  assert(amap !== null, "uvmfault_promote: entry has no amap"); // F:569
  assert(mutexOwned(uvm, amap.lock), "uvmfault_promote: amap not locked"); // F:572
  assert(source.kind !== "object" || source.page.busy, "uvmfault_promote: object page not BUSY"); // F:571
  assert(source.kind !== "anon" || source.anon.lock === amap.lock, "uvmfault_promote: old anon not locked by the amap"); // F:573
  assert(object === null || mutexOwned(uvm, object.lock), "uvmfault_promote: object not locked"); // F:574
  let anon = fault.anonSpare;
  fault.anonSpare = null;
  if (anon !== null) anon.spareOf = null;
  if (anon === null) anon = anonAlloc(uvm); // F:576-581 (user maps only: no kernel_map here)
  assert(anon.lock === null, () => `uvmfault_promote: new anon ${anon.id} already locked`); // F:608
  anonSetLock(anon, amap.lock);
  const page = pageAlloc(uvm, { anon }, { zero: sourcePage === null }); // F:611-612
  if (page === null) {
    anonClearLock(anon);
    fault.anonSpare = anon; // F:625-629
    anon.spareOf = uvm.thread;
    if (source.kind === "object") pageUnbusy(uvm, source.page); // F:632
    faultUnlockAll(uvm, info, amap, object);
    if (!uvmReclaimable(uvm)) return { status: "ENOMEM", anon: null }; // F:635-640
    yield* uvmWait(uvm, "flt_noram5");
    return { status: "ERESTART", anon: null };
  }
  if (sourcePage !== null) pageCopy(uvm, sourcePage, page); // F:650-652
  amapAdd(uvm, entry, info.origVa - entry.start, anon, source.kind === "anon"); // F:654-655
  uvm.copiesMade++;
  return { status: 0, anon };
}
