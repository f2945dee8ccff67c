//! The frames in use, described for traces (the optional `describeFrames` capability of the
//! system-under-test contract, vocabulary/frame-trace.ts).
//!
//! One description per vm_page that is allocated or kept alive by a loan, in frame order:
//!
//!   owner          `anon 3` (PQ_ANON), `object vnode0@2` (object page, `lent to anon 4`
//!                  when an O->A loan also points at it), `orphan` (neither; loans keep it),
//!                  `nobody` (neither, and no loan: a leak)
//!   translations   every pmap entry the reverse map lists, as `pid:va:prot`
//!   loans, wired   loan_count and wire_count
//!   flags          the PG_* bits by name
//!
//! Reads only; changes nothing.

import type { FrameDescription } from "../vocabulary/frame-trace.ts";
import { protectionFromBits } from "../vocabulary/protection.ts";
import type { Kernel } from "./kernel.ts";
import type { Pmap } from "./hardware/mmu.ts";
import { flagNames, type Page, PQ_ANON } from "./uvm/page.ts";
import type { Uvm } from "./uvm/uvm.ts";

function ownerOf(page: Page): string {
  if (page.object !== null) {
    const lent = page.anon !== null ? `, lent to anon ${page.anon.id}` : "";
    return `object ${page.object.name}@${page.offset}${lent}`;
  }
  if (page.anon !== null) return (page.pqFlags & PQ_ANON) !== 0 ? `anon ${page.anon.id}` : `orphan, lent to anon ${page.anon.id}`;
  return page.loanCount > 0 ? "orphan" : "nobody";
}

/** Ensures: one description per allocated or loaned frame, in increasing frame number. */
export function describeFrames(kernel: Kernel, uvm: Uvm): FrameDescription[] {
  const pidOf = new Map<Pmap, number>();
  for (const [pid, process] of kernel.processes) pidOf.set(process.map.pmap, pid);
  const descriptions: FrameDescription[] = [];
  for (const page of uvm.pages) {
    if (!page.allocated && page.loanCount === 0) continue;
    const translations = uvm.machine.mmu
      .reverseEntries(page.frame)
      .map((entry) => ({ pid: pidOf.get(entry.pmap) ?? -entry.pmap.id, va: entry.va, prot: entry.pmap.translation(entry.va)?.prot ?? 0 }))
      .sort((a, b) => a.pid - b.pid || a.va - b.va)
      .map((entry) => `${entry.pid < 0 ? `pmap${-entry.pid}` : entry.pid}:${entry.va}:${protectionFromBits(entry.prot)}`);
    descriptions.push({
      frame: page.frame,
      owner: ownerOf(page),
      translations,
      loanCount: page.loanCount,
      wireCount: page.wireCount,
      flags: flagNames(page.flags),
    });
  }
  return descriptions;
}
