//! The vnode pager: a file's pages, read from and written back to the disk (uvm_vnode.c,
//! genfs getpages/putpages; notes in docs/netbsd/pager-pdaemon-swap.md §5).
//!
//! A vnode is clean (`writable` false, "not on the syncer worklist") while none of its pages
//! is dirty and none is mapped writable; UVM_OBJ_NEEDS_WRITEFAULT then holds, so writes
//! through shared mappings fault and mark it writable first (bug F12: without that a
//! write fault on a clean vnode would refault forever). It becomes clean again only when a
//! clean-and-write-protect pass over the whole file leaves nothing dirty.
//!
//! Vnodes live as long as the machine (the vnode cache); references only count mappings.

import { assert } from "../../vocabulary/assert.ts";
import type { Advice, ProtectionBits } from "../../vocabulary/protection.ts";
import { PROT_READ, PROT_WRITE } from "../../vocabulary/protection.ts";
import type { Result, Status } from "./errors.ts";
import { mutexEnter, mutexExit, mutexOwned } from "./lock.ts";
import { type PageSlot, type PutFlags, UvmObject } from "./object.ts";
import { getResidentPages, waitForBusyPage, waitForMemory } from "./object-pages.ts";
import { lockPageQueues, pageAlloc, pageDeactivate, pageFree, pagerQueue, pageSetBusy, unlockPageQueues } from "./page-allocator.ts";
import { type Page, PG_CLEAN, PG_FAKE } from "./page.ts";
import { sleep, type Sleepy } from "./sleep.ts";
import type { Uvm } from "./uvm.ts";

export class Vnode extends UvmObject {
  readonly kind = "vnode";
  /** On the syncer worklist: may have dirty pages or writable mappings. [object lock] */
  writable = false;

  constructor(
    id: number,
    readonly file: number,
    readonly pageCount: number,
  ) {
    super(id, `vnode${file}`);
  }

  override isClean(): boolean {
    return !this.writable;
  }

  override needsWriteFault(): boolean {
    return !this.writable;
  }

  markDirty(): void {
    this.writable = true;
  }

  getLocked(uvm: Uvm, offset: number, slots: PageSlot[], center: number, access: ProtectionBits, _advice: Advice) {
    const result = getResidentPages(uvm, this, offset, slots, center, access, () => null);
    if (result.status === 0 && (access & PROT_WRITE) !== 0) this.markDirty();
    return result;
  }

  *getSync(uvm: Uvm, offset: number, access: ProtectionBits): Sleepy<Result<"page", Page>> {
    assert(mutexOwned(uvm, this.lock), () => `pgo_get(PGO_SYNCIO): ${this.name} not locked`);
    assert(offset >= 0, () => `${this.name}: negative page ${offset}`);
    assert(offset < this.pageCount, () => `${this.name}: no page ${offset}`);
    for (;;) {
      const resident = this.pages.get(offset) ?? null;
      if (resident?.busy) {
        yield* waitForBusyPage(uvm, this, resident, "genfs_getpages busy page");
        continue;
      }
      if (resident !== null) {
        pageSetBusy(uvm, resident);
        if ((access & PROT_WRITE) !== 0) this.markDirty();
        mutexExit(uvm, this.lock);
        return { status: 0, page: resident };
      }
      const page = pageAlloc(uvm, { object: this, offset });
      if (page === null) {
        mutexExit(uvm, this.lock);
        if (!(yield* waitForMemory(uvm, "genfs_getpages"))) return { status: "ENOMEM", page: null };
        mutexEnter(uvm, this.lock);
        continue;
      }
      mutexExit(uvm, this.lock);
      const read = uvm.machine.disk.read(this.file, offset); // the device decides now whether the read fails
      yield* sleep({ kind: "io", site: "U12 vnode read" });
      mutexEnter(uvm, this.lock);
      if (read.kind === "error") {
        pageFree(uvm, page);
        mutexExit(uvm, this.lock);
        return { status: read.errno, page: null };
      }
      uvm.machine.memory.fill(page.frame, read.words);
      page.flags &= ~PG_FAKE;
      if ((access & PROT_WRITE) !== 0) this.markDirty();
      pagerQueue(uvm, page);
      mutexExit(uvm, this.lock);
      return { status: 0, page };
    }
  }

  /** genfs_putpages over `[start, end)`. Busy and (for freeing) wired pages are skipped. */
  *put(uvm: Uvm, start: number, end: number, flags: PutFlags): Sleepy<Status> {
    assert(mutexOwned(uvm, this.lock), () => `pgo_put: ${this.name} not locked`);
    const wholeFile = start <= 0 && end >= this.pageCount;
    const pages = [...this.pages.values()].filter((page) => page.offset >= start && page.offset < end).sort((a, b) => a.offset - b.offset);
    for (const page of pages) {
      if (page.busy) continue;
      if (flags.clean === true) this.cleanPage(uvm, page, wholeFile);
      if (flags.free === true && page.wireCount === 0) {
        uvm.machine.mmu.pageProtect(page.frame, 0);
        if (isDirty(uvm, page)) this.writeBack(uvm, page);
        lockPageQueues(uvm);
        pageFree(uvm, page);
        unlockPageQueues(uvm);
      } else if (flags.deactivate === true && page.wireCount === 0) {
        lockPageQueues(uvm);
        pageDeactivate(uvm, page);
        unlockPageQueues(uvm);
      }
    }
    if (wholeFile && flags.clean === true) this.writable = [...this.pages.values()].some((page) => isDirty(uvm, page) || mappedWritable(uvm, page));
    mutexExit(uvm, this.lock);
    return 0;
  }

  /** Writes a dirty page back; when cleaning the whole file, first removes write access so the next write faults. */
  private cleanPage(uvm: Uvm, page: Page, writeProtect: boolean): void {
    if (writeProtect) uvm.machine.mmu.pageProtect(page.frame, PROT_READ);
    if (isDirty(uvm, page)) this.writeBack(uvm, page);
  }

  private writeBack(uvm: Uvm, page: Page): void {
    uvm.machine.mmu.clearModify(page.frame);
    uvm.machine.disk.write(this.file, page.offset, uvm.machine.memory.contents(page.frame));
    page.flags |= PG_CLEAN;
  }

  *detach(_uvm: Uvm): Sleepy<void> {
    assert(this.references > 0, () => `${this.name}: detach without reference`);
    this.references--;
  }
}

/** Dirty: not PG_CLEAN, or written through a mapping since it was last cleaned. */
export function isDirty(uvm: Uvm, page: Page): boolean {
  return (page.flags & PG_CLEAN) === 0 || uvm.machine.mmu.isModified(page.frame);
}

export function mappedWritable(uvm: Uvm, page: Page): boolean {
  return uvm.machine.mmu.reverseEntries(page.frame).some((entry) => (entry.pmap.translation(entry.va)!.prot & PROT_WRITE) !== 0);
}
