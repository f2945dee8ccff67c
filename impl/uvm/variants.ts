//! Planted bugs: canaries, mutants and seed-bug variants, each off by default.
//!
//! A variant is switched on for a whole run (`uvmcheck run --variant NAME`); the code tests
//! `uvm.planted(name)` at the one place the bug lives. Every variant says what it corrupts,
//! citing the seed lines (F: uvm_fault.c, L: uvm_loan.c) or the simulator function, so the
//! seed, the fix and the bug can be read side by side.
//!
//!   canary    one per invariant or property family, proving that check can fail
//!   mutant    a realistic refactoring slip (the mutation report)
//!   seed-bug  restores a bug of the seeds that our implementation fixes (catalog F-list)

import type { VariantInfo } from "../../vocabulary/system-under-test.ts";

export const variantCatalog = [
  {
    name: "canary-1A-write-protect",
    kind: "canary",
    description: "case 1A maps an anon with an_ref > 1 writable, so a write lands in a page another process shares",
    corrupts: "F:1434-1435 uvm_fault_upper_direct",
  },
  {
    name: "canary-neighbor-write-protect",
    kind: "canary",
    description: "upper neighbours are entered writable even when their anon is shared",
    corrupts: "F:1146-1147 uvm_fault_upper_lookup (readonly = an_ref > 1)",
  },
  {
    name: "canary-cow-object-writable",
    kind: "canary",
    description: "a read fault through a copy-on-write entry maps the object page writable",
    corrupts: "F:1949-1951 uvm_fault_lower_direct",
  },
  {
    name: "canary-needs-copy-writable",
    kind: "canary",
    description: "a read fault on a needs_copy entry keeps WRITE in enter_prot",
    corrupts: "F:956 uvm_fault_check",
  },
  {
    name: "canary-shared-amap-flush",
    kind: "canary",
    description: "a promotion in a shared amap leaves other sharers' mappings of the object page in place",
    corrupts: "F:2072-2077 uvm_fault_lower_promote",
  },
  {
    name: "canary-amap-copy-reference",
    kind: "canary",
    description: "amap_copy shares the anons without taking a reference on them",
    corrupts: "amap_copy (uvm_amap.c): an_ref++ per copied slot",
  },
  {
    name: "canary-fork-share-amap-reference",
    kind: "canary",
    description: "fork with inherit=share hands the child the amap without amap_ref",
    corrupts: "uvm_mapent_forkshare (uvm_map.c): amap_ref",
  },
  {
    name: "canary-anon-page-backlink",
    kind: "canary",
    description: "uvm_pagealloc for an anon forgets pg->uanon",
    corrupts: "uvm_pagealloc (uvm_page.c): pg->uanon = anon",
  },
  {
    name: "canary-neighbor-left-busy",
    kind: "canary",
    description: "a lower neighbour page is mapped but never unbusied",
    corrupts: "F:1776 uvm_fault_lower_neighbor",
  },
  {
    name: "canary-promote-fake",
    kind: "canary",
    description: "case 1B maps the new page without clearing PG_FAKE",
    corrupts: "F:1403 uvm_fault_upper_promote",
  },
  {
    name: "canary-anon-free-leak",
    kind: "canary",
    description: "uvm_anfree forgets to free the anon's page, leaking its frame",
    corrupts: "uvm_anon_dispose (uvm_anon.c): uvm_pagefree",
  },
  {
    name: "canary-upper-lookup-shadow",
    kind: "canary",
    description: "the upper lookup lets the lower layer map object pages that an anon shadows",
    corrupts: "F:1133 uvm_fault_upper_lookup (pages[lcv] = PGO_DONTCARE)",
  },
  {
    name: "canary-fork-copy-lock",
    kind: "canary",
    description: "fork's amap copy gives the child's amap a lock of its own although it shares anons",
    corrupts: "amap_copy (uvm_amap.c): share the source amap's lock when anons were copied",
  },
  {
    name: "canary-wired-page-queued",
    kind: "canary",
    description: "uvm_pagewire leaves the page on its paging queue",
    corrupts: "uvm_pagewire (uvm_page.c): dequeue on the first wiring",
  },
  {
    name: "canary-vnode-write-clean",
    kind: "canary",
    description: "pgo_get(PGO_SYNCIO) for a write leaves the vnode marked clean",
    corrupts: "genfs_getpages: genfs_markdirty on write access (catalog F12)",
  },
  {
    name: "canary-zero-fill-garbage",
    kind: "canary",
    description: "a zero-fill promotion maps a page that was never zeroed",
    corrupts: "F:611-612 uvmfault_promote (UVM_PGA_ZERO)",
  },
  {
    name: "canary-cow-copy-skip",
    kind: "canary",
    description: "a copy-on-write promotion does not copy the old page into the new one",
    corrupts: "F:650-652 uvmfault_promote (uvm_pagecopy)",
  },
  {
    name: "canary-loanpage-count",
    kind: "canary",
    description: "uvm_loanpage lends an object page to the kernel without counting the loan",
    corrupts: "L:481 uvm_loanpage (pg->loan_count++)",
  },
  {
    name: "canary-upper-loan-writable",
    kind: "canary",
    description: "a read fault on a loaned anon page maps it without capping the protection",
    corrupts: "F:1332 uvm_fault_upper_loan",
  },
  {
    name: "canary-zero-page-writable",
    kind: "canary",
    description: "the loan zero page is made without PG_RDONLY",
    corrupts: "L:876 uvm_loanzero",
  },
  {
    name: "canary-ubc-skip-loanbreak",
    kind: "canary",
    description: "write(2) to a file page writes into the page the kernel holds on loan",
    corrupts: "ubc_fault (uvm_bio.c): uvm_loanbreak before a write",
  },
  {
    name: "canary-swap-slot-leak",
    kind: "canary",
    description: "freeing an anon forgets its swap slot",
    corrupts: "uvm_anon_dispose (uvm_anon.c): uvm_anon_dropswap",
  },
  {
    name: "canary-wired-keeps-swap",
    kind: "canary",
    description: "a wire fault keeps the anon's swap copy",
    corrupts: "F:1537-1539 uvm_fault_upper_done (uvm_anon_dropswap)",
  },
  {
    name: "canary-pagein-keeps-clean",
    kind: "canary",
    description: "after a swap-in the anon gives its swap slot back but the page stays CLEAN, as if its copy were still on swap",
    corrupts: "uvm_anon_pagein (uvm_anon.c): free the slot and clear PG_CLEAN together",
  },
  {
    name: "canary-exit-aobj-leak",
    kind: "canary",
    description: "unmapping a shared anonymous mapping never drops the reference to its object",
    corrupts: "uvm_unmap_detach (uvm_map.c): pgo_detach",
  },
  {
    name: "canary-mlock-limit-enomem",
    kind: "canary",
    description: "mlock's limit check counts each page as a whole limit and refuses ranges of three pages or more with ENOMEM",
    corrupts: "sys_mlock (uvm_mmap.c): the RLIMIT_MEMLOCK check",
  },
  {
    name: "seed-F1",
    kind: "seed-bug",
    description: "a write fault goes on after a failed loan break and maps the still-loaned page writable (loan isolation broken)",
    corrupts: "F:1961-1963 uvm_fault_lower_direct ignores uvm_fault_lower_direct_loan's result (catalog F1)",
  },
  {
    name: "seed-F4",
    kind: "seed-bug",
    description: "on a released page uvm_loanuobjpages unbusies the wrong pages of its chunk and leaves others BUSY forever",
    corrupts: "L:572-587 uvm_loanuobjpages (catalog F4)",
  },
  {
    name: "seed-F5",
    kind: "seed-bug",
    description: "after object I/O a loan re-checks the amap slot of the range's first page instead of the page lent (stale loan)",
    corrupts: "L:704-705 uvm_loanuobj (catalog F5)",
  },
  {
    name: "seed-F6",
    kind: "seed-bug",
    description: "refusing to lend a wired anon page to an anon unlocks the entry's object, which nobody locked",
    corrupts: "L:367-369 uvm_loananon (catalog F6)",
  },
  {
    name: "seed-F7-F8",
    kind: "seed-bug",
    description: "a read-only wire fault wires a loaned page (and clears PG_CLEAN on an object-owned page)",
    corrupts: "F:1520-1530, F:2231 uvm_fault_upper_done / uvm_fault_lower_done (catalog F7, F8)",
  },
  {
    name: "seed-F17",
    kind: "seed-bug",
    description: "unwiring skips pages whose translation mprotect(PROT_NONE) removed, so their wiring leaks forever",
    corrupts: "F:2344-2346 uvm_fault_unwire_locked (catalog F17)",
  },
  {
    name: "seed-loanbreak-clean",
    kind: "seed-bug",
    description: "a loan break leaves the orphaned page CLEAN; once adopted, the page daemon frees an anon's only copy",
    corrupts: "L:1138-1162 uvm_loanbreak (found by uvmcheck; not in the catalog's F-list)",
  },
  {
    name: "seed-F16",
    kind: "seed-bug",
    description: "waits for memory with no uvm_reclaimable escape after a failed loan break, which can block forever",
    corrupts: "F:1352-1354, F:2007-2013 (catalog F16)",
  },
] as const satisfies readonly VariantInfo[];

export type VariantName = (typeof variantCatalog)[number]["name"];

export function isVariantName(name: string): name is VariantName {
  return variantCatalog.some((variant) => variant.name === name);
}
