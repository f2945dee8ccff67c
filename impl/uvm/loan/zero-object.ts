//! uvm_loanzero_object (seed L:841, L:1044-1100): the object holding the one shared zero
//! page that zero-fill loans lend. Its pager has no get; its put (ulz_put) never frees the
//! page, it only reactivates or dequeues it, so the zero page lives forever once made.
//! The page is PG_RDONLY: it is never mapped writable.

import { assert } from "../../../vocabulary/assert.ts";
import type { Advice, ProtectionBits } from "../../../vocabulary/protection.ts";
import type { Result, Status } from "../errors.ts";
import { mutexExit, mutexOwned } from "../lock.ts";
import { type PageSlot, type PutFlags, UvmObject } from "../object.ts";
import { lockPageQueues, pageActivate, pageDequeue, unlockPageQueues } from "../page-allocator.ts";
import type { Page } from "../page.ts";
import type { Sleepy } from "../sleep.ts";
import type { Uvm } from "../uvm.ts";

export class ZeroObject extends UvmObject {
  readonly kind = "zero";
  override readonly hasGet = false;

  constructor(id: number) {
    super(id, "loanzero");
  }

  /** The zero page, once made. */
  get zeroPage(): Page | null {
    return this.pages.get(0) ?? null;
  }

  getLocked(_uvm: Uvm, _offset: number, _slots: PageSlot[], _center: number, _access: ProtectionBits, _advice: Advice): { status: 0 | "EBUSY"; got: number } {
    throw new Error("uvm_loanzero_object has no pgo_get");
  }

  *getSync(_uvm: Uvm, _offset: number, _access: ProtectionBits): Sleepy<Result<"page", Page>> {
    throw new Error("uvm_loanzero_object has no pgo_get");
  }

  /** ulz_put: never frees; with PGO_FREE, reactivates the page if an anon holds it, else dequeues it. */
  *put(uvm: Uvm, _start: number, _end: number, flags: PutFlags): Sleepy<Status> {
    assert(mutexOwned(uvm, this.lock), "ulz_put: zero object not locked");
    const page = this.zeroPage;
    if (flags.free === true && page !== null) {
      lockPageQueues(uvm);
      if (page.anon !== null) pageActivate(uvm, page);
      else pageDequeue(uvm, page);
      unlockPageQueues(uvm);
    }
    mutexExit(uvm, this.lock);
    return 0;
  }

  *detach(_uvm: Uvm): Sleepy<void> {
    throw new Error("uvm_loanzero_object is never detached");
  }
}
