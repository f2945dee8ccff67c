//! Install (D:790-883): the found page goes into the pmap.
//!
//!   writable  with VM_FAULT_DIRTY (a user store): dirty, and its swap block released (D:815-821)
//!   enter     pmap_enter with `prot`, wired if the entry is (D:843); a user wire enters at
//!             most the entry's protection (the lookup used max_protection to copy)
//!   prefault  not a wiring fault: nearby resident pages of the chain, read-only (D:845-847)
//!   queues    a wiring fault wires the page (and drops its swap copy: a wired page never
//!             needs it); otherwise it goes on the active queue (D:859-866)
//!   unbusy    vm_page_wakeup, the first object's reference dropped (D:880-881)

import { assert } from "../../../vocabulary/assert.ts";
import { PROT_READ, PROT_WRITE } from "../../../vocabulary/protection.ts";
import { vpn } from "../../../vocabulary/units.ts";
import { swapPagerUnswapped } from "../swap-pager.ts";
import type { VmObject } from "../vm-object.ts";
import { type VmPage, vmPageActivate, vmPageUnwire, vmPageWakeup, vmPageWire } from "../vm-page.ts";
import type { Vm } from "../vm.ts";
import { type FaultState, releaseFirstObject, unlockThings, VM_FAULT_DIRTY, VM_FAULT_USER_WIRE, VM_FAULT_WIRE_MASK } from "./fault-state.ts";

export function faultInstall(vm: Vm, fs: FaultState, va: number, faultFlags: number): void {
  const page = fs.m;
  assert(page?.busy === true, () => `vm_fault: page not busy at install (va ${va})`); // D:828
  if ((faultFlags & VM_FAULT_USER_WIRE) !== 0) fs.prot &= fs.entry.protection;
  if ((fs.prot & PROT_WRITE) !== 0 && (faultFlags & VM_FAULT_DIRTY) !== 0) {
    page.dirty = true; // D:815-821
    swapPagerUnswapped(vm, page.object!, page.pindex);
  }
  unlockThings(vm, fs); // D:831
  fs.map.pmap.enter(vpn(va), page.frame, fs.prot, { wired: fs.wired, canFail: false, access: fs.faultType & (PROT_READ | PROT_WRITE) }); // D:843
  if ((faultFlags & VM_FAULT_WIRE_MASK) === 0 && !fs.wired) pmapPrefault(vm, fs, va); // D:845-847
  if ((faultFlags & VM_FAULT_WIRE_MASK) !== 0) {
    if (fs.wired) {
      vmPageWire(page); // D:859-861
      if (page.object!.swapBlocks.has(page.pindex)) {
        page.dirty = true;
        swapPagerUnswapped(vm, page.object!, page.pindex);
      }
    } else vmPageUnwire(page);
  } else vmPageActivate(page); // D:865
  vmPageWakeup(page); // D:880
  releaseFirstObject(vm, fs); // D:881
}

const PREFAULT_DISTANCE = 3;

/**
 * pmap_prefault (ext): up to 3 pages either side inside the entry, not yet translated, whose
 * chain walk ends at a resident, valid, not BUSY page; entered read-only (pmap_enter_quick).
 * It reads the entry the fault looked up, after unlocking the map (bug F26).
 */
function pmapPrefault(vm: Vm, fs: FaultState, va: number): void {
  const entry = fs.entry;
  if ((entry.protection & PROT_READ) === 0 || entry.object === null) return;
  for (let distance = 1; distance <= PREFAULT_DISTANCE; distance++) {
    for (const near of [va - distance, va + distance]) {
      if (near < entry.start || near >= entry.end || fs.map.pmap.translation(vpn(near)) !== undefined) continue;
      const page = residentInChain(entry.object, near - entry.start + entry.offset);
      if (page === null) continue;
      vm.coverage.hit("fault.prefault");
      if (page.queue === "cache") page.queue = "active";
      fs.map.pmap.enter(vpn(near), page.frame, PROT_READ, { wired: false, canFail: false, access: 0 });
    }
  }
}

/** The page a chain walk from `object` at `pindex` would find resident, or null (not resident, busy, invalid, or swapped). */
function residentInChain(first: VmObject, pindex: number): VmPage | null {
  let object: VmObject | null = first;
  let index = pindex;
  while (object !== null) {
    const page = object.pages.get(index);
    if (page !== undefined) return page.valid && !page.busy ? page : null;
    if (object.swapBlocks.has(index) || object.type === "vnode") return null;
    index += object.backingOffset;
    object = object.backingObject;
  }
  return null;
}
