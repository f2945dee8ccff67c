//! The anonymous object (uvm_aobj.c): the memory of a SysV shared memory segment, zero-filled
//! on first touch and backed by swap, one swap slot per page. Every process attaching the
//! segment sees every write; a copying fork's child tracks it (semantic decision 7).
//!
//! MAP_SHARED|MAP_ANON is not an aobj in NetBSD but a shared amap, allocated by mmap
//! (docs/netbsd/map-amap-anon.md §1e; map-operations.ts). SysV shm is what exercises the
//! seed's PQ_AOBJ paths (uao_dropswap on wiring, F:2230-2252).
//!
//! pgo_get(PGO_LOCKED) also allocates zero-filled pages for pages never written to swap
//! (uao_get), so a fault's neighbours can allocate. A swap read error marks the slot bad and
//! the page's data is lost (EIO from then on), as for anons.

import { assert } from "../../vocabulary/assert.ts";
import type { Advice, ProtectionBits } from "../../vocabulary/protection.ts";
import { NO_SWAP_SLOT, type SwapSlot, SWAP_SLOT_BAD } from "../hardware/units.ts";
import type { Result, Status } from "./errors.ts";
import { mutexEnter, mutexExit, mutexOwned } from "./lock.ts";
import { type PageSlot, type PutFlags, UvmObject } from "./object.ts";
import { getResidentPages, waitForBusyPage, waitForMemory } from "./object-pages.ts";
import { lockPageQueues, pageAlloc, pageDeactivate, pageFree, pagerQueue, pageSetBusy, unlockPageQueues } from "./page-allocator.ts";
import { type Page, PG_FAKE, PQ_AOBJ } from "./page.ts";
import { sleep, type Sleepy } from "./sleep.ts";
import { swapFree, swapGetDone, swapMarkBad, swapRead } from "./swap.ts";
import type { Uvm } from "./uvm.ts";

export class AnonymousObject extends UvmObject {
  readonly kind = "aobj";
  /** Swap slot of each page that has one (0 never stored; SWAP_SLOT_BAD once lost). [object lock] */
  readonly swapSlots = new Map<number, SwapSlot>();
  alive = true;

  constructor(
    id: number,
    readonly pageCount: number,
  ) {
    super(id, `aobj${id}`);
  }

  override swapSlotOf(offset: number): SwapSlot {
    return this.swapSlots.get(offset) ?? NO_SWAP_SLOT;
  }

  override swapBacking(): ReadonlyMap<number, SwapSlot> {
    return this.swapSlots;
  }

  /** uao_set_swslot(offset, slot) */
  override setSwapSlot(offset: number, slot: SwapSlot): void {
    if (slot === NO_SWAP_SLOT) this.swapSlots.delete(offset);
    else this.swapSlots.set(offset, slot);
  }

  /** uao_dropswap: frees the page's slot (a bad slot stays bad, the entry goes). */
  override dropSwap(uvm: Uvm, offset: number): void {
    const slot = this.swapSlotOf(offset);
    if (slot === NO_SWAP_SLOT) return;
    swapFree(uvm, slot);
    this.swapSlots.delete(offset);
  }

  getLocked(uvm: Uvm, offset: number, slots: PageSlot[], center: number, access: ProtectionBits, _advice: Advice) {
    return getResidentPages(uvm, this, offset, slots, center, access, (pageOffset) => {
      if (pageOffset >= this.pageCount || this.swapSlotOf(pageOffset) !== NO_SWAP_SLOT) return null;
      const page = pageAlloc(uvm, { object: this, offset: pageOffset }, { zero: true });
      if (page === null) return null;
      page.flags &= ~PG_FAKE;
      page.pqFlags |= PQ_AOBJ;
      pagerQueue(uvm, page);
      return page;
    });
  }

  *getSync(uvm: Uvm, offset: number, _access: ProtectionBits): Sleepy<Result<"page", Page>> {
    assert(mutexOwned(uvm, this.lock), () => `uao_get(PGO_SYNCIO): ${this.name} not locked`);
    assert(offset >= 0, () => `${this.name}: negative page ${offset}`);
    assert(offset < this.pageCount, () => `${this.name}: no page ${offset}`);
    for (;;) {
      const resident = this.pages.get(offset) ?? null;
      if (resident?.busy) {
        this.holdAcrossSleep(uvm);
        yield* waitForBusyPage(uvm, this, resident, "uao_get busy page");
        if (yield* this.releaseAfterSleep(uvm)) return { status: "EAGAIN", page: null };
        continue;
      }
      if (resident !== null) {
        pageSetBusy(uvm, resident);
        mutexExit(uvm, this.lock);
        return { status: 0, page: resident };
      }
      const slot = this.swapSlotOf(offset);
      const page = pageAlloc(uvm, { object: this, offset }, { zero: slot === NO_SWAP_SLOT });
      if (page === null) {
        this.holdAcrossSleep(uvm);
        mutexExit(uvm, this.lock);
        const retry = yield* waitForMemory(uvm, "uao_get");
        mutexEnter(uvm, this.lock);
        if (yield* this.releaseAfterSleep(uvm)) return { status: "EAGAIN", page: null };
        if (!retry) {
          mutexExit(uvm, this.lock);
          return { status: "ENOMEM", page: null };
        }
        continue;
      }
      page.pqFlags |= PQ_AOBJ;
      if (slot !== NO_SWAP_SLOT) {
        const status = yield* this.swapIn(uvm, page, slot);
        if (status !== 0) return { status, page: null };
      }
      page.flags &= ~PG_FAKE;
      pagerQueue(uvm, page);
      mutexExit(uvm, this.lock);
      return { status: 0, page };
    }
  }

  /** Reads `page` from `slot` with the object unlocked; on error the data is lost for good. Ensures on error: unlocked. */
  private *swapIn(uvm: Uvm, page: Page, slot: SwapSlot): Sleepy<Status> {
    mutexExit(uvm, this.lock);
    const read = swapRead(uvm, slot);
    yield* sleep({ kind: "io", site: "uao_get swap read" });
    const status = swapGetDone(uvm, page.frame, slot, read);
    mutexEnter(uvm, this.lock);
    if (status === 0) return 0;
    if (slot !== SWAP_SLOT_BAD) swapMarkBad(uvm, slot);
    this.swapSlots.set(page.offset, SWAP_SLOT_BAD);
    pageFree(uvm, page);
    mutexExit(uvm, this.lock);
    return status;
  }

  /** uao_put: deactivate or free resident pages of `[start, end)`; busy and wired pages stay. */
  *put(uvm: Uvm, start: number, end: number, flags: PutFlags): Sleepy<Status> {
    assert(mutexOwned(uvm, this.lock), () => `uao_put: ${this.name} not locked`);
    for (const page of [...this.pages.values()]) {
      if (page.offset < start || page.offset >= end || page.busy || page.wireCount > 0) continue;
      lockPageQueues(uvm);
      if (flags.free === true) {
        uvm.machine.mmu.pageProtect(page.frame, 0);
        this.dropSwap(uvm, page.offset);
        pageFree(uvm, page);
      } else if (flags.deactivate === true) {
        pageDeactivate(uvm, page);
      }
      unlockPageQueues(uvm);
    }
    mutexExit(uvm, this.lock);
    return 0;
  }

  /**
   * uao_get sleeps (a busy page, uvm_wait) with no busy page of its own and the object
   * unlocked; nothing then keeps the aobj alive, and an munmap by another thread can free it
   * under the sleeper (uvm_aobj.c; a finding of uvmcheck, variant seed-aobj-get-unreferenced).
   * We hold a reference across the sleep. Requires: locked.
   */
  private holdAcrossSleep(uvm: Uvm): void {
    if (!uvm.seedBehaviour("seed-aobj-get-unreferenced")) this.references++;
  }

  /** Drops the sleep's reference. Requires: locked. Ensures: true (and unlocked) if it was the last: the object is gone. */
  private *releaseAfterSleep(uvm: Uvm): Sleepy<boolean> {
    if (uvm.seedBehaviour("seed-aobj-get-unreferenced")) return false;
    this.references--;
    if (this.references > 0) return false;
    mutexExit(uvm, this.lock);
    this.references++;
    yield* this.detach(uvm);
    return true;
  }

  /** uao_detach: the last reference frees every page (waiting for busy ones) and every swap slot. */
  *detach(uvm: Uvm): Sleepy<void> {
    assert(this.references > 0, () => `${this.name}: detach without reference`);
    this.references--;
    if (this.references > 0) return;
    mutexEnter(uvm, this.lock);
    for (let busy = this.busyPage(); busy !== null; busy = this.busyPage()) yield* waitForBusyPage(uvm, this, busy, "uao_detach busy page");
    for (const page of [...this.pages.values()]) {
      uvm.machine.mmu.pageProtect(page.frame, 0);
      lockPageQueues(uvm);
      this.dropSwap(uvm, page.offset);
      pageFree(uvm, page);
      unlockPageQueues(uvm);
    }
    const slots = [...this.swapSlots];
    for (const [offset, slot] of slots) {
      if (slot > 0) uvm.swap.onlyCopies--;
      this.dropSwap(uvm, offset);
    }
    mutexExit(uvm, this.lock);
    this.alive = false;
    uvm.liveObjects.delete(this);
  }

  private busyPage(): Page | null {
    for (const page of this.pages.values()) if (page.busy) return page;
    return null;
  }
}
