//! The view of the UVM implementation that the heap-walk invariants read: the kernel (its
//! processes and their maps) and the global VM state. Invariants never trust counters they
//! check; they recompute them from the object graph. Each invariant returns the first
//! object that breaks it, or null.

import type { Kernel } from "../../impl/kernel.ts";
import type { Translation } from "../../impl/hardware/mmu.ts";
import type { VmMap } from "../../impl/uvm/map.ts";
import type { MapEntry } from "../../impl/uvm/map-entry.ts";
import { mapLookupEntry } from "../../impl/uvm/map.ts";
import type { Page } from "../../impl/uvm/page.ts";
import type { Uvm } from "../../impl/uvm/uvm.ts";
import type { Vpn } from "../../vocabulary/units.ts";

export interface UvmHeap {
  readonly kernel: Kernel;
  readonly uvm: Uvm;
}

export interface HeapInvariant {
  /** e.g. `G6 shared anons read-only`; the part before the first space is the catalog id. */
  readonly name: string;
  check(heap: UvmHeap): string | null;
}

export interface MappedTranslation {
  readonly pid: number;
  readonly map: VmMap;
  readonly va: Vpn;
  readonly translation: Translation;
  readonly entry: MapEntry | null;
  readonly page: Page;
}

/** Every translation of every live process, with its entry and the vm_page it maps. */
export function* translations(heap: UvmHeap): Generator<MappedTranslation> {
  for (const [pid, process] of heap.kernel.processes) {
    for (const [va, translation] of process.map.pmap.translations()) {
      yield { pid, map: process.map, va, translation, entry: mapLookupEntry(process.map, va), page: heap.uvm.pageOfFrame(translation.frame) };
    }
  }
}

export function liveMaps(heap: UvmHeap): VmMap[] {
  return [...heap.kernel.processes.values()].map((process) => process.map);
}
