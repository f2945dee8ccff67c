//! Seed bugs of the DragonFly system: the documented differences from the seed (bugs
//! F35-F37, docs/seeds.md) and the bugs uvmcheck found in it. Our implementation fixes each;
//! a seed-bug variant puts the seed's behaviour back for a whole run
//! (`uvmcheck run --system dragonfly:seed-F35-copy-clean`). It stays in the faithful code, at
//! the one place the seed differs, as `vm.seedBehaviour(name)`, so the seed, the fix and the
//! bug read side by side.
//!
//! Canaries and mutants are not here: they are edits applied to a copy of impl/
//! (variants/dragonfly-canaries.ts, variants/dragonfly-mutants.ts).

import type { VariantInfo } from "../../vocabulary/system-under-test.ts";

export const dragonflySeedBugCatalog = [
  {
    name: "seed-F35-copy-clean",
    kind: "seed-bug",
    description: "vm_page_copy leaves the copy clean (FreeBSD-4 vm_page.c): the page daemon frees a private copy that exists nowhere else",
    corrupts: "D:677, D:1086 vm_page_copy (bug F35)",
  },
  {
    name: "seed-F36-frame-zero-unmapped",
    kind: "seed-bug",
    description: "vm_fault_unwire treats physical address 0 as unmapped: the page in frame 0 stays wired",
    corrupts: "D:993-995 vm_fault_unwire (bug F36)",
  },
  {
    name: "seed-F37-max-protection",
    kind: "seed-bug",
    description: "vm_fault_copy_entry maps the child's copies with max_protection instead of protection",
    corrupts: "D:1054, D:1093 vm_fault_copy_entry (bug F37)",
  },
  {
    name: "seed-F37-source-object-only",
    kind: "seed-bug",
    description: "vm_fault_copy_entry looks each page up in the source's first object only and panics when a wired page lives in a backing object",
    corrupts: "D:1081-1084 vm_fault_copy_entry (bug F37)",
  },
  {
    name: "seed-F26-stale-entry",
    kind: "seed-bug",
    description:
      "a fault re-validated after the pager slept goes on with the entry it first looked up, maybe unlinked: pmap_prefault enters pages by its old bounds",
    corrupts: "D:713-781, D:845-847 (fs.entry kept across the re-lookup; bug F26)",
  },
  {
    name: "seed-revalidate-drops-override",
    kind: "seed-bug",
    description:
      "found by uvmcheck: the re-validation after the pager slept looks up without VM_PROT_OVERRIDE_WRITE: an mlock of a write-only private mapping fails with EACCES when the map moved meanwhile",
    corrupts: "D:268-269, D:749-751 (fault_type = prot, then vm_map_lookup(fault_type & ~VM_PROT_WRITE))",
  },
  {
    name: "seed-copy-leaves-sharers-mapped",
    kind: "seed-bug",
    description:
      "found by uvmcheck: a copy-on-write copy into a first object other entries share leaves their translations of the old backing page in place: they read stale data",
    corrupts: "D:673-685 (vm_page_copy without removing the other mappings of fs.m)",
  },
  {
    name: "seed-copy-entry-breaks-sharing",
    kind: "seed-bug",
    description: "vm_map_copy_entry marks the parent's entry needs_copy even when other entries write into its object: the parent stops sharing",
    corrupts: "vm_map_copy_entry (vm_map.c): src_entry->eflags |= MAP_ENTRY_COW|MAP_ENTRY_NEEDS_COPY",
  },
] as const satisfies readonly VariantInfo[];

export type DragonflySeedBugName = (typeof dragonflySeedBugCatalog)[number]["name"];

export function isDragonflySeedBug(name: string): name is DragonflySeedBugName {
  return dragonflySeedBugCatalog.some((variant) => variant.name === name);
}
