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
