//! Planted bugs of the DragonFly system: canaries, mutants and seed-bug variants, each off by
//! default and tested at the one place it lives (`vm.planted(name)`).

import type { VariantInfo } from "../../vocabulary/system-under-test.ts";

export const dragonflyVariantCatalog = [
  {
    name: "canary-needs-copy-writable",
    kind: "canary",
    description: "vm_map_lookup keeps WRITE in prot on a read fault through a needs_copy entry, so the shared page is mapped writable",
    corrupts: "vm_map_lookup (vm_map.c): prot &= ~VM_PROT_WRITE",
  },
  {
    name: "seed-F35-copy-clean",
    kind: "seed-bug",
    description: "vm_page_copy leaves the copy clean (FreeBSD-4 vm_page.c): the page daemon frees a private copy that exists nowhere else",
    corrupts: "D:677, D:1086 vm_page_copy (catalog F35)",
  },
  {
    name: "seed-F36-frame-zero-unmapped",
    kind: "seed-bug",
    description: "vm_fault_unwire treats physical address 0 as unmapped: the page in frame 0 stays wired",
    corrupts: "D:993-995 vm_fault_unwire (catalog F36)",
  },
  {
    name: "seed-F37-max-protection",
    kind: "seed-bug",
    description: "vm_fault_copy_entry maps the child's copies with max_protection instead of protection",
    corrupts: "D:1054, D:1093 vm_fault_copy_entry (catalog F37)",
  },
  {
    name: "seed-copy-entry-breaks-sharing",
    kind: "seed-bug",
    description: "vm_map_copy_entry marks the parent's entry needs_copy even when other entries write into its object: the parent stops sharing",
    corrupts: "vm_map_copy_entry (vm_map.c): src_entry->eflags |= MAP_ENTRY_COW|MAP_ENTRY_NEEDS_COPY",
  },
  {
    name: "mutant-backing-read-writable",
    kind: "mutant",
    description: "a read fault that finds its page in a backing object keeps WRITE in prot",
    corrupts: "D:704",
  },
  {
    name: "mutant-rename-ignores-references",
    kind: "mutant",
    description: "the COW rename does not check the backing object's ref_count",
    corrupts: "D:633",
  },
  {
    name: "mutant-deallocate-keeps-reference",
    kind: "mutant",
    description: "vm_object_deallocate does not drop the reference before collapsing the shadow",
    corrupts: "vm_object_deallocate (vm_object.c 335-336)",
  },
  {
    name: "mutant-wired-page-queued",
    kind: "mutant",
    description: "vm_page_wire leaves the page on its paging queue",
    corrupts: "vm_page_wire (vm_page.c)",
  },
  {
    name: "mutant-swap-read-error-forgotten",
    kind: "mutant",
    description: "a swap read error does not mark the block bad: the lost data comes back on a later read",
    corrupts: "swap_pager_getpages (swap_pager.c)",
  },
] as const satisfies readonly VariantInfo[];

export type DragonflyVariantName = (typeof dragonflyVariantCatalog)[number]["name"];

export function isDragonflyVariant(name: string): name is DragonflyVariantName {
  return dragonflyVariantCatalog.some((variant) => variant.name === name);
}
