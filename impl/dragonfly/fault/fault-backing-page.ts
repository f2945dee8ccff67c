//! The page was found in a backing object (D:609-706).
//!
//!   read    map it read-only (D:704): a later write must still copy it
//!   write   the COW rename optimisation when every condition holds (D:625-672): the
//!           backing object is the first object's direct parent, has one shadow and one
//!           reference, no handle, and is anonymous, and the map has not changed; the page
//!           then moves up (vm_page_rename, dirty) instead of being copied. Otherwise it is
//!           copied into the placeholder (D:677) and the original released; when other
//!           entries share the first object, their translations of the original are removed
//!           (a fix: the seed leaves them mapping the old page, variant
//!           seed-copy-leaves-sharers-mapped).

import { PROT_NONE, PROT_WRITE } from "../../../vocabulary/protection.ts";
import type { DragonflyCoverageName } from "../coverage.ts";
import { vmPageCopy, vmPageFree, vmPageRename } from "../vm-page.ts";
import type { Vm } from "../vm.ts";
import { type FaultState, pipWakeup, releasePage } from "./fault-state.ts";

export function faultBackingPage(vm: Vm, fs: FaultState): void {
  if (fs.object === fs.firstObject) return; // D:609
  if ((fs.faultType & PROT_WRITE) === 0) {
    vm.coverage.hit("fault.backingRead");
    fs.prot &= ~PROT_WRITE; // D:704
    return;
  }
  if ((fs.faultType & PROT_WRITE) === 0) return;
  const refusal = renameRefusal(fs);
  const placeholder = fs.firstM!;
  const page = fs.m!;
  if (refusal === null) {
    vm.coverage.hit("fault.rename");
    fs.lookupStillValid = true; // D:655
    vm.machine.mmu.pageProtect(placeholder.frame, PROT_NONE); // D:659
    vmPageFree(vm, placeholder); // D:660
    vmPageRename(page, fs.firstObject, fs.firstPindex); // D:668
    fs.firstM = page; // D:669-671
    fs.m = null;
  } else {
    vm.coverage.hit(refusal);
    vm.coverage.hit("fault.backingWriteCopy");
    vmPageCopy(vm, page, placeholder); // D:677
    // Found by uvmcheck: other entries sharing the first object (inherit=share of a private
    // mapping) may map the old page through it; they must refault onto the copy.
    if (fs.firstObject.refCount > 2 && !vm.seedBehaviour("seed-copy-leaves-sharers-mapped")) vm.machine.mmu.pageProtect(page.frame, PROT_NONE);
  }
  if (fs.m !== null) releasePage(fs); // D:680-685
  pipWakeup(fs.object); // D:692
  fs.m = fs.firstM; // D:699-701
  fs.object = fs.firstObject;
  fs.pindex = fs.firstPindex;
}

/** D:625-653: null when the rename may go ahead, else the counter of the first condition that refuses it. */
function renameRefusal(fs: FaultState): DragonflyCoverageName | null {
  const object = fs.object;
  if (fs.mapGeneration !== fs.map.timestamp) return "fault.renameRefused.mapChanged"; // D:625
  if (object.shadowCount !== 1) return "fault.renameRefused.shadowCount"; // D:629
  if (object.refCount !== 1) return "fault.renameRefused.refCount"; // D:633
  if (object.handle !== null || object.type === "vnode") return "fault.renameRefused.handle"; // D:637-642
  if (object !== fs.firstObject.backingObject) return "fault.renameRefused.notDirectParent"; // D:646
  return null; // D:651-652: the map lock is ours, or free (no other thread)
}
