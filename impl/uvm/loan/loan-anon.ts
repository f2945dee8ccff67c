//! uvm_loananon (seed L:346-443): lend the page of an anon in the amap.
//!
//!   to anons (A->A)   one more reference on the anon: it becomes copy-on-write shared. If
//!                     the anon was private (an_ref 1) and resident, its mappings are made
//!                     read-only first; a wired private page is refused.
//!   to kernel (A->K)  get the data resident (uvmfault_anonget), refuse a wired page, then
//!                     one more loan on the page, write-protecting it on the first loan.
//!
//! Locking follows seed F's model (docs/seeds.md, bug F19): the anon's lock is the amap's lock,
//! which uvm_loanentry already holds, so the seed's mutex_enter(&anon->an_lock) calls (a
//! recursive acquisition under F's model) are not made. The seed's refusal path unlocks the
//! entry's object, which nobody locked (F6); here only what is held is unlocked.

import { assert } from "../../../vocabulary/assert.ts";
import { PROT_READ } from "../../../vocabulary/protection.ts";
import type { Anon } from "../anon.ts";
import { anonGet } from "../fault/upper/anonget.ts";
import { type FaultInfo, faultUnlockAll } from "../fault/fault-info.ts";
import { mutexExit, mutexOwned } from "../lock.ts";
import { lockPageQueues, pageActivate, unlockPageQueues } from "../page-allocator.ts";
import { PQ_ANON } from "../page.ts";
import { sleep, type Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";
import type { LoanOutput, LoanStep } from "./loan.ts";

export function* loanAnon(uvm: Uvm, info: FaultInfo, output: LoanOutput, anon: Anon): Sleepy<LoanStep> {
  const entry = info.currentEntry;
  const amap = entry.amap!;
  assert(mutexOwned(uvm, amap.lock), () => `uvm_loananon: anon ${anon.id}'s amap (its lock) is not held`); // L:346-350: locked by the caller
  assert(anon.references > 0, () => `uvm_loananon: anon ${anon.id} has no reference`);
  if (output.to === "anon") {
    const page = anon.page; // L:361-380
    if (page !== null && (page.pqFlags & PQ_ANON) !== 0 && anon.references === 1) {
      if (page.wireCount > 0) {
        uvm.coverage.hit("loan.failWired");
        faultUnlockAll(uvm, info, amap, uvm.seedBehaviour("seed-F6") ? entry.object : null); // L:367-369
        return "refused";
      }
      uvm.machine.mmu.pageProtect(page.frame, PROT_READ); // L:372
    }
    anon.references++;
    assert(anon.references > 1, () => `uvm_loananon: anon ${anon.id} lent to anons but not shared`); // L:381-383
    output.anons.push(anon);
    uvm.coverage.hit("loan.anonToAnon");
    return "lent";
  }
  const error = yield* anonGet(uvm, info, amap, anon); // L:388-412
  if (error === "ERESTART") return "again";
  if (error === "EAGAIN") {
    yield* sleep({ kind: "pause", site: "L9 loananon EAGAIN" });
    return "again";
  }
  if (error !== 0) return "refused";
  const page = anon.page!;
  lockPageQueues(uvm);
  if (page.wireCount > 0) {
    unlockPageQueues(uvm); // L:420-427
    assert(page.object === null, () => `uvm_loananon: wired ${page.describe()} lent by an object (catalog F7)`); // L:423
    uvm.coverage.hit("loan.failWired");
    faultUnlockAll(uvm, info, amap, null); // L:424-425
    return "refused";
  }
  if (page.loanCount === 0) uvm.machine.mmu.pageProtect(page.frame, PROT_READ); // L:428-430
  page.loanCount++;
  pageActivate(uvm, page);
  unlockPageQueues(uvm);
  output.pages.push(page);
  if (page.object !== null) mutexExit(uvm, page.object.lock); // locked by anonget for an O->A page
  uvm.coverage.hit("loan.anonToKernel");
  return "lent";
}
