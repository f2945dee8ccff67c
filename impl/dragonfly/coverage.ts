//! Coverage counters of the DragonFly system: how often each named path ran.
//!
//! The names are a closed union, as UVM's (impl/uvm/coverage.ts), so a misspelt counter does
//! not compile. systems/dragonfly.ts lists those a fixed-seed campaign must drive above zero.

export const dragonflyCoverageNames = [
  // vm_fault (D:185-885)
  "fault.retry",
  "fault.lookupFailure",
  "fault.deadObject",
  "fault.residentPage",
  "fault.cachePageSevere",
  "fault.allocWait",
  "fault.pagerOk",
  "fault.pagerError",
  "fault.pagerBad",
  "fault.pagerFail",
  "fault.descend",
  "fault.zeroFill",
  "fault.backingRead",
  "fault.backingWriteCopy",
  "fault.rename",
  "fault.renameRefused.mapChanged",
  "fault.renameRefused.shadowCount",
  "fault.renameRefused.refCount",
  "fault.renameRefused.handle",
  "fault.renameRefused.notDirectParent",
  "fault.revalidate",
  "fault.revalidateRetry",
  "fault.revalidateFailure",
  "fault.readAhead",
  "fault.cacheBehind",
  "fault.prefault",
  "fault.enomem",
  // sleep points (vm-sleep.ts: DW1-DW4), map transitions, and the scheduler's threads
  "sleep.busyPage",
  "sleep.allocation",
  "sleep.pagerRead",
  "sleep.fileRead",
  "sleep.fileBusy",
  "sleep.transition",
  "thread.started",
  "thread.parked",
  "thread.resumed",
  // wiring (D:892-1102)
  "wire.kernel",
  "wire.user",
  "wire.unwire",
  "wire.copyEntry",
  // objects
  "object.shadow",
  "object.collapse",
  "object.bypass",
  "object.terminate",
  // fork and map operations
  "fork.copy",
  "fork.copyInterposed",
  "fork.share",
  "fork.none",
  "map.clip",
  // SysV shared memory (sysv-shm.ts)
  "shm.create",
  "shm.attach",
  "shm.remove",
  // pagers and the page daemon
  "swap.out",
  "swap.in",
  "swap.readFailure",
  "swap.writeFailure",
  "vnode.read",
  "vnode.readFailure",
  "vnode.write",
  "pageout.free",
  "pageout.cacheReclaim",
] as const;

export type DragonflyCoverageName = (typeof dragonflyCoverageNames)[number];

export class DragonflyCoverage {
  private readonly counts = new Map<DragonflyCoverageName, number>(dragonflyCoverageNames.map((name) => [name, 0]));

  hit(name: DragonflyCoverageName): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  snapshot(): ReadonlyMap<string, number> {
    return new Map(this.counts);
  }
}
