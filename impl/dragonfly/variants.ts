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
    name: "canary-deallocate-kills-backing",
    kind: "canary",
    description: "vm_object_deallocate terminates an object at two references and one shadow, though the shadow still backs onto it",
    corrupts: "vm_object_deallocate (vm_object.c 333-370): ref_count 2, shadow_count 1",
  },
  {
    name: "canary-clip-no-reference",
    kind: "canary",
    description: "vm_map_clip_start/end splits an entry without a reference on the object for the new half",
    corrupts: "vm_map_clip_end (vm_map.c): vm_object_reference",
  },
  {
    name: "canary-descend-pip-leak",
    kind: "canary",
    description: "the chain walk leaves an object without waking its paging-in-progress count",
    corrupts: "D:586-588 vm_object_pip_wakeup",
  },
  {
    name: "canary-collapse-leaks-page",
    kind: "canary",
    description: "vm_object_collapse forgets to free the backing object's shadowed pages",
    corrupts: "vm_object_backing_scan (vm_object.c): vm_page_free of a shadowed page",
  },
  {
    name: "canary-swap-old-block-kept",
    kind: "canary",
    description: "the swap pager forgets the page's old block instead of freeing it when it writes a new one",
    corrupts: "swap_pager_putpages (swap_pager.c): swp_pager_meta_build frees the old block",
  },
  {
    name: "canary-wired-page-queued",
    kind: "canary",
    description: "vm_page_activate puts a wired page on the active queue",
    corrupts: "vm_page_activate (vm_page.c): the wire_count test",
  },
  {
    name: "canary-wired-keeps-swap",
    kind: "canary",
    description: "a wiring fault wires a page swapped in without releasing its swap block",
    corrupts: "D:859-861 (our vm_pager_page_unswapped at wiring)",
  },
  {
    name: "canary-delete-keeps-wiring",
    kind: "canary",
    description: "vm_map_delete of a wired file mapping does not unwire it: the file's page stays wired after everyone exits",
    corrupts: "vm_map_delete (vm_map.c): vm_map_entry_unwire",
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
    name: "seed-F37-source-object-only",
    kind: "seed-bug",
    description: "vm_fault_copy_entry looks each page up in the source's first object only and panics when a wired page lives in a backing object",
    corrupts: "D:1081-1084 vm_fault_copy_entry (catalog F37)",
  },
  {
    name: "seed-copy-leaves-sharers-mapped",
    kind: "seed-bug",
    description: "found by uvmcheck: a copy-on-write copy into a first object other entries share leaves their translations of the old backing page in place: they read stale data",
    corrupts: "D:673-685 (vm_page_copy without removing the other mappings of fs.m)",
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
    name: "mutant-swap-read-error-forgotten",
    kind: "mutant",
    description: "a swap read error does not mark the block bad: the lost data comes back on a later read",
    corrupts: "swap_pager_getpages (swap_pager.c)",
  },
  {
    name: "mutant-shadow-drops-offset",
    kind: "mutant",
    description: "vm_object_shadow forgets the source offset: the shadow looks at the wrong pages below",
    corrupts: "vm_object_shadow (vm_object.c): result->backing_object_offset = *offset",
  },
  {
    name: "mutant-shadow-reuses-shared",
    kind: "mutant",
    description: "vm_object_shadow's 'not shared' shortcut without its ref_count test: a shared object is written in place",
    corrupts: "vm_object_shadow (vm_object.c): source->ref_count == 1",
  },
  {
    name: "mutant-descend-drops-offset",
    kind: "mutant",
    description: "the chain walk descends without adding the backing offset",
    corrupts: "D:558",
  },
  {
    name: "mutant-cow-copy-zeroes",
    kind: "mutant",
    description: "the copy-on-write copy zeroes the new page instead of copying",
    corrupts: "D:677 vm_page_copy",
  },
  {
    name: "mutant-fork-no-write-protect",
    kind: "mutant",
    description: "vm_map_copy_entry marks both entries needs_copy but leaves the parent's translations writable",
    corrupts: "vm_map_copy_entry (vm_map.c): pmap_protect",
  },
  {
    name: "mutant-collapse-overwrites",
    kind: "mutant",
    description: "vm_object_collapse moves a backing page up even where the object has its own",
    corrupts: "vm_object_backing_scan (vm_object.c): the shadowed-page test",
  },
  {
    name: "mutant-bypass-unshadowed",
    kind: "mutant",
    description: "vm_object_collapse bypasses a backing object without checking that every visible page is shadowed",
    corrupts: "vm_object_collapse (vm_object.c): OBSC_TEST_ALL_SHADOWED",
  },
  {
    name: "mutant-pageout-ignores-modified",
    kind: "mutant",
    description: "the page daemon frees a page without folding in the pmap's modified bit",
    corrupts: "vm_pageout_scan (vm_pageout.c): vm_page_test_dirty",
  },
  {
    name: "mutant-zero-fill-skipped",
    kind: "mutant",
    description: "the zero fill at the bottom of the chain leaves the frame as it was",
    corrupts: "D:577-579 vm_page_zero_fill",
  },
  {
    name: "mutant-unwire-keeps-page-wired",
    kind: "mutant",
    description: "vm_fault_unwire unwires the translation but not the page",
    corrupts: "D:996-997 vm_page_unwire",
  },
  {
    name: "mutant-prefault-entry-protection",
    kind: "mutant",
    description: "pmap_prefault enters nearby pages with the entry's protection instead of read-only",
    corrupts: "pmap_prefault (pmap.c): VM_PROT_READ",
  },
  {
    name: "mutant-fork-share-no-reference",
    kind: "mutant",
    description: "fork with inherit=share hands the child the object without a reference",
    corrupts: "vmspace_fork (vm_map.c): vm_object_reference",
  },
  {
    name: "mutant-cache-behind-skips-test-dirty",
    kind: "mutant",
    description: "cache-behind caches a page without folding in the pmap's modified bit",
    corrupts: "D:436-437 vm_page_test_dirty",
  },
] as const satisfies readonly VariantInfo[];

export type DragonflyVariantName = (typeof dragonflyVariantCatalog)[number]["name"];

export function isDragonflyVariant(name: string): name is DragonflyVariantName {
  return dragonflyVariantCatalog.some((variant) => variant.name === name);
}
