//! The DragonFly canaries: one planted bug per heap walk (and the leak check after the heal
//! phase), each an edit of impl/dragonfly/'s sources applied to a copy of impl/ when it is
//! switched on (variants/materialize.ts). test/dragonfly-variants.test.ts shows each caught by
//! the check it was planted for.

import { edit, type SourceVariant } from "./source-edit.ts";

export const dragonflyCanaries = [
  {
    name: "canary-needs-copy-writable",
    kind: "canary",
    description: "vm_map_lookup keeps WRITE in prot on a read fault through a needs_copy entry, so the shared page is mapped writable",
    corrupts: "vm_map_lookup (vm_map.c): prot &= ~VM_PROT_WRITE",
    edits: [edit("impl/dragonfly/vm-map-lookup.ts", "} else prot &= ~PROT_WRITE;", "}")],
  },
  {
    name: "canary-deallocate-kills-backing",
    kind: "canary",
    description: "vm_object_deallocate terminates an object at two references and one shadow, though the shadow still backs onto it",
    corrupts: "vm_object_deallocate (vm_object.c 333-370): ref_count 2, shadow_count 1",
    edits: [
      edit("impl/dragonfly/vm-object.ts", "object.refCount--; // vm_object.c 335-336: drop ours before collapsing the shadow", [
        "object.refCount--; // vm_object.c 335-336: drop ours before collapsing the shadow",
        "if (object.refCount === 1) {",
        "  object.refCount = 0;",
        "  vmObjectTerminate(vm, object);",
        "  return;",
        "}",
      ]),
    ],
  },
  {
    name: "canary-clip-no-reference",
    kind: "canary",
    description: "vm_map_clip_start/end splits an entry without a reference on the object for the new half",
    corrupts: "vm_map_clip_end (vm_map.c): vm_object_reference",
    edits: [edit("impl/dragonfly/vm-map.ts", "if (entry.object !== null) vmObjectReference(entry.object); // vm_map_clip_end: the new half's reference", "")],
  },
  {
    name: "canary-descend-pip-leak",
    kind: "canary",
    description: "the chain walk leaves an object without waking its paging-in-progress count",
    corrupts: "D:586-588 vm_object_pip_wakeup",
    edits: [edit("impl/dragonfly/fault/fault-chain-walk.ts", "if (fs.object !== fs.firstObject) pipWakeup(fs.object); // D:586-588", "")],
  },
  {
    name: "canary-collapse-leaks-page",
    kind: "canary",
    description: "vm_object_collapse forgets to free the backing object's shadowed pages",
    corrupts: "vm_object_backing_scan (vm_object.c): vm_page_free of a shadowed page",
    edits: [edit("impl/dragonfly/vm-object-collapse.ts", "vmPageFree(vm, page);", "// the shadowed page is forgotten, not freed")],
  },
  {
    name: "canary-swap-old-block-kept",
    kind: "canary",
    description: "the swap pager forgets the page's old block instead of freeing it when it writes a new one",
    corrupts: "swap_pager_putpages (swap_pager.c): swp_pager_meta_build frees the old block",
    edits: [edit("impl/dragonfly/swap-pager.ts", "swapPagerUnswapped(vm, object, page.pindex); // swp_pager_meta_build frees the old block", "object.swapBlocks.delete(page.pindex);")],
  },
  {
    name: "canary-wired-page-queued",
    kind: "canary",
    description: "vm_page_activate puts a wired page on the active queue",
    corrupts: "vm_page_activate (vm_page.c): the wire_count test",
    edits: [
      edit(
        "impl/dragonfly/vm-page.ts",
        ["export function vmPageActivate(page: VmPage): void {", 'if (page.wireCount === 0) page.queue = "active";'],
        ["export function vmPageActivate(page: VmPage): void {", '  page.queue = "active";'],
      ),
    ],
  },
  {
    name: "canary-wired-keeps-swap",
    kind: "canary",
    description: "a wiring fault wires a page swapped in without releasing its swap block",
    corrupts: "D:859-861 (our vm_pager_page_unswapped at wiring)",
    edits: [edit("impl/dragonfly/fault/fault-install.ts", ["if (page.object!.swapBlocks.has(page.pindex)) {", "page.dirty = true;", "swapPagerUnswapped(vm, page.object!, page.pindex);", "}"], "")],
  },
  {
    name: "canary-shared-anon-copy-tracks",
    kind: "canary",
    description: "a copying fork of shared anonymous memory makes only the child's entry copy-on-write over the object, so the child keeps seeing the parent's later writes",
    corrupts: "vm_map_copy_entry (vm_map.c): our interposition beneath shared anonymous memory",
    edits: [edit("impl/dragonfly/vm-fork.ts", "if (!source.cow && !breaksSharing && (!object.sharedMapping || object.sysvShm)) {", "if (!source.cow && !breaksSharing) {")],
  },
  {
    name: "canary-delete-keeps-wiring",
    kind: "canary",
    description: "vm_map_delete of a wired file mapping does not unwire it: the file's page stays wired after everyone exits",
    corrupts: "vm_map_delete (vm_map.c): vm_map_entry_unwire",
    edits: [edit("impl/dragonfly/map-operations.ts", "if (entry.wiredCount > 0) {", "if (entry.wiredCount > 0 && entry.object?.type !== \"vnode\") {")],
  },
  {
    name: "canary-shm-unattached-pages-freed",
    kind: "canary",
    description: "vm_object_deallocate takes the segment table's reference for none: once a live segment's last attach goes, its pages with no swap copy are freed, and it reads zeros at its next attach",
    corrupts: "vm_object_deallocate (vm_object.c): pages are freed only by vm_object_terminate",
    edits: [
      edit("impl/dragonfly/vm-object.ts", ["if (object.refCount === 2 && object.shadowCount === 0) {", "object.refCount--;", "return;"], [
        "if (object.refCount === 2 && object.shadowCount === 0) {",
        "  object.refCount--;",
        "  if (object.sysvShm && [...vm.shmSegments.values()].includes(object)) {",
        "    for (const page of [...object.pages.values()]) if (!page.busy && page.wireCount === 0 && !object.swapBlocks.has(page.pindex)) vmPageFree(vm, page);",
        "  }",
        "  return;",
      ]),
    ],
  },
] as const satisfies readonly SourceVariant[];
