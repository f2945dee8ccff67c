//! The view of the UVM implementation that the heap-walk invariants read: the kernel (its
//! processes and their maps) and the global VM state. Invariants never trust counters they
//! check; they recompute them from the object graph. Each invariant returns the first
//! object that breaks it, or null.

import type { Kernel } from "../../kernel.ts";
import type { Scheduler } from "../../scheduler.ts";
import type { Translation } from "../../hardware/mmu.ts";
import type { VmMap } from "../map.ts";
import type { MapEntry } from "../map-entry.ts";
import { mapLookupEntry } from "../map.ts";
import type { Page } from "../page.ts";
import type { Uvm } from "../uvm.ts";
import type { Vpn } from "../../../vocabulary/units.ts";
import type { HeapWalk } from "../../../vocabulary/system-under-test.ts";

export interface UvmHeap {
  readonly kernel: Kernel;
  readonly uvm: Uvm;
  readonly scheduler: Scheduler;
}

/** A UVM heap walk; its name reads like `G6 shared anons read-only`, the part before the first space its id. */
export type HeapInvariant = HeapWalk<UvmHeap>;

export interface MappedTranslation {
  readonly pid: number;
  readonly map: VmMap;
  readonly va: Vpn;
  readonly translation: Translation;
  readonly entry: MapEntry | null;
  readonly page: Page;
}

/** Every translation of every live address space (a fork's unborn child's, with pid 0), with its entry and the vm_page it maps. */
export function* translations(heap: UvmHeap): Generator<MappedTranslation> {
  const spaces: [number, VmMap][] = [...[...heap.kernel.processes].map(([pid, process]): [number, VmMap] => [pid, process.map]), ...[...heap.kernel.embryos.values()].map((map): [number, VmMap] => [0, map])];
  for (const [pid, map] of spaces) {
    for (const [va, translation] of map.pmap.translations()) {
      yield { pid, map, va, translation, entry: mapLookupEntry(map, va), page: heap.uvm.pageOfFrame(translation.frame) };
    }
  }
}

/** The maps of every process, and of every child a fork in progress is building. */
export function liveMaps(heap: UvmHeap): VmMap[] {
  return [...[...heap.kernel.processes.values()].map((process) => process.map), ...heap.kernel.embryos.values()];
}
