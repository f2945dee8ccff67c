//! uvm_object: the lower layer of a mapping, a set of pages by offset plus a pager
//! (uvm_object.h, uvm_pager.h).
//!
//! The pager's three operations, with the contracts the seeds rely on:
//!
//!   getLocked   pgo_get(PGO_LOCKED): object locked on entry and exit; never sleeps. Fills
//!               the null slots (DONTCARE slots are skipped) with resident pages that are not
//!               BUSY or RELEASED, and not RDONLY for a write access, and busies them. Status
//!               0 if the center page was obtained, else EBUSY.
//!   getSync     pgo_get(PGO_SYNCIO) of one page: object locked on entry, unlocked on return.
//!               May sleep and do I/O. Returns the page BUSY and valid, or an error (EAGAIN,
//!               EIO, ENOMEM). With a write access the object is no longer clean.
//!   put         pgo_put over a range: deactivate, clean and/or free pages. Object locked on
//!               entry, unlocked on return.
//!
//! Kinds: `vnode` (a file, backed by the disk), `aobj` (a SysV shm segment's memory, backed
//! by swap), `zero` (the loan zero page's object, which has no get).

import { assert } from "../../vocabulary/assert.ts";
import type { Advice, ProtectionBits } from "../../vocabulary/protection.ts";
import { NO_SWAP_SLOT, type SwapSlot } from "../hardware/units.ts";
import type { Result, Status } from "./errors.ts";
import { Mutex } from "./lock.ts";
import type { Page } from "./page.ts";
import type { Sleepy } from "./sleep.ts";
import type { Uvm } from "./uvm.ts";

/** PGO_DONTCARE: a slot the caller does not want filled (an anon shadows it, or it is mapped). */
export const DONTCARE = Symbol("PGO_DONTCARE");
export type PageSlot = Page | null | typeof DONTCARE;

export interface PutFlags {
  /** PGO_DEACTIVATE */
  readonly deactivate?: boolean;
  /** PGO_CLEANIT: write dirty pages back first. */
  readonly clean?: boolean;
  /** PGO_FREE */
  readonly free?: boolean;
}

export type ObjectKind = "vnode" | "aobj" | "zero";

export abstract class UvmObject {
  abstract readonly kind: ObjectKind;
  /** vmobjlock */
  readonly lock: Mutex;
  /** memq: resident pages by page offset. [object lock] */
  readonly pages = new Map<number, Page>();
  /** uo_refs: map entries (and other holders) referring to the object. */
  references = 1;
  /** Whether the pager has pgo_get (the loan zero object has none). */
  readonly hasGet: boolean = true;

  constructor(
    readonly id: number,
    readonly name: string,
  ) {
    this.lock = new Mutex(`object ${name}`, "uobj");
  }

  abstract getLocked(uvm: Uvm, offset: number, slots: PageSlot[], center: number, access: ProtectionBits, advice: Advice): { status: 0 | "EBUSY"; got: number };

  abstract getSync(uvm: Uvm, offset: number, access: ProtectionBits): Sleepy<Result<"page", Page>>;

  abstract put(uvm: Uvm, start: number, end: number, flags: PutFlags): Sleepy<Status>;

  /** UVM_OBJ_IS_CLEAN: a vnode with no dirty page and no writable mapping. */
  isClean(): boolean {
    return false;
  }

  /** uao_find_swslot: the slot holding the page at `offset` on swap; NO_SWAP_SLOT unless the object is swap-backed (an aobj). */
  swapSlotOf(_offset: number): SwapSlot {
    return NO_SWAP_SLOT;
  }

  /** uao_dropswap: frees the swap slot of the page at `offset`; nothing to free unless the object is swap-backed. */
  dropSwap(_uvm: Uvm, _offset: number): void {}

  /** uao_set_swslot: records where the page at `offset` went on swap. Requires: a swap-backed object (an aobj). */
  setSwapSlot(offset: number, _slot: SwapSlot): void {
    assert(false, () => `setSwapSlot: object ${this.id} is not swap-backed (offset ${offset})`);
  }

  /** The swap slots of the object's pages, by offset: empty unless the object is swap-backed. */
  swapBacking(): ReadonlyMap<number, SwapSlot> {
    return new Map();
  }

  /** UVM_OBJ_NEEDS_WRITEFAULT: writes must fault so the object can be marked dirty. */
  needsWriteFault(): boolean {
    return false;
  }

  /** pgo_reference */
  reference(): void {
    this.references++;
  }

  /** pgo_detach: drops one reference (an aobj dies with its last one). */
  abstract detach(uvm: Uvm): Sleepy<void>;
}
