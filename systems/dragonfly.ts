//! DragonFly's shadow-chain vm_fault (impl/dragonfly/), plugged in as a system under test
//! beside UVM: the same model, the same hardware, its own heap walks and planted bugs
//! (systems/dragonfly-variants.ts).
//! No page loans (DragonFly has none): that family is not run. Threads are: operations park
//! at DragonFly's sleep points (impl/dragonfly/vm-sleep.ts, docs/seeds.md: DW1-DW7).

import type { DragonflyCoverageName } from "../impl/dragonfly/coverage.ts";
import type { DragonflyImplementation, DragonflyMachine } from "../impl/dragonfly/dragonfly-machine.ts";
import type { DragonflyHeap } from "../impl/dragonfly/invariants/object-graph.ts";
import type { Command } from "../vocabulary/command.ts";
import type { ObservationPart } from "../vocabulary/observation.ts";
import { firstBrokenWalk, type InvariantViolation, type SystemFactory, type SystemOptions, type SystemUnderTest } from "../vocabulary/system-under-test.ts";
import { dragonflyVariants, implementationFor, prepareDragonflyVariant } from "./dragonfly-variants.ts";

/** Counters the fixed-seed campaign (300 runs, seed 1) must drive above zero. */
export const dragonflyRequiredCoverage: readonly DragonflyCoverageName[] = [
  "fault.residentPage",
  "fault.pagerOk",
  "fault.pagerError",
  "fault.pagerFail",
  "fault.descend",
  "fault.zeroFill",
  "fault.backingRead",
  "fault.backingWriteCopy",
  "fault.rename",
  "fault.renameRefused.refCount",
  "fault.renameRefused.handle",
  "fault.readAhead",
  "fault.prefault",
  "fault.allocWait",
  "fault.revalidate",
  "fault.revalidateRetry",
  "fault.revalidateFailure",
  "fault.renameRefused.mapChanged",
  // the sleep points a campaign reaches (DW2 never: a cache page found means no severe shortage here)
  "sleep.busyPage",
  "sleep.allocation",
  "sleep.pagerRead",
  "sleep.fileRead",
  "sleep.fileBusy",
  "sleep.transition",
  "thread.started",
  "thread.parked",
  "thread.resumed",
  "wire.user",
  "wire.unwire",
  "object.shadow",
  "object.collapse",
  "object.terminate",
  "fork.copy",
  "fork.share",
  "fork.none",
  "shm.create",
  "shm.attach",
  "shm.remove",
  "swap.out",
  "swap.in",
  "vnode.read",
  "vnode.write",
  "pageout.free",
];

export class DragonflySystem implements SystemUnderTest {
  readonly invariantNames: readonly string[];
  readonly machine: DragonflyMachine;
  private readonly implementation: DragonflyImplementation;

  constructor(options: SystemOptions) {
    const { implementation, seedBug } = implementationFor(options.variant);
    this.implementation = implementation;
    this.machine = new implementation.DragonflyMachine(options.world, seedBug, options.seed, options.failureRates);
    this.invariantNames = implementation.dragonflyInvariants.map((invariant) => invariant.name);
  }

  apply(command: Command) {
    return this.machine.apply(command);
  }

  observe() {
    return this.machine.observe();
  }

  observePart(part: ObservationPart) {
    return this.machine.observePart(part);
  }

  checkInvariants(options: { readonly quiescent: boolean } = { quiescent: true }): InvariantViolation | null {
    return firstBrokenWalk(this.implementation.dragonflyInvariants, this.heap(), options.quiescent);
  }

  framesInUse() {
    const memory = this.machine.machine.memory;
    return memory.frameCount - memory.freeCount;
  }

  coverage() {
    return this.machine.vm.coverage.snapshot();
  }

  drainCompletions() {
    return this.machine.scheduler.drainCompletions();
  }

  parkedThreads() {
    return this.machine.scheduler.parked();
  }

  checkHealed(): InvariantViolation | null {
    const message = this.implementation.dragonflyHealedLeaks(this.heap());
    return message === null ? null : { invariant: "healed-no-leaks", message };
  }

  private heap(): DragonflyHeap {
    return { vm: this.machine.vm, kernel: this.machine.kernel, scheduler: this.machine.scheduler };
  }
}

export const dragonflySystem: SystemFactory = {
  name: "dragonfly",
  description: "DragonFly BSD vm_fault (shadow-object chains, 2004) with its objects, pagers and page daemon, on the same simulated machine",
  variants: dragonflyVariants,
  requiredCoverage: dragonflyRequiredCoverage,
  families: ["processes", "mappings", "access", "files", "sysvShm", "machine", "threads"],
  // The fault copies (D:677) and zero-fills (D:577) before it re-validates the map (D:713): a
  // parked write or read may keep its copy and still fail, as UVM's may. A pager error after
  // the sleep (D:518-535) answers KERN_FAILURE with no re-validation at all.
  allowances: ["enomemBeforeEio", "zeroFillBeforePark", "promotionBeforePark", "wireCopiesBeforePark", "lateReadFailure", "copyBeforeRevalidation"],
  prepare: prepareDragonflyVariant,
  create: (options) => new DragonflySystem(options),
};
