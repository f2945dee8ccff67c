//! The loan invariants:
//!
//!   G7  loan accounting, recomputed from the outstanding loans: with K(p) the kernel loans
//!       naming page p, loanCount is K + [an anon borrows it] for an object-owned page, K for
//!       an anon-owned page, K + 1 for an orphan awaiting adoption by its anon, and K ≥ 1 for
//!       an orphan (an orphan nobody holds has been freed)
//!   G8  no writable translation of a page on loan, ever
//!   zero page: once made it is never freed, stays in the loan zero object, is PG_RDONLY
//!       and is never mapped writable

import { heldItems } from "../loan/loan-record.ts";
import { PROT_WRITE } from "../../../vocabulary/protection.ts";
import { PG_RDONLY, type Page, PQ_ANON } from "../page.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";
import { translations } from "./heap.ts";

function kernelLoans({ uvm }: UvmHeap): Map<Page, number> {
  const counts = new Map<Page, number>();
  for (const loan of [...uvm.loans.values(), ...uvm.returningLoans, ...uvm.loansInProgress]) {
    const items = heldItems(loan);
    if (items.to !== "kernel") continue;
    for (const page of items.pages) counts.set(page, (counts.get(page) ?? 0) + 1);
  }
  return counts;
}

function expectedLoanCount(page: Page, kernel: number): number {
  if (page.object !== null) return kernel + (page.anon !== null ? 1 : 0);
  if ((page.pqFlags & PQ_ANON) !== 0) return kernel;
  return kernel + (page.anon !== null ? 1 : 0);
}

export const loanAccounting: HeapInvariant = {
  name: "G7 loan-accounting",
  check(heap: UvmHeap): string | null {
    const kernel = kernelLoans(heap);
    for (const page of kernel.keys()) {
      if (!page.allocated) return `a kernel loan holds free frame ${page.frame}`;
    }
    for (const page of heap.uvm.pages) {
      if (!page.allocated) continue;
      const expected = expectedLoanCount(page, kernel.get(page) ?? 0);
      if (page.loanCount !== expected) return `${page.describe()}: loan_count ${page.loanCount}, expected ${expected} from the outstanding loans`;
      if (page.object === null && page.anon === null && (page.pqFlags & PQ_ANON) === 0 && page.loanCount === 0) return `orphan ${page.describe()} held by nobody`;
    }
    return null;
  },
};

export const loanedPagesReadOnly: HeapInvariant = {
  name: "G8 loaned-pages-read-only",
  check(heap: UvmHeap): string | null {
    for (const { pid, va, translation, page } of translations(heap)) {
      if ((translation.prot & PROT_WRITE) !== 0 && page.loanCount > 0) return `pid ${pid} va ${va} maps loaned ${page.describe()} writable`;
    }
    return null;
  },
};

export const zeroPage: HeapInvariant = {
  name: "zero-page",
  check(heap: UvmHeap): string | null {
    const zeroObject = heap.uvm.zeroObject;
    if (zeroObject === null) return "the loan zero object is missing";
    const page = zeroObject.zeroPage;
    if (heap.uvm.zeroPageMade && page === null) return "the zero page was freed";
    if (page === null) return null;
    if (!page.allocated || page.object !== zeroObject) return `zero ${page.describe()} left its object`;
    if ((page.flags & PG_RDONLY) === 0) return `zero ${page.describe()} is not PG_RDONLY`;
    for (const { pid, va, translation, page: mapped } of translations(heap)) {
      if (mapped === page && (translation.prot & PROT_WRITE) !== 0) return `pid ${pid} va ${va} maps the zero page writable`;
    }
    return null;
  },
};
