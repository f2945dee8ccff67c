//! The UVM implementation as a system under test: a simulated machine, the kernel on it, the
//! scheduler that runs each command (on thread 0, or on the thread a `start` names), and the
//! observation; and `uvmKernel`, everything of impl/ that systems/uvm.ts uses, in one module,
//! so that a variant's copy of impl/ (variants/materialize.ts) supplies all of it at once.

import type { Command } from "../vocabulary/command.ts";
import type { FailureRates } from "../vocabulary/failure.ts";
import type { Observation, ObservationPart } from "../vocabulary/observation.ts";
import type { Outcome } from "../vocabulary/outcome.ts";
import type { WorldConfig } from "../vocabulary/world.ts";
import { Machine } from "./hardware/machine.ts";
import { Kernel } from "./kernel.ts";
import { observeKernel } from "./observe.ts";
import { Scheduler } from "./scheduler.ts";
import { bootUvm } from "./uvm/boot.ts";
import type { Uvm } from "./uvm/uvm.ts";
import { describeFrames } from "./describe-frames.ts";
import { healedLeaks } from "./uvm/invariants/healed.ts";
import { uvmInvariants } from "./uvm/invariants/uvm-invariants.ts";
import type { SeedBugName } from "./uvm/seed-bugs.ts";

export class UvmMachine {
  readonly machine: Machine;
  readonly uvm: Uvm;
  readonly kernel: Kernel;
  readonly scheduler: Scheduler;

  constructor(world: WorldConfig, seedBug: SeedBugName | null, seed: number, failureRates: FailureRates = {}) {
    this.machine = new Machine(world, seed);
    this.machine.failures.setRates(failureRates);
    this.uvm = bootUvm(this.machine, world, seedBug);
    this.kernel = new Kernel(this.uvm);
    this.scheduler = new Scheduler(this.uvm, this.kernel, world.livenessBound);
  }

  apply(command: Command): Outcome {
    this.uvm.copiesMade = 0;
    return this.scheduler.apply(command);
  }

  /** The new anons the last `apply` left (promotions and zero fills into an amap, borrowers a loan made), whatever it returned; undefined after a zero loan. */
  copiesMade(): number | undefined {
    return Number.isNaN(this.uvm.copiesMade) ? undefined : this.uvm.copiesMade;
  }

  observe(): Observation {
    return observeKernel(this.kernel);
  }

  observePart(part: ObservationPart): Observation {
    return observeKernel(this.kernel, part);
  }
}

/** What systems/uvm.ts takes from impl/: the machine, its heap-walk invariants, the healed check and the frame descriptions. */
export const uvmKernel = { UvmMachine, uvmInvariants, healedLeaks, describeFrames };

export type UvmKernel = typeof uvmKernel;
