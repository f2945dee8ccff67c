//! vm_page: the kernel's record of one physical frame (uvm_page.h).
//!
//! There is one Page per frame for the life of the machine (the vm_page array;
//! PHYS_TO_VM_PAGE is `uvm.pages[frame]`). A page is free, or owned:
//!
//!   object-owned   `object` set (a vnode page, an aobj page, or the loan zero page); an
//!                  object page lent to an anon (O->A) also has `anon` set but not PQ_ANON
//!   anon-owned     `anon` set and PQ_ANON
//!   orphan         neither owner, kept alive by loans (`loanCount > 0`); with `anon` set and
//!                  no PQ_ANON it is an O->A page whose object let go, waiting for adoption
//!
//! The seed's flag bits are kept as bits because its logic tests them one by one:
//!
//!   PG_BUSY      one thread owns the page and may sleep holding it; others wait or skip
//!   PG_WANTED    someone sleeps waiting for !BUSY (implies BUSY)
//!   PG_RELEASED  the owner freed the page while it was BUSY; the busier must free it
//!   PG_CLEAN     contents equal the backing store (swap slot or file)
//!   PG_FAKE      contents not valid yet (freshly allocated)
//!   PG_RDONLY    never map writable (the loan zero page)
//!   PG_PAGEOUT   page-daemon I/O in progress
//!
//! Queue state (`queue`) is PQ_ACTIVE / PQ_INACTIVE / none; `pqFlags` holds PQ_ANON and
//! PQ_AOBJ. Every field says who may change it.

import type { ThreadId } from "../../vocabulary/units.ts";
import type { FrameNumber } from "../hardware/units.ts";
import type { Anon } from "./anon.ts";
import type { UvmObject } from "./object.ts";

export const PG_BUSY = 0x01;
export const PG_WANTED = 0x02;
export const PG_RELEASED = 0x04;
export const PG_CLEAN = 0x08;
export const PG_FAKE = 0x10;
export const PG_RDONLY = 0x20;
export const PG_PAGEOUT = 0x40;

export const PQ_ANON = 0x1;
export const PQ_AOBJ = 0x2;

export type PageQueue = "none" | "active" | "inactive";

export class Page {
  /** False while the frame sits in the free pool. [uvm_pagealloc / uvm_pagefree] */
  allocated = false;
  /** PG_* bits. [owner's lock] */
  flags = 0;
  /** PQ_ANON / PQ_AOBJ. [owner's lock + page queue lock] */
  pqFlags = 0;
  /** Which paging queue the page is on. [page queue lock] */
  queue: PageQueue = "none";
  /** loan_count: outstanding loans (see invariant G7). [owner + page queue lock] */
  loanCount = 0;
  /** wire_count: wirings; > 0 keeps the page off the paging queues. [page queue lock] */
  wireCount = 0;
  /** uobject: the owning object, or null. [object lock] */
  object: UvmObject | null = null;
  /** offset: page index in `object`. [object lock] */
  offset = 0;
  /** uanon: the owning anon (PQ_ANON) or the O->A loan receiver. [anon lock] */
  anon: Anon | null = null;
  /** The thread that set PG_BUSY (invariant G1). [the busier] */
  busyOwner: ThreadId | null = null;
  /** How many times PG_BUSY has been set: a sleeper waits for one busying to end (sleep.ts pageWait). [the busier] */
  busyEpoch = 0;

  constructor(readonly frame: FrameNumber) {}

  get busy(): boolean {
    return (this.flags & PG_BUSY) !== 0;
  }

  describe(): string {
    const owner = this.object !== null ? `object ${this.object.name}@${this.offset}` : this.anon !== null ? `anon ${this.anon.id}` : "no owner";
    return `page ${this.frame} (${owner}, flags ${flagNames(this.flags)}, loans ${this.loanCount}, wired ${this.wireCount})`;
  }
}

export function flagNames(flags: number): string {
  const names: string[] = [];
  const table: [number, string][] = [
    [PG_BUSY, "BUSY"],
    [PG_WANTED, "WANTED"],
    [PG_RELEASED, "RELEASED"],
    [PG_CLEAN, "CLEAN"],
    [PG_FAKE, "FAKE"],
    [PG_RDONLY, "RDONLY"],
    [PG_PAGEOUT, "PAGEOUT"],
  ];
  for (const [bit, name] of table) if ((flags & bit) !== 0) names.push(name);
  return names.length === 0 ? "-" : names.join("|");
}
