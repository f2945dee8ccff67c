//! Anonymous object reference counts: every live aobj's `references` (uo_refs) covers the
//! map entries of live processes that map it plus one if a SysV shared memory segment not
//! yet removed holds it (sysv-shm.ts); and a dead aobj is referenced by nothing. So no aobj
//! dies under a mapping or a segment (shmrm frees nothing still mapped). A count above
//! the references is a leak, the healed check's business at the end of the run (a segment
//! the heal phase removed, an aobj no mapping keeps, must be gone by then).
//!
//! Checked only between operations: a uao_get asleep holds a reference of its own across the
//! sleep (aobj.ts holdAcrossSleep), and a fork in progress has referenced the objects of the
//! child it is building. Vnodes are left out: their file holds them for the whole run.

import { AnonymousObject } from "../aobj.ts";
import type { UvmObject } from "../object.ts";
import type { HeapInvariant, UvmHeap } from "./heap.ts";

function counted(heap: UvmHeap): Map<UvmObject, number> {
  const references = new Map<UvmObject, number>();
  const add = (object: UvmObject) => references.set(object, (references.get(object) ?? 0) + 1);
  for (const process of heap.kernel.processes.values()) for (const entry of process.map.entries) if (entry.object?.kind === "aobj") add(entry.object);
  for (const object of heap.uvm.shmSegments.values()) add(object);
  return references;
}

export const objectReferences: HeapInvariant = {
  name: "object-references",
  quiescentOnly: true,
  check(heap: UvmHeap): string | null {
    const references = counted(heap);
    for (const object of heap.uvm.liveObjects) {
      if (object.kind !== "aobj") continue;
      const count = references.get(object) ?? 0;
      if (object.references < count) return `${object.name}: uo_refs ${object.references}, but ${count} entries and segments refer to it`;
    }
    for (const object of references.keys()) {
      if (object instanceof AnonymousObject && !object.alive) return `${object.name} is referenced but dead`;
    }
    return null;
  },
};
