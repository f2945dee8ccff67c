//! read(2), write(2) and the flush of a file, through its vnode object (the buffer cache's
//! VMIO pages are the vnode object's pages): a missing page is read in by the vnode pager,
//! a write dirties it, and the flush writes dirty pages back and frees the resident ones.
//! The read sleeps with the new page BUSY; a BUSY page (a fault or another read filling it)
//! is waited for.

import type { FileRead, FileWrite } from "../../vocabulary/command.ts";
import { error, ok, type Outcome, value } from "../../vocabulary/outcome.ts";
import { PROT_NONE } from "../../vocabulary/protection.ts";
import { fileAccessRefusal } from "../argument-checks.ts";
import { type VmPage, vmPageActivate, vmPageAlloc, vmPageFree, vmPageTestDirty, vmPageWakeup } from "./vm-page.ts";
import { vmWait } from "./vm-pageout.ts";
import { vnodePagerGetPage, vnodePagerPutPage } from "./vnode-pager.ts";
import type { VmObject } from "./vm-object.ts";
import { type Sleepy, sleep } from "./vm-sleep.ts";
import type { Vm } from "./vm.ts";

export function* fileAccess(vm: Vm, command: FileRead | FileWrite): Sleepy<Outcome> {
  const object = vm.vnodeObjects[command.file];
  const refusal = fileAccessRefusal(command, vm.world, object !== undefined);
  if (refusal !== null || object === undefined) return error(refusal ?? "EINVAL");
  const page = yield* residentPage(vm, object, command.page);
  if (page === "ENOMEM" || page === "EIO") return error(page);
  if (command.kind === "fileRead") return value(vm.machine.memory.read(page.frame, command.word));
  vm.machine.memory.write(page.frame, command.word, command.value);
  page.dirty = true;
  return ok;
}

/** The file page, resident, valid and not BUSY (read in if needed), or why not. */
function* residentPage(vm: Vm, object: VmObject, pindex: number): Sleepy<VmPage | "ENOMEM" | "EIO"> {
  for (;;) {
    const resident = object.pages.get(pindex);
    if (resident?.busy === true) {
      vm.coverage.hit("sleep.fileBusy");
      yield* sleep({ kind: "pageWait", site: "file page busy", page: resident, epoch: resident.busyEpoch }); // the buffer is busy: wait, look again
      continue;
    }
    if (resident !== undefined) {
      if (resident.queue === "cache") vmPageActivate(resident);
      return resident;
    }
    const page = vmPageAlloc(vm, object, pindex);
    if (page === null) {
      yield* sleep({ kind: "memoryWait", site: "file page allocation" }); // VM_WAIT
      if (!vmWait(vm)) return "ENOMEM";
      continue;
    }
    vm.coverage.hit("sleep.fileRead");
    yield* sleep({ kind: "io", site: "file read" }); // bread: the page BUSY and invalid meanwhile
    if (vnodePagerGetPage(vm, object, page) !== "VM_PAGER_OK") {
      vmPageFree(vm, page);
      return "EIO";
    }
    vmPageWakeup(page);
    vmPageActivate(page);
    return page;
  }
}

/** The flush: dirty pages written back, every resident page not BUSY or wired freed. */
export function fileEvict(vm: Vm, file: number): Outcome {
  const object = vm.vnodeObjects[file];
  if (object === undefined || !Number.isInteger(file)) return error("EINVAL");
  for (const page of [...object.pages.values()]) {
    if (page.busy || page.wireCount > 0) continue;
    vm.machine.mmu.pageProtect(page.frame, PROT_NONE);
    vmPageTestDirty(vm, page);
    if (page.dirty) vnodePagerPutPage(vm, object, page);
    vmPageFree(vm, page);
  }
  return ok;
}
