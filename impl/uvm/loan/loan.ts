//! uvm_loan and uvm_loanentry (seed L:141-333): lend the pages of a
//! map range to the kernel or to anons, all or nothing.
//!
//!   uvm_loan       loop: look up the entry at `start`, lend from it, advance
//!                  unmapped page → ENOENT; any per-page refusal → EINVAL; either way every
//!                  loan already made is undone
//!   uvm_loanentry  per page of the entry: anon in the amap → uvm_loananon;
//!                  else object → uvm_loanuobj; else copy-on-write → uvm_loanzero;
//!                  else (no backing) refuse
//!
//! Each per-page routine answers 1 (lent, locks kept), 0 (the lookup went stale while
//! unlocked: everything unlocked, look up again) or -1 (refused: everything unlocked).
//! There is no protection check: a PROT_NONE range can be lent (bug F21).

import { assert } from "../../../vocabulary/assert.ts";
import { vpn } from "../../../vocabulary/units.ts";
import type { Result, Status } from "../errors.ts";
import { amapLookup } from "../amap.ts";
import { FaultInfo, faultLookup, faultUnlockAll, faultUnlockMaps } from "../fault/fault-info.ts";
import { mutexEnter, mutexExit, mutexOwned } from "../lock.ts";
import type { VmMap } from "../map.ts";
import type { Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";
import { loanAnon } from "./loan-anon.ts";
import { loanObject } from "./loan-object.ts";
import { giveBack, type LoanInProgress, type LoanItems } from "./loan-record.ts";
import { loanZero } from "./loan-zero.ts";

/** Where the per-page routines put what they lend (the `output` array of the seed); registered while the loan runs. */
export type LoanOutput = LoanInProgress;

/** Per-page result (the seed's 1, 0 and -1): the page was lent, look it up again (the locks were dropped), or refused. */
export type LoanStep = "lent" | "again" | "refused";

/** uvm_loan: lends `[start, start+pages)` of `map`. Requires: nothing locked. */
export function* uvmLoan(uvm: Uvm, map: VmMap, start: number, pages: number, to: "kernel" | "anon"): Sleepy<Result<"items", LoanItems>> {
  const output: LoanOutput = { to, pages: [], anons: [] };
  uvm.loansInProgress.add(output);
  let cursor = start;
  let remaining = pages;
  let error: Status = 0;
  while (remaining > 0) {
    const info = new FaultInfo(map, vpn(cursor), remaining);
    if (!(yield* faultLookup(uvm, info, false))) {
      error = "ENOENT"; // L:283-286
      break;
    }
    const lent = yield* loanEntry(uvm, info, output);
    if (lent < 0) {
      error = "EINVAL"; // L:293-297: every per-page failure
      break;
    }
    cursor += lent;
    remaining -= lent;
  }
  assert(uvm.held.size === 0, "uvm_loan: locks held at return");
  uvm.loansInProgress.delete(output);
  const items: LoanItems = to === "kernel" ? { to, pages: output.pages } : { to, anons: output.anons };
  if (error === 0) return { status: 0, items };
  yield* giveBack(uvm, items); // L:316-330: all or nothing
  return { status: error, items: null };
}

/** uvm_loanentry (L:141-222). Requires: map read-locked by `info`. Ensures: unlocked. Returns pages lent, or -1. */
function* loanEntry(uvm: Uvm, info: FaultInfo, output: LoanOutput): Sleepy<number> {
  const entry = info.currentEntry;
  const amap = entry.amap;
  const object = entry.object;
  if (amap !== null) mutexEnter(uvm, amap.lock); // L:156-157 (the object is NOT locked here: F20)
  let lent = 0;
  for (let va = info.origVa; lent < info.size; va++) {
    const anon = amap === null ? null : amapLookup(uvm, entry, va - entry.start);
    let step: LoanStep;
    if (anon !== null) step = yield* loanAnon(uvm, info, output, anon);
    else if (object !== null) step = yield* loanObject(uvm, info, output, va);
    else if (entry.copyOnWrite) step = yield* loanZero(uvm, info, output);
    else {
      faultUnlockAll(uvm, info, amap, null); // L:181-184: no backing
      step = "refused";
    }
    assert(step === "lent" || amap === null || !mutexOwned(uvm, amap.lock), "uvm_loanentry: amap still locked after a failure"); // L:186-187
    assert(step === "lent" || object === null || !mutexOwned(uvm, object.lock), "uvm_loanentry: object still locked after a failure"); // L:188-189
    if (step === "refused") return -1;
    if (step === "again") return lent;
    lent++;
  }
  if (amap !== null) mutexExit(uvm, amap.lock);
  faultUnlockMaps(uvm, info);
  return lent;
}
