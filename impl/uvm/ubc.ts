//! read(2) and write(2) of a file through its vnode (uvm_bio.c; notes in
//! docs/netbsd/pager-pdaemon-swap.md §0.6).
//!
//! The page is fetched with pgo_get(PGO_SYNCIO) (read from disk if not resident) and
//! accessed in place, so every shared mapping and every private mapping still tracking the
//! file sees a write (semantic decision 1). A write first breaks any loan of the page
//! (ubc_fault → uvm_loanbreak): loan holders keep their snapshot. NetBSD waits forever when
//! the loan break finds no memory; here the write fails with ENOMEM when nothing is
//! reclaimable (semantic decision 9).

import { PROT_READ, PROT_WRITE } from "../../vocabulary/protection.ts";
import type { Result, Status } from "./errors.ts";
import { loanBreak } from "./loan/loan-break.ts";
import { mutexEnter, mutexExit } from "./lock.ts";
import { lockPageQueues, pageActivate, pageUnbusy, unlockPageQueues } from "./page-allocator.ts";
import { type Page, PG_CLEAN } from "./page.ts";
import { uvmReclaimable, uvmWait } from "./page-daemon.ts";
import { sleep, type Sleepy } from "./sleep.ts";
import type { Uvm } from "./uvm.ts";
import type { Vnode } from "./vnode.ts";

/** Gets the file page BUSY, retrying after EAGAIN. Requires: nothing locked. Ensures: the vnode unlocked. */
function* getFilePage(uvm: Uvm, vnode: Vnode, offset: number, access: number): Sleepy<Result<"page", Page>> {
  for (;;) {
    mutexEnter(uvm, vnode.lock);
    const got = yield* vnode.getSync(uvm, offset, access);
    if (got.status !== "EAGAIN") return got;
    yield* sleep({ kind: "pause", site: "ubc EAGAIN" });
  }
}

/** Releases a BUSY file page after an access. Requires: vnode unlocked. */
function releaseFilePage(uvm: Uvm, vnode: Vnode, page: Page): void {
  mutexEnter(uvm, vnode.lock);
  lockPageQueues(uvm);
  pageActivate(uvm, page);
  unlockPageQueues(uvm);
  pageUnbusy(uvm, page);
  mutexExit(uvm, vnode.lock);
}

export function* fileRead(uvm: Uvm, vnode: Vnode, offset: number, word: number): Sleepy<{ status: Status; value: number }> {
  uvm.coverage.hit("file.read");
  const got = yield* getFilePage(uvm, vnode, offset, PROT_READ);
  if (got.status !== 0) return { status: got.status, value: 0 };
  const page = got.page;
  const value = uvm.machine.memory.read(page.frame, word);
  releaseFilePage(uvm, vnode, page);
  return { status: 0, value };
}

export function* fileWrite(uvm: Uvm, vnode: Vnode, offset: number, word: number, value: number): Sleepy<Status> {
  uvm.coverage.hit("file.write");
  for (;;) {
    const got = yield* getFilePage(uvm, vnode, offset, PROT_WRITE);
    if (got.status !== 0) return got.status;
    let page = got.page;
    if (page.loanCount > 0) {
      mutexEnter(uvm, vnode.lock);
      const fresh = loanBreak(uvm, page);
      if (fresh === null) {
        pageUnbusy(uvm, page);
        mutexExit(uvm, vnode.lock);
        if (!uvmReclaimable(uvm)) return "ENOMEM";
        yield* uvmWait(uvm, "ubc loanbreak");
        continue;
      }
      mutexExit(uvm, vnode.lock);
      page = fresh;
    }
    uvm.machine.memory.write(page.frame, word, value);
    page.flags &= ~PG_CLEAN;
    releaseFilePage(uvm, vnode, page);
    return 0;
  }
}
