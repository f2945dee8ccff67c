//! The vnode pager (vnode_pager.c, DragonFly 2004) over the simulated disk: a file's vnode
//! object reads its pages from the file and writes dirty ones back.
//!
//! getpages: VM_PAGER_BAD for an index past the end of the file (D:518-535 then answers
//! KERN_PROTECTION_FAILURE), VM_PAGER_ERROR on a read failure (EIO); a disk that asks to
//! try again (EAGAIN) is simply asked again, as the buffer cache does. putpages never fails.

import { assert } from "../../vocabulary/assert.ts";
import type { PagerResult } from "./swap-pager.ts";
import type { VmObject } from "./vm-object.ts";
import type { VmPage } from "./vm-page.ts";
import type { Vm } from "./vm.ts";

/** vnode_pager_haspage: the file has every page below its size; `before`/`after` count the contiguous ones around. */
export function vnodePagerHasPage(object: VmObject, pindex: number): { before: number; after: number } | null {
  if (pindex < 0 || pindex >= object.size) return null;
  return { before: pindex, after: object.size - pindex - 1 };
}

/** vnode_pager_getpages for one page. Requires: page BUSY and invalid, in `object`. */
export function vnodePagerGetPage(vm: Vm, object: VmObject, page: VmPage): PagerResult {
  assert(object.type === "vnode", () => `vnode_pager_getpages: ${object.describe()} is no vnode`);
  assert(object.handle !== null, () => `vnode_pager_getpages: ${object.describe()} has no vnode handle`);
  assert(page.busy, () => `vnode_pager_getpages: ${page.describe()} not busy`);
  assert(!page.valid, () => `vnode_pager_getpages: ${page.describe()} already valid`);
  if (page.pindex >= object.size) return "VM_PAGER_BAD";
  for (;;) {
    const read = vm.machine.disk.read(object.handle, page.pindex);
    if (read.kind === "ok") {
      vm.coverage.hit("vnode.read");
      vm.machine.memory.fill(page.frame, read.words);
      page.valid = true;
      page.dirty = false;
      return "VM_PAGER_OK";
    }
    if (read.errno === "EIO") {
      vm.coverage.hit("vnode.readFailure");
      return "VM_PAGER_ERROR";
    }
  }
}

/** vnode_pager_putpages for one page: the page's words go to the file; the page is clean. */
export function vnodePagerPutPage(vm: Vm, object: VmObject, page: VmPage): void {
  assert(object.handle !== null, () => `vnode_pager_putpages: ${object.describe()} has no file`);
  vm.coverage.hit("vnode.write");
  vm.machine.disk.write(object.handle, page.pindex, vm.machine.memory.contents(page.frame));
  page.dirty = false;
}
