//! Seed bugs: the documented differences from the seeds. Our implementation fixes each bug
//! of the seeds it knows of (the bug list F1-F39 of docs/seeds.md); a seed-bug variant puts the
//! seed's behaviour back, for a whole run (`uvmcheck run --variant seed-F16`). It stays in
//! the faithful code, at the one place the seed differs, as `uvm.seedBehaviour(name)`, so the
//! seed, the fix and the bug read side by side.
//!
//! Canaries and mutants are not here: they are edits applied to a copy of impl/
//! (variants/uvm-canaries.ts, variants/uvm-mutants.ts).

import type { VariantInfo } from "../../vocabulary/system-under-test.ts";

export const seedBugCatalog = [
  {
    name: "seed-F1",
    kind: "seed-bug",
    description: "a write fault goes on after a failed loan break and maps the still-loaned page writable (loan isolation broken)",
    corrupts: "F:1961-1963 uvm_fault_lower_direct ignores uvm_fault_lower_direct_loan's result (bug F1)",
  },
  {
    name: "seed-F4",
    kind: "seed-bug",
    description: "on a released page uvm_loanuobjpages unbusies the wrong pages of its chunk and leaves others BUSY forever",
    corrupts: "L:572-587 uvm_loanuobjpages (bug F4)",
  },
  {
    name: "seed-F5",
    kind: "seed-bug",
    description: "after object I/O a loan re-checks the amap slot of the range's first page instead of the page lent (stale loan)",
    corrupts: "L:704-705 uvm_loanuobj (bug F5)",
  },
  {
    name: "seed-F6",
    kind: "seed-bug",
    description: "refusing to lend a wired anon page to an anon unlocks the entry's object, which nobody locked",
    corrupts: "L:367-369 uvm_loananon (bug F6)",
  },
  {
    name: "seed-F7-F8",
    kind: "seed-bug",
    description: "a read-only wire fault wires a loaned page (and clears PG_CLEAN on an object-owned page)",
    corrupts: "F:1520-1530, F:2231 uvm_fault_upper_done / uvm_fault_lower_done (bug F7, F8)",
  },
  {
    name: "seed-F17",
    kind: "seed-bug",
    description: "unwiring skips pages whose translation mprotect(PROT_NONE) removed, so their wiring leaks forever",
    corrupts: "F:2344-2346 uvm_fault_unwire_locked (bug F17)",
  },
  {
    name: "seed-loanbreak-clean",
    kind: "seed-bug",
    description: "a loan break leaves the orphaned page CLEAN; once adopted, the page daemon frees an anon's only copy",
    corrupts: "L:1138-1162 uvm_loanbreak (found by uvmcheck; not in the catalog's F-list)",
  },
  {
    name: "seed-aobj-get-unreferenced",
    kind: "seed-bug",
    description: "uao_get sleeps holding no reference on the aobj, so an munmap meanwhile frees it under the sleeper, which then adds a page to the dead object",
    corrupts: "uao_get (uvm_aobj.c: uvm_wait and the busy-page wait; found by uvmcheck with threads)",
  },
  {
    name: "seed-stale-translation",
    kind: "seed-bug",
    description: "a fault whose pmap_enter fails after a promotion sleeps leaving the old page mapped while the amap slot holds the new anon (G11 broken while it sleeps)",
    corrupts: "F:1471-1489, F:2155-2195 uvm_fault_upper_enter / uvm_fault_lower_enter (found by uvmcheck with threads; not in the catalog's F-list)",
  },
  {
    name: "seed-loan-revives-dying-anon",
    kind: "seed-bug",
    description: "an O->A or zero-page loan lends again the anon that already borrows the page while that anon is being freed (its disposal asleep in uvm_anon_lockloanpg with the anon unlocked): the freed anon comes back with a reference",
    corrupts: "L:762-773, L:899-910 uvm_loanuobj / uvm_loanzero (pg->uanon reused; found by uvmcheck with threads; not in the catalog's F-list)",
  },
  {
    name: "seed-F13",
    kind: "seed-bug",
    description: "a refault reuses the access type a wire fault or a wired entry rewrote (F:923): after mprotect shrinks the protection under a sleeping fault, a read fails with EACCES",
    corrupts: "F:919-925 uvm_fault_check (bug F13, sticky access_type and wire_mapping)",
  },
  {
    name: "seed-F15",
    kind: "seed-bug",
    description: "after uvm_anon_lockloanpg let go of the amap lock for a tick, anonget goes on with an anon its amap slot no longer holds (a write then lands in a page another holder kept)",
    corrupts: "F:305-306 uvmfault_anonget (bug F15)",
  },
  {
    name: "seed-F16",
    kind: "seed-bug",
    description: "waits for memory with no uvm_reclaimable escape after a failed loan break, which can block forever",
    corrupts: "F:1352-1354, F:2007-2013 (bug F16)",
  },
] as const satisfies readonly VariantInfo[];

export type SeedBugName = (typeof seedBugCatalog)[number]["name"];

export function isSeedBugName(name: string): name is SeedBugName {
  return seedBugCatalog.some((variant) => variant.name === name);
}
