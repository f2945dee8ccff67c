//! After the heal phase (failures off, every loan given back, every SysV shared memory
//! segment removed, every process exited) nothing
//! may remain but the caches: frames held only by the files' vnodes or the loan zero page,
//! no anon, amap or anonymous object alive, no page on loan, no swap slot in use (bad slots
//! stay bad forever, which is not a leak).

import type { UvmHeap } from "./heap.ts";

export function healedLeaks({ kernel, uvm }: UvmHeap): string | null {
  if (kernel.processes.size > 0) return `${kernel.processes.size} processes still alive`;
  if (uvm.loans.size > 0) return `${uvm.loans.size} loans still outstanding`;
  if (uvm.shmSegments.size > 0) return `${uvm.shmSegments.size} SysV shared memory segments not removed`;
  if (uvm.liveAnons.size > 0) return `${uvm.liveAnons.size} anons leaked (e.g. anon ${[...uvm.liveAnons][0]!.id})`;
  if (uvm.liveAmaps.size > 0) return `${uvm.liveAmaps.size} amaps leaked`;
  for (const object of uvm.liveObjects) if (object.kind === "aobj") return `${object.name} leaked`;
  for (const page of uvm.pages) {
    if (!page.allocated) continue;
    const cached = page.object !== null && (page.object.kind === "vnode" || page.object.kind === "zero");
    if (!cached) return `frame leaked: ${page.describe()}`;
    if (page.loanCount > 0 || page.wireCount > 0) return `${page.describe()} still on loan or wired`;
  }
  if (uvm.swap.inUse !== uvm.swap.bad) return `${uvm.swap.inUse - uvm.swap.bad} swap slots leaked`;
  if (uvm.swap.onlyCopies !== 0) return `swpgonly is ${uvm.swap.onlyCopies} with nothing on swap`;
  return null;
}
