//! The NetBSD UVM implementation, plugged in as a system under test: the kernel of impl/,
//! its heap-walk invariants (impl/uvm/invariants/), its planted bugs (systems/uvm-variants.ts)
//! and the coverage counters a campaign must reach.

import type { UvmKernel, UvmMachine } from "../impl/uvm-system.ts";
import { type CoverageName, coverageNames } from "../impl/uvm/coverage.ts";
import { uvmAllowanceNames } from "../vocabulary/allowance.ts";
import type { Command } from "../vocabulary/command.ts";
import type { ObservationPart } from "../vocabulary/observation.ts";
import { commandFamilies } from "../vocabulary/command-family.ts";
import { firstBrokenWalk, type InvariantViolation, type SystemFactory, type SystemOptions, type SystemUnderTest } from "../vocabulary/system-under-test.ts";
import { kernelFor, prepareUvmVariant, uvmVariants } from "./uvm-variants.ts";

/**
 * Counters no campaign is expected to reach, each with the reason; every other counter is
 * required. Empty today: the default campaign reaches every path it counts.
 */
const uvmUnreachableCoverage: Readonly<Partial<Record<CoverageName, string>>> = {};

/** Counters the fixed-seed campaign (300 runs, seed 1) must drive above zero: all but the documented unreachable ones. */
export const uvmRequiredCoverage: readonly CoverageName[] = coverageNames.filter((name) => uvmUnreachableCoverage[name] === undefined);

class UvmSystem implements SystemUnderTest {
  readonly invariantNames: readonly string[];
  private readonly machine: UvmMachine;
  private readonly kernel: UvmKernel;

  constructor(options: SystemOptions) {
    const { kernel, seedBug } = kernelFor(options.variant);
    this.kernel = kernel;
    this.machine = new kernel.UvmMachine(options.world, seedBug, options.seed, options.failureRates);
    if (options.recordFrameEvents === true) this.machine.uvm.events = [];
    this.machine.uvm.recordLockSites = options.replaying === true;
    this.invariantNames = kernel.uvmInvariants.map((invariant) => invariant.name);
  }

  apply(command: Command) {
    return this.machine.apply(command);
  }

  copiesMade() {
    return this.machine.copiesMade();
  }

  observe() {
    return this.machine.observe();
  }

  observePart(part: ObservationPart) {
    return this.machine.observePart(part);
  }

  checkInvariants(options: { readonly quiescent: boolean } = { quiescent: true }): InvariantViolation | null {
    return firstBrokenWalk(this.kernel.uvmInvariants, this.heap(), options.quiescent);
  }

  /** Every invariant that is broken now (for diagnosis and canary tests). */
  allViolations(): InvariantViolation[] {
    const heap = this.heap();
    const violations: InvariantViolation[] = [];
    for (const invariant of this.kernel.uvmInvariants) {
      const message = invariant.check(heap);
      if (message !== null) violations.push({ invariant: invariant.name, message });
    }
    return violations;
  }

  coverage() {
    return this.machine.uvm.coverage.snapshot();
  }

  checkHealed(): InvariantViolation | null {
    const message = this.kernel.healedLeaks(this.heap());
    return message === null ? null : { invariant: "healed-no-leaks", message };
  }

  framesInUse() {
    const memory = this.machine.machine.memory;
    return memory.frameCount - memory.freeCount;
  }

  describeFrames() {
    return this.kernel.describeFrames(this.machine.kernel, this.machine.uvm);
  }

  drainFrameEvents() {
    const events = this.machine.uvm.events ?? [];
    if (this.machine.uvm.events !== null) this.machine.uvm.events = [];
    return events;
  }

  drainCompletions() {
    return this.machine.scheduler.drainCompletions();
  }

  parkedThreads() {
    return this.machine.scheduler.parked();
  }

  private heap() {
    return { kernel: this.machine.kernel, uvm: this.machine.uvm, scheduler: this.machine.scheduler };
  }

  get internals(): UvmMachine {
    return this.machine;
  }
}

export const uvmSystem: SystemFactory = {
  name: "uvm",
  description: "NetBSD UVM fault handler (uvm_fault.c 1.173.2.9), page loans (uvm_loan.c 1.77) and swap, on a simulated machine",
  variants: uvmVariants,
  requiredCoverage: uvmRequiredCoverage,
  // Every command family, and every allowance but DragonFly's own: the model's allowances are UVM's ways.
  families: commandFamilies,
  allowances: uvmAllowanceNames,
  prepare: prepareUvmVariant,
  create: (options) => new UvmSystem(options),
};

export { coverageNames, UvmSystem };
