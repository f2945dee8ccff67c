//! Coverage counters: how often each named path of the implementation ran.
//!
//! The names are a closed union so a typo cannot create a counter nobody checks. The
//! fixed-seed coverage test requires every counter of `requiredCoverage` to be non-zero.

export const coverageNames = [
  // uvm_fault_check and the driver
  "fault.case0",
  "fault.needsCopy",
  "fault.efault",
  "fault.eacces",
  "fault.restart",
  "fault.enomem",
  "fault.neighbor.anon",
  "fault.neighbor.object",
  "fault.sequentialFlush",
  // case 1 and case 2
  "fault.1A",
  "fault.1B",
  "fault.2A",
  "fault.2B.zero",
  "fault.2B.copy",
  "fault.lowerIo",
  "fault.sharedAmapPromote",
  "fault.wire",
  "fault.unwire",
  "fault.aobjDropSwap",
  "fault.upperLoan.readOnly",
  "fault.lowerLoan.readOnly",
  "loanbreak.object",
  "loanbreak.anon",
  "pmap.enterFailure",
  // map operations
  "fork.copy",
  "fork.share",
  "fork.none",
  "fork.copyWired",
  "map.clip",
  "map.amapCopy",
  "map.partialUnmap",
  "map.wireHole",
  "map.wireStacked",
  "map.unwireNotWired",
  "map.unwirePartial",
  "fault.unwireUntranslated",
  "file.read",
  "file.write",
  // loans
  "loan.objectToKernel",
  "loan.anonToKernel",
  "loan.objectToAnon",
  "loan.anonToAnon",
  "loan.zeroToKernel",
  "loan.zeroToAnon",
  "loan.objectPages",
  "loan.failWired",
  "loan.receive",
  "loan.awaitDisposal",
  "unloan.page",
  "unloan.anon",
  "unloan.adopt",
  "unloan.freeOrphan",
  "file.evict",
  // SysV shared memory (sysv-shm.ts)
  "shm.create",
  "shm.attach",
  "shm.removeMapped",
  "shm.removeLast",
  // memory pressure and swap
  "alloc.failure",
  "pdaemon.run",
  "pdaemon.reactivate",
  "pdaemon.anonClean",
  "pdaemon.objectClean",
  "pdaemon.objectDirty",
  "pdaemon.noSwapSlot",
  "pdaemon.loanBreak",
  "swap.out",
  "swap.in",
  "swap.readFailure",
  "swap.writeFailure",
  // threads (impl/scheduler.ts) and why a path started over after a sleep (docs/seeds.md: sleep sites)
  "thread.started",
  "thread.parked",
  "thread.resumed",
  "restart.relockFailed",
  "restart.amapSlotChanged",
  "restart.pageReleased",
  "restart.pageBusyWait",
  "restart.memoryWait",
  "trylock.contended",
] as const;

export type CoverageName = (typeof coverageNames)[number];

export class Coverage {
  private readonly counts = new Map<CoverageName, number>();

  hit(name: CoverageName): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  count(name: CoverageName): number {
    return this.counts.get(name) ?? 0;
  }

  snapshot(): ReadonlyMap<string, number> {
    const result = new Map<string, number>();
    for (const name of coverageNames) result.set(name, this.count(name));
    return result;
  }
}
