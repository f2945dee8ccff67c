//! The DragonFly system's observation: every mapped page read out of the shadow chains (the
//! first object that has the page resident or on swap decides; a vnode object reads the
//! file; the bottom of an anonymous chain reads zeroes), never through the MMU.

import { type Observation, type ObservationPart, type ObservedPage, type PageContents, partPids, partRange } from "../../vocabulary/observation.ts";
import { protectionFromBits } from "../../vocabulary/protection.ts";
import { vpn } from "../../vocabulary/units.ts";
import { SWAP_SLOT_BAD } from "../hardware/units.ts";
import type { DragonflyKernel } from "./kernel.ts";
import type { VmMapEntry } from "./vm-map.ts";
import type { VmObject } from "./vm-object.ts";
import type { Vm } from "./vm.ts";

/** Everything, or only `part` (vocabulary/system-under-test.ts observePart). */
export function observeDragonfly(kernel: DragonflyKernel, part?: ObservationPart): Observation {
  const vm = kernel.vm;
  const pids = part === undefined ? [...kernel.processes.keys()] : partPids(part).filter((pid) => kernel.processes.has(pid));
  const processes = pids
    .sort((a, b) => a - b)
    .map((pid) => {
      const pages: ObservedPage[] = [];
      const range = partRange(part, pid);
      for (const entry of kernel.processes.get(pid)!.entries) {
        for (let va = Math.max(entry.start, range.start); va < Math.min(entry.end, range.end); va++) {
          pages.push({
            va: vpn(va),
            prot: protectionFromBits(entry.protection),
            maxprot: protectionFromBits(entry.maxProtection),
            inherit: entry.inheritance,
            advice: entry.advice,
            wired: entry.userWired,
            contents: entryPageContents(vm, entry, va - entry.start),
          });
        }
      }
      return { pid, pages };
    });
  const files = (part === undefined || part.files ? vm.vnodeObjects : []).map((object) =>
    Array.from({ length: object.size }, (_, pindex) => chainContents(vm, object, pindex) as number[]),
  );
  const segments = [...vm.shmSegments]
    .sort(([a], [b]) => a - b)
    .map(([id, object]) => ({ id, pages: Array.from({ length: object.size }, (_, pindex) => chainContents(vm, object, pindex)) }));
  return { processes, files, loans: [], segments };
}

export function entryPageContents(vm: Vm, entry: VmMapEntry, index: number): PageContents {
  if (entry.reserved) return "unbacked";
  if (entry.object === null) return new Array<number>(vm.world.pageWords).fill(0);
  return chainContents(vm, entry.object, entry.offset + index);
}

/** What the chain walk from `first` at `pindex` finds, without faulting. */
export function chainContents(vm: Vm, first: VmObject, pindex: number): PageContents {
  let object: VmObject | null = first;
  let index = pindex;
  while (object !== null) {
    const page = object.pages.get(index);
    if (page?.valid) return vm.machine.memory.contents(page.frame);
    const slot = object.swapBlocks.get(index);
    if (slot === SWAP_SLOT_BAD) return "lost";
    if (slot !== undefined) return vm.machine.swap.peek(slot);
    if (object.type === "vnode") return [...vm.machine.disk.peek(object.handle!, index)];
    index += object.backingOffset;
    object = object.backingObject;
  }
  return new Array<number>(vm.world.pageWords).fill(0);
}
