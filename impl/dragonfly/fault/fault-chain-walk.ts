//! The shadow-chain walk of vm_fault (D:280-596): from the first object down its backing
//! objects until a page is found, read in by a pager, or zero-filled at the bottom.
//!
//!   dead object              → KERN_PROTECTION_FAILURE                       D:285-288
//!   resident page            busy → sleep (DW1), RetryFault; cache page under
//!                            a shortage → wait (DW2), RetryFault; else found D:294-347
//!   absent, TRYPAGER or first object: past the object → PROTECTION_FAILURE;
//!                            allocate (none: VM_WAITPFAULT (DW3), RetryFault) D:354-373
//!   TRYPAGER                 read-ahead/behind (fault-read-ahead.ts), the pager (DW4):
//!                            OK → found; ERROR → KERN_FAILURE; BAD →
//!                            PROTECTION_FAILURE; FAIL → go on (a deeper page
//!                            is freed, the first object's kept as placeholder) D:375-544
//!   descend                  no backing object → zero-fill the placeholder;
//!                            else on to the backing object at pindex + offset  D:550-592
//!
//! TRYPAGER (D:164-165): the object has a pager (not OBJT_DEFAULT), and the fault is not a
//! wiring change on an unwired entry (bug F38: such a fault would zero-fill; never
//! reached, the wiring code wires the entry before faulting).

import { assert } from "../../../vocabulary/assert.ts";
import type { VmObject } from "../vm-object.ts";
import { type VmPage, vmPageActivate, vmPageAlloc, vmPageBusy } from "../vm-page.ts";
import { vmWait } from "../vm-pageout.ts";
import { type Sleepy, sleep } from "../vm-sleep.ts";
import type { Vm } from "../vm.ts";
import { faultPagerRead } from "./fault-read-ahead.ts";
import {
  type FaultState,
  type FaultStep,
  pipAdd,
  pipWakeup,
  releaseFirstObject,
  unlockAndDeallocate,
  unlockThings,
  VM_FAULT_WIRE_MASK,
} from "./fault-state.ts";

/** vm_page_count_severe: nothing free, nothing in the cache. */
export function vmPageCountSevere(vm: Vm): boolean {
  return vm.machine.memory.freeCount + vm.pages.filter((page) => page.queue === "cache").length === 0;
}

function tryPager(object: VmObject, fs: FaultState, faultFlags: number): boolean {
  return object.type !== "default" && ((faultFlags & VM_FAULT_WIRE_MASK) === 0 || fs.wired); // D:164-165
}

/** Ensures: null with `fs.m` the found page, BUSY (D:595); or the fault's result or RetryFault. */
export function* faultChainWalk(vm: Vm, fs: FaultState, va: number, faultFlags: number): Sleepy<FaultStep | null> {
  for (;;) {
    if (fs.object.dead) {
      vm.coverage.hit("fault.deadObject");
      unlockAndDeallocate(vm, fs); // D:285-288
      return "KERN_PROTECTION_FAILURE";
    }
    fs.m = fs.object.pages.get(fs.pindex) ?? null; // D:294
    if (fs.m !== null) return yield* residentPage(vm, fs, fs.m);
    if (tryPager(fs.object, fs, faultFlags) || fs.object === fs.firstObject) {
      const allocated = yield* allocatePage(vm, fs);
      if (allocated !== null) return allocated;
    }
    if (tryPager(fs.object, fs, faultFlags)) {
      const read = yield* faultPagerRead(vm, fs, va); // D:386-544
      if (read === "found") {
        fs.hardfault++;
        return foundPage(fs);
      }
      if (read !== "VM_PAGER_FAIL") return read;
    }
    if (fs.object === fs.firstObject) fs.firstM = fs.m; // D:550-551
    if (descend(vm, fs)) return foundPage(fs);
  }
}

function foundPage(fs: FaultState): null {
  assert(fs.m?.busy === true, "vm_fault: not busy after main loop"); // D:595
  return null;
}

/** D:294-347: a resident page. */
function* residentPage(vm: Vm, fs: FaultState, page: VmPage): Sleepy<FaultStep | null> {
  if (page.busy) {
    vm.coverage.hit("sleep.busyPage");
    unlockThings(vm, fs); // D:313-319: let go of all but the first object's reference
    yield* sleep({ kind: "pageWait", site: "DW1 busy page", page, epoch: page.busyEpoch }); // vm_page_sleep_busy
    releaseFirstObject(vm, fs);
    return "RetryFault";
  }
  const queue = page.queue;
  page.queue = "none"; // vm_page_unqueue_nowakeup, D:323
  if (queue === "cache" && vmPageCountSevere(vm)) {
    vm.coverage.hit("fault.cachePageSevere");
    vmPageActivate(page); // D:326-331
    fs.m = null;
    unlockAndDeallocate(vm, fs);
    yield* sleep({ kind: "memoryWait", site: "DW2 cache page, severe shortage" });
    vmWait(vm);
    return "RetryFault";
  }
  vmPageBusy(vm, page); // D:340
  assert(page.valid, () => `vm_fault: resident ${page.describe()} not valid and not busy`); // pages are whole: never partially valid (F29)
  vm.coverage.hit("fault.residentPage");
  return foundPage(fs);
}

/** D:354-373: past the object's end, or a new page (none: wait and retry). */
function* allocatePage(vm: Vm, fs: FaultState): Sleepy<FaultStep | null> {
  if (fs.pindex >= fs.object.size) {
    unlockAndDeallocate(vm, fs); // D:355-358
    return "KERN_PROTECTION_FAILURE";
  }
  fs.m = vmPageCountSevere(vm) ? null : vmPageAlloc(vm, fs.object, fs.pindex); // D:363-367
  if (fs.m !== null) return null;
  unlockAndDeallocate(vm, fs); // D:368-372
  // A wait that could not make room: this pass, after a new lookup, found no page either.
  if (vm.faultsShortOfMemory.has(vm.thread)) return "KERN_RESOURCE_SHORTAGE";
  vm.coverage.hit("fault.allocWait");
  vm.coverage.hit("sleep.allocation");
  yield* sleep({ kind: "memoryWait", site: "DW3 page allocation" }); // VM_WAITPFAULT
  // The seed sleeps on until memory comes (decision 9: ENOMEM instead). Either way the fault
  // starts over, so the map is looked up again: it may have changed while the fault slept.
  if (!vmWait(vm)) vm.faultsShortOfMemory.add(vm.thread);
  return "RetryFault";
}

/** D:558-592: zero fill at the bottom of the chain (returns true: found), or one object down. */
function descend(vm: Vm, fs: FaultState): boolean {
  const next = fs.object.backingObject; // D:559
  if (next === null) {
    if (fs.object !== fs.firstObject) {
      pipWakeup(fs.object); // D:565-571
      fs.object = fs.firstObject;
      fs.pindex = fs.firstPindex;
      fs.m = fs.firstM;
    }
    fs.firstM = null; // D:572
    const page = fs.m;
    assert(page !== null, "vm_fault: no placeholder to zero-fill");
    vm.machine.memory.zero(page.frame); // D:577-583
    page.valid = true;
    vm.coverage.hit("fault.zeroFill");
    return true;
  }
  fs.pindex += fs.object.backingOffset; // D:558
  if (fs.object !== fs.firstObject) pipWakeup(fs.object); // D:586-588
  assert(fs.object !== next, () => `vm_fault: object loop at ${next.describe()}`); // D:589
  vm.coverage.hit("fault.descend");
  fs.object = next;
  pipAdd(fs.object); // D:591
  return false;
}
