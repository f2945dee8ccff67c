//! The implementation's observation: every mapped page's contents read out of the kernel's
//! structures (amap → anon → page or swap slot; object → page, disk or swap; or zero-fill),
//! never through the MMU and never faulting. The heap-walk invariant G11 separately checks
//! that the MMU's translations agree with these structures.

import {
  type Observation,
  type ObservationPart,
  type ObservedPage,
  type ObservedProcess,
  type PageContents,
  partPids,
  partRange,
} from "../vocabulary/observation.ts";
import { protectionFromBits } from "../vocabulary/protection.ts";
import { loanHandle, vpn } from "../vocabulary/units.ts";
import { NO_SWAP_SLOT, SWAP_SLOT_BAD } from "./hardware/units.ts";
import { POISON } from "./hardware/physical-memory.ts";
import type { Kernel } from "./kernel.ts";
import type { Anon } from "./uvm/anon.ts";
import { type Page, PG_FAKE } from "./uvm/page.ts";
import type { MapEntry } from "./uvm/map-entry.ts";
import type { UvmObject } from "./uvm/object.ts";
import type { Uvm } from "./uvm/uvm.ts";
import type { Vnode } from "./uvm/vnode.ts";

/** Everything, or only `part` (vocabulary/system-under-test.ts observePart). */
export function observeKernel(kernel: Kernel, part?: ObservationPart): Observation {
  const uvm = kernel.uvm;
  const processes: ObservedProcess[] = [];
  const pids = part === undefined ? [...kernel.processes.keys()] : partPids(part).filter((pid) => kernel.processes.has(pid));
  for (const pid of pids.sort((a, b) => a - b)) {
    const map = kernel.processes.get(pid)!.map;
    const pages: ObservedPage[] = [];
    const range = partRange(part, pid);
    for (const entry of map.entries) {
      for (let va = Math.max(entry.start, range.start); va < Math.min(entry.end, range.end); va++) {
        pages.push({
          va: vpn(va),
          prot: protectionFromBits(entry.protection),
          maxprot: protectionFromBits(entry.maxProtection),
          inherit: entry.inheritance,
          advice: entry.advice,
          wired: entry.wired,
          contents: entryPageContents(uvm, entry, va - entry.start),
        });
      }
    }
    processes.push({ pid, pages });
  }
  const files = (part === undefined || part.files ? uvm.vnodes : []).map((vnode) => {
    const pages: number[][] = [];
    for (let page = 0; page < (vnode as Vnode).pageCount; page++) pages.push(objectPageContents(uvm, vnode, page) as number[]);
    return pages;
  });
  const loans = [...uvm.loans.values()]
    .sort((a, b) => a.handle - b.handle)
    .map((record) => ({
      handle: loanHandle(record.handle),
      to: record.items.to,
      pages:
        record.items.to === "kernel"
          ? record.items.pages.map((page) => uvm.machine.memory.contents(page.frame))
          : record.items.anons.map((anon) => anonContents(uvm, anon)),
    }));
  const segments = [...uvm.shmSegments]
    .sort(([a], [b]) => a - b)
    .map(([id, object]) => ({ id, pages: Array.from({ length: object.pageCount }, (_, page) => objectPageContents(uvm, object, page)) }));
  return { processes, files, loans, segments };
}

/** What page `index` of `entry` holds: the anon above, else the object below, else zeroes. */
export function entryPageContents(uvm: Uvm, entry: MapEntry, index: number): PageContents {
  const anon = entry.amap?.slots[entry.amapOffset + index] ?? null;
  if (anon !== null) return anonContents(uvm, anon);
  if (entry.object !== null) return objectPageContents(uvm, entry.object, entry.offset + index);
  if (entry.amap === null && !entry.needsCopy) return "unbacked";
  return new Array<number>(uvm.world.pageWords).fill(0);
}

/** A resident page whose contents are valid (a PG_FAKE page is still being read in: its data is on the backing store). */
function validPage(page: Page | null | undefined): page is Page {
  return page !== null && page !== undefined && (page.flags & PG_FAKE) === 0;
}

export function anonContents(uvm: Uvm, anon: Anon): PageContents {
  if (validPage(anon.page) || (anon.page !== null && anon.swapSlot === NO_SWAP_SLOT)) return uvm.machine.memory.contents(anon.page.frame);
  if (anon.swapSlot === SWAP_SLOT_BAD) return "lost";
  if (anon.swapSlot > 0) return uvm.machine.swap.peek(anon.swapSlot);
  return new Array<number>(uvm.world.pageWords).fill(POISON);
}

export function objectPageContents(uvm: Uvm, object: UvmObject, offset: number): PageContents {
  const page = object.pages.get(offset);
  if (validPage(page)) return uvm.machine.memory.contents(page.frame);
  if (object.kind === "vnode") return uvm.machine.disk.peek((object as Vnode).file, offset);
  if (object.kind === "aobj") {
    const slot = object.swapSlotOf(offset);
    if (slot === SWAP_SLOT_BAD) return "lost";
    if (slot > 0) return uvm.machine.swap.peek(slot);
  }
  return new Array<number>(uvm.world.pageWords).fill(0);
}
