//! The page daemon (vm_pageout.c, DragonFly 2004), run to a free-frame target: by the
//! `pageout` command, and by a fault or wiring that waits for memory (VM_WAIT).
//!
//! It scans the cache queue, then the inactive queue, then the active one, skipping BUSY and
//! wired pages. Each page is unmapped everywhere and its modified bit folded into `dirty`:
//!
//!   vnode page      dirty → written to its file (vnode pager); then freed
//!   anonymous page  dirty → written to swap (swap pager; no slot or a write failure: kept,
//!                   reactivated); clean → freed (its data is on swap, or it is a zero page
//!                   equal to what lies below it)

import { type VmPage, vmPageActivate, vmPageFree, vmPageTestDirty } from "./vm-page.ts";
import { swapPagerPutPage } from "./swap-pager.ts";
import { vnodePagerPutPage } from "./vnode-pager.ts";
import { PROT_NONE } from "../../vocabulary/protection.ts";
import type { Vm } from "./vm.ts";

/** Frames an operation may need at once: a placeholder and the page it reads or copies (vm_page_count_severe's floor here). */
export const FRAMES_PER_OPERATION = 2;

/** vm_pageout_scan until `target` frames are free or nothing more can be freed. Returns the frames it freed. */
export function runPageDaemon(vm: Vm, target: number): number {
  const memory = vm.machine.memory;
  let freed = 0;
  for (const queue of ["cache", "inactive", "active"] as const) {
    for (const page of vm.pages) {
      if (memory.freeCount >= target) return freed;
      if (page.queue !== queue || !reclaimable(page)) continue;
      if (pageOut(vm, page)) freed++;
    }
  }
  return freed;
}

function reclaimable(page: VmPage): boolean {
  return page.allocated && !page.busy && page.wireCount === 0 && page.object !== null && page.valid;
}

/** Cleans and frees one page; false when it must stay (no swap slot, a failed write). */
function pageOut(vm: Vm, page: VmPage): boolean {
  const object = page.object!;
  vm.machine.mmu.pageProtect(page.frame, PROT_NONE);
  vmPageTestDirty(vm, page);
  if (page.dirty) {
    if (object.type === "vnode") vnodePagerPutPage(vm, object, page);
    else if (!swapPagerPutPage(vm, object, page)) {
      vmPageActivate(page);
      return false;
    }
  }
  vm.coverage.hit("pageout.free");
  vmPageFree(vm, page);
  return true;
}

/**
 * VM_WAIT / VM_WAITPFAULT: wakes the page daemon and waits for it. Returns false when it could
 * not make room for a whole operation: the caller answers ENOMEM (semantic decision 9; the
 * seed would sleep forever).
 */
export function vmWait(vm: Vm): boolean {
  runPageDaemon(vm, FRAMES_PER_OPERATION);
  const cached = vm.pages.filter((page) => page.queue === "cache").length;
  return vm.machine.memory.freeCount + cached >= FRAMES_PER_OPERATION;
}
