//! The pager step of the chain walk (D:386-544) with read-ahead, read-behind and
//! cache-behind, and vm_fault_additional_pages (D:1120-1247).
//!
//!   behind = min(pages before va in the entry, 7), ahead = min(pages after, 8); none for
//!   MADV_RANDOM. Sequential access (MADV_SEQUENTIAL, or the index within 16 of `lastr`):
//!   cache-behind over the first object (clean pages to the cache queue, dirty ones
//!   unmapped and deactivated), and the read-behind budget goes ahead.
//!
//! The extra pages are BUSY and invalid until the pager fills them; one it cannot fill is
//! freed. The swap pager reads one page at a time (its has_page reports no neighbours).

import { PROT_NONE } from "../../../vocabulary/protection.ts";
import type { VmObject } from "../vm-object.ts";
import { type VmPage, vmPageAlloc, vmPageCache, vmPageDeactivate, vmPageFree, vmPageTestDirty, vmPageWakeup } from "../vm-page.ts";
import { type PagerResult, swapPagerGetPage, swapPagerHasPage } from "../swap-pager.ts";
import { vnodePagerGetPage, vnodePagerHasPage } from "../vnode-pager.ts";
import { type Sleepy, sleep } from "../vm-sleep.ts";
import type { Vm } from "../vm.ts";
import { type FaultState, type FaultStep, unlockAndDeallocate, unlockMap } from "./fault-state.ts";

const VM_FAULT_READ_AHEAD = 8;
const VM_FAULT_READ_BEHIND = 7;
const VM_FAULT_READ = VM_FAULT_READ_AHEAD + VM_FAULT_READ_BEHIND + 1;

/** D:386-544. Ensures: "found" with `fs.m` valid and BUSY; VM_PAGER_FAIL (go on down); or a result. */
export function* faultPagerRead(vm: Vm, fs: FaultState, va: number): Sleepy<"found" | "VM_PAGER_FAIL" | FaultStep> {
  const page = fs.m!;
  const entry = fs.entry;
  let behind = 0;
  let ahead = 0;
  if (entry.advice !== "random") {
    behind = Math.min(va - entry.start, VM_FAULT_READ_BEHIND); // D:396-398
    ahead = Math.min(entry.end - va - 1, VM_FAULT_READ_AHEAD); // D:400-402
  }
  const sequential = entry.advice === "sequential" || (entry.advice !== "random" && fs.pindex >= entry.lastRead && fs.pindex < entry.lastRead + VM_FAULT_READ);
  if (sequential) {
    cacheBehind(vm, fs); // D:405-445
    ahead += behind;
    behind = 0;
  }
  const pages = additionalPages(vm, fs.object, page, behind, ahead); // D:464-465
  entry.lastRead = fs.pindex + pages.length - behind; // D:471
  unlockMap(fs); // D:478
  if (pages.length > 0) {
    vm.coverage.hit("sleep.pagerRead");
    yield* sleep({ kind: "io", site: "DW4 pager read" }); // D:480-483: the pages stay BUSY, the paging counts held
  }
  const result: PagerResult = pages.length > 0 ? pagerGetPages(vm, fs.object, pages, page) : "VM_PAGER_FAIL"; // D:480-482
  if (result === "VM_PAGER_OK") {
    vm.coverage.hit("fault.pagerOk");
    fs.m = fs.object.pages.get(fs.pindex) ?? null; // D:495
    if (fs.m === null) {
      unlockAndDeallocate(vm, fs);
      return "RetryFault";
    }
    return "found";
  }
  if (result === "VM_PAGER_ERROR" || result === "VM_PAGER_BAD") {
    vm.coverage.hit(result === "VM_PAGER_ERROR" ? "fault.pagerError" : "fault.pagerBad");
    vmPageFree(vm, page); // D:529-535 (a user map: the kernel_map kludge of F28 never applies)
    fs.m = null;
    if (fs.firstM === page) fs.firstM = null;
    unlockAndDeallocate(vm, fs);
    return result === "VM_PAGER_ERROR" ? "KERN_FAILURE" : "KERN_PROTECTION_FAILURE";
  }
  vm.coverage.hit("fault.pagerFail");
  if (fs.object !== fs.firstObject) {
    vmPageFree(vm, page); // D:536-543
    fs.m = null;
  }
  return "VM_PAGER_FAIL";
}

/** D:411-444: walk down from first_pindex - 1 over the first object's valid pages. */
function cacheBehind(vm: Vm, fs: FaultState): void {
  const lowest = Math.max(0, fs.firstPindex - 2 * VM_FAULT_READ);
  for (let index = fs.firstPindex - 1; index >= lowest; index--) {
    const page = fs.firstObject.pages.get(index);
    if (page === undefined || !page.valid) break; // D:429-430 (F30: a bounded index stops here)
    if (page.busy || page.wireCount > 0) continue;
    vm.coverage.hit("fault.cacheBehind");
    if (!page.dirty) vmPageTestDirty(vm, page);
    if (page.dirty) {
      vm.machine.mmu.pageProtect(page.frame, PROT_NONE);
      vmPageDeactivate(page);
    } else vmPageCache(vm, page);
  }
}

/** vm_pager_has_page: whether the pager has the page, and its contiguous neighbours. */
function pagerHasPage(object: VmObject, pindex: number): { before: number; after: number } | null {
  if (object.type === "vnode") return vnodePagerHasPage(object, pindex);
  return swapPagerHasPage(object, pindex) ? { before: 0, after: 0 } : null;
}

/** vm_fault_additional_pages (D:1120-1247): the pages to read, in index order, `page` among them. */
function additionalPages(vm: Vm, object: VmObject, page: VmPage, behindWanted: number, aheadWanted: number): VmPage[] {
  const has = pagerHasPage(object, page.pindex);
  if (has === null) return []; // D:1150-1152
  if (has.before === 0 && has.after === 0) return [page];
  const ahead = Math.min(aheadWanted, has.after);
  const behind = Math.min(behindWanted, has.before);
  if (ahead + behind > vm.machine.memory.freeCount) return [page]; // D:1171 (F34: no unsigned wrap here)
  const before: VmPage[] = [];
  let start = page.pindex - behind;
  for (let index = page.pindex - 1; index >= page.pindex - behind; index--) {
    if (object.pages.has(index)) {
      start = index + 1;
      break;
    }
  }
  for (let index = start; index < page.pindex; index++) {
    const extra = vmPageAlloc(vm, object, index);
    if (extra === null) {
      for (const allocated of before) vmPageFree(vm, allocated);
      return [page];
    }
    before.push(extra);
  }
  const after: VmPage[] = [];
  for (let index = page.pindex + 1; index < Math.min(page.pindex + 1 + ahead, object.size); index++) {
    if (object.pages.has(index)) break;
    const extra = vmPageAlloc(vm, object, index);
    if (extra === null) break;
    after.push(extra);
  }
  return [...before, page, ...after];
}

/** vm_pager_get_pages: the requested page first; the others filled or freed, then unbusied. */
function pagerGetPages(vm: Vm, object: VmObject, pages: readonly VmPage[], requested: VmPage): PagerResult {
  const getPage = (page: VmPage) => (object.type === "vnode" ? vnodePagerGetPage(vm, object, page) : swapPagerGetPage(vm, object, page));
  const result = getPage(requested);
  for (const extra of pages) {
    if (extra === requested) continue;
    if (result === "VM_PAGER_OK" && getPage(extra) === "VM_PAGER_OK") {
      vm.coverage.hit("fault.readAhead");
      vmPageWakeup(extra);
      vmPageDeactivate(extra);
    } else vmPageFree(vm, extra);
  }
  return result;
}
