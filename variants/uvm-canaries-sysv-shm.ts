//! The UVM canaries of SysV shared memory (impl/uvm/sysv-shm.ts, impl/uvm/aobj.ts): a
//! segment's aobj, its references and its pages, as uvm-canaries.ts plants the others.

import { edit, type SourceVariant } from "./source-edit.ts";

export const uvmSysvShmCanaries = [
  {
    name: "canary-exit-aobj-leak",
    kind: "canary",
    description: "unmapping a SysV shm attachment never drops the reference to its aobj",
    corrupts: "uvm_unmap_detach (uvm_map.c): pgo_detach",
    edits: [
      edit(
        "impl/uvm/map-operations.ts",
        "if (entry.object !== null) yield* entry.object.detach(uvm);",
        'if (entry.object !== null && entry.object.kind !== "aobj") yield* entry.object.detach(uvm);',
      ),
    ],
  },
  {
    name: "canary-shmrm-frees-mapped",
    kind: "canary",
    description: "IPC_RMID frees the segment's aobj at once, though processes still map it",
    corrupts: "shmctl IPC_RMID (sysv_shm.c): shm_deallocate_segment only once shm_nattch is 0",
    edits: [edit("impl/uvm/sysv-shm.ts", ["yield* object.detach(uvm);", "return true;"], ["object.references = 1; // the mappings' references forgotten", "yield* object.detach(uvm);", "return true;"])],
  },
  {
    name: "canary-shm-unattached-pages-freed",
    kind: "canary",
    description: "uao_detach takes the segment table's reference for none: once a live segment's last attach goes, its pages with no swap copy are freed, and it reads zeros at its next attach",
    corrupts: "uao_detach (uvm_aobj.c): pages are freed only with the last reference",
    edits: [
      edit("impl/uvm/aobj.ts", ["this.references--;", "if (this.references > 0) return;"], [
        "this.references--;",
        "if (this.references === 1 && [...uvm.shmSegments.values()].includes(this)) {",
        "  for (const page of [...this.pages.values()]) {",
        "    if (page.busy || page.wireCount > 0 || this.swapSlots.has(page.offset)) continue;",
        "    uvm.machine.mmu.pageProtect(page.frame, 0);",
        "    lockPageQueues(uvm);",
        "    pageFree(uvm, page);",
        "    unlockPageQueues(uvm);",
        "  }",
        "}",
        "if (this.references > 0) return;",
      ]),
    ],
  },
] as const satisfies readonly SourceVariant[];
