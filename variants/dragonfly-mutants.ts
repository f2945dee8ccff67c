//! The DragonFly mutants: realistic slips in impl/dragonfly/, each an edit of its sources
//! applied to a copy of impl/ when it is switched on (variants/materialize.ts).
//! `uvmcheck mutants --system dragonfly` hunts every one with the default campaign
//! (docs/mutants.md).

import { edit, type SourceVariant } from "./source-edit.ts";

export const dragonflyMutants = [
  {
    name: "mutant-backing-read-writable",
    kind: "mutant",
    description: "a read fault that finds its page in a backing object keeps WRITE in prot",
    corrupts: "D:704",
    edits: [
      edit(
        "impl/dragonfly/fault/fault-backing-page.ts",
        ["if ((fs.faultType & PROT_WRITE) === 0) {", 'vm.coverage.hit("fault.backingRead");', "fs.prot &= ~PROT_WRITE; // D:704", "return;", "}"],
        "",
      ),
    ],
  },
  {
    name: "mutant-rename-ignores-references",
    kind: "mutant",
    description: "the COW rename does not check the backing object's ref_count",
    corrupts: "D:633",
    edits: [edit("impl/dragonfly/fault/fault-backing-page.ts", 'if (object.refCount !== 1) return "fault.renameRefused.refCount"; // D:633', "")],
  },
  {
    name: "mutant-deallocate-keeps-reference",
    kind: "mutant",
    description: "vm_object_deallocate does not drop the reference before collapsing the shadow",
    corrupts: "vm_object_deallocate (vm_object.c 335-336)",
    edits: [edit("impl/dragonfly/vm-object.ts", "object.refCount--; // vm_object.c 335-336: drop ours before collapsing the shadow", "")],
  },
  {
    name: "mutant-swap-read-error-forgotten",
    kind: "mutant",
    description: "a swap read error does not mark the block bad: the lost data comes back on a later read",
    corrupts: "swap_pager_getpages (swap_pager.c)",
    edits: [edit("impl/dragonfly/swap-pager.ts", "markBad(vm, object, page.pindex, slot);", "")],
  },
  {
    name: "mutant-shadow-drops-offset",
    kind: "mutant",
    description: "vm_object_shadow forgets the source offset: the shadow looks at the wrong pages below",
    corrupts: "vm_object_shadow (vm_object.c): result->backing_object_offset = *offset",
    edits: [edit("impl/dragonfly/vm-object.ts", "result.backingOffset = offset;", "result.backingOffset = 0;")],
  },
  {
    name: "mutant-shadow-reuses-shared",
    kind: "mutant",
    description: "vm_object_shadow's 'not shared' shortcut without its ref_count test: a shared object is written in place",
    corrupts: "vm_object_shadow (vm_object.c): source->ref_count == 1",
    edits: [
      edit(
        "impl/dragonfly/vm-object.ts",
        'const unshared = source !== null && source.refCount === 1 && source.handle === null && source.type !== "vnode";',
        'const unshared = source !== null && source.handle === null && source.type !== "vnode";',
      ),
    ],
  },
  {
    name: "mutant-descend-drops-offset",
    kind: "mutant",
    description: "the chain walk descends without adding the backing offset",
    corrupts: "D:558",
    edits: [edit("impl/dragonfly/fault/fault-chain-walk.ts", "fs.pindex += fs.object.backingOffset; // D:558", "")],
  },
  {
    name: "mutant-cow-copy-zeroes",
    kind: "mutant",
    description: "the copy-on-write copy zeroes the new page instead of copying",
    corrupts: "D:677 vm_page_copy",
    edits: [edit("impl/dragonfly/vm-page.ts", "vm.machine.memory.copy(source.frame, destination.frame);", "vm.machine.memory.zero(destination.frame);")],
  },
  {
    name: "mutant-fork-no-write-protect",
    kind: "mutant",
    description: "vm_map_copy_entry marks both entries needs_copy but leaves the parent's translations writable",
    corrupts: "vm_map_copy_entry (vm_map.c): pmap_protect",
    edits: [edit("impl/dragonfly/vm-fork.ts", "if (!source.needsCopy) parent.pmap.protect(source.start, source.end, source.protection & ~PROT_WRITE);", "")],
  },
  {
    name: "mutant-collapse-overwrites",
    kind: "mutant",
    description: "vm_object_collapse moves a backing page up even where the object has its own",
    corrupts: "vm_object_backing_scan (vm_object.c): the shadowed-page test",
    edits: [edit("impl/dragonfly/vm-object-collapse.ts", "const shadowed = holds(object, pindex);", "const shadowed = false;")],
  },
  {
    name: "mutant-bypass-unshadowed",
    kind: "mutant",
    description: "vm_object_collapse bypasses a backing object without checking that every visible page is shadowed",
    corrupts: "vm_object_collapse (vm_object.c): OBSC_TEST_ALL_SHADOWED",
    edits: [edit("impl/dragonfly/vm-object-collapse.ts", "if (!allShadowed(object, backing)) return;", "")],
  },
  {
    name: "mutant-pageout-ignores-modified",
    kind: "mutant",
    description: "the page daemon frees a page without folding in the pmap's modified bit",
    corrupts: "vm_pageout_scan (vm_pageout.c): vm_page_test_dirty",
    edits: [edit("impl/dragonfly/vm-pageout.ts", "vmPageTestDirty(vm, page);", "")],
  },
  {
    name: "mutant-zero-fill-skipped",
    kind: "mutant",
    description: "the zero fill at the bottom of the chain leaves the frame as it was",
    corrupts: "D:577-579 vm_page_zero_fill",
    edits: [edit("impl/dragonfly/fault/fault-chain-walk.ts", "vm.machine.memory.zero(page.frame); // D:577-583", "")],
  },
  {
    name: "mutant-unwire-keeps-page-wired",
    kind: "mutant",
    description: "vm_fault_unwire unwires the translation but not the page",
    corrupts: "D:996-997 vm_page_unwire",
    edits: [edit("impl/dragonfly/vm-fault-wire.ts", "vmPageUnwire(vm.pageOfFrame(translation.frame)); // D:997", "")],
  },
  {
    name: "mutant-prefault-entry-protection",
    kind: "mutant",
    description: "pmap_prefault enters nearby pages with the entry's protection instead of read-only",
    corrupts: "pmap_prefault (pmap.c): VM_PROT_READ",
    edits: [
      edit(
        "impl/dragonfly/fault/fault-install.ts",
        "fs.map.pmap.enter(vpn(near), page.frame, PROT_READ, { wired: false, canFail: false, access: 0 });",
        "fs.map.pmap.enter(vpn(near), page.frame, entry.protection, { wired: false, canFail: false, access: 0 });",
      ),
    ],
  },
  {
    name: "mutant-fork-share-no-reference",
    kind: "mutant",
    description: "fork with inherit=share hands the child the object without a reference",
    corrupts: "vmspace_fork (vm_map.c): vm_object_reference",
    edits: [edit("impl/dragonfly/vm-fork.ts", "if (entry.object !== null) vmObjectReference(entry.object); // vmspace_fork: the child's reference", "")],
  },
  {
    name: "mutant-cache-behind-skips-test-dirty",
    kind: "mutant",
    description: "cache-behind caches a page without folding in the pmap's modified bit",
    corrupts: "D:436-437 vm_page_test_dirty",
    edits: [edit("impl/dragonfly/fault/fault-read-ahead.ts", "if (!page.dirty) vmPageTestDirty(vm, page);", "")],
  },
  {
    name: "mutant-revalidate-ignores-object",
    kind: "mutant",
    description:
      "the re-validation after the pager slept does not compare the object and index the re-lookup found: a fault goes on with the object the entry no longer maps",
    corrupts: "D:766-771",
    edits: [
      edit(
        "impl/dragonfly/fault/fault-revalidate.ts",
        "if (retry.object !== fs.firstObject || retry.pindex !== fs.firstPindex) {",
        "if (retry.pindex !== fs.firstPindex) {",
      ),
    ],
  },
  {
    name: "mutant-revalidate-failure-keeps-busy",
    kind: "mutant",
    description: "a re-validation that fails lets go of the map and the objects but not of its page: it stays BUSY for ever",
    corrupts: "D:759-763 release_page",
    edits: [
      edit(
        "impl/dragonfly/fault/fault-revalidate.ts",
        ['vm.coverage.hit("fault.revalidateFailure");', "releasePage(fs); // D:759-763"],
        'vm.coverage.hit("fault.revalidateFailure");',
      ),
    ],
  },
  {
    name: "mutant-file-read-ignores-busy",
    kind: "mutant",
    description: "read(2) and write(2) use a file page another thread has BUSY, being read in: they see or overwrite what is not there yet",
    corrupts: "vm_page_sleep_busy in the buffer cache's page lookup (file-io.ts)",
    edits: [edit("impl/dragonfly/file-io.ts", "if (resident?.busy === true) {", "if (resident?.busy === true && resident.valid) {")],
  },
  {
    name: "mutant-revalidate-skipped",
    kind: "mutant",
    description: "the fault compares the map's timestamp with >=, so it never re-validates the map after the pager slept, however the timestamp moved",
    corrupts: "D:713-714",
    edits: [
      edit(
        "impl/dragonfly/fault/fault-revalidate.ts",
        "if (fs.lookupStillValid || fs.map.timestamp === fs.mapGeneration) return null; // D:713-714",
        "if (fs.lookupStillValid || fs.map.timestamp >= fs.mapGeneration) return null; // D:713-714",
      ),
    ],
  },
] as const satisfies readonly SourceVariant[];
