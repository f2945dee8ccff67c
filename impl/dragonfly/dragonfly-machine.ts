//! The DragonFly implementation on a simulated machine: the hardware, the VM, the
//! system-call layer, the scheduler that runs each command (on thread 0, or on the thread a
//! `start` names) and the observation, as systems/dragonfly.ts plugs them in; and
//! `dragonflyImplementation`, everything of impl/dragonfly/ that systems/dragonfly.ts uses, in one
//! module, so that a variant's copy of impl/ (variants/materialize.ts) supplies all of it.

import type { Command } from "../../vocabulary/command.ts";
import type { FailureRates } from "../../vocabulary/failure.ts";
import type { Observation, ObservationPart } from "../../vocabulary/observation.ts";
import type { Outcome } from "../../vocabulary/outcome.ts";
import type { WorldConfig } from "../../vocabulary/world.ts";
import { Machine } from "../hardware/machine.ts";
import { DragonflyKernel } from "./kernel.ts";
import { DragonflyScheduler } from "./dragonfly-scheduler.ts";
import { observeDragonfly } from "./observe.ts";
import type { DragonflySeedBugName } from "./seed-bugs.ts";
import { dragonflyHealedLeaks, dragonflyInvariants } from "./invariants/dragonfly-invariants.ts";
import { Vm } from "./vm.ts";

export class DragonflyMachine {
  readonly machine: Machine;
  readonly vm: Vm;
  readonly kernel: DragonflyKernel;
  readonly scheduler: DragonflyScheduler;

  constructor(world: WorldConfig, seedBug: DragonflySeedBugName | null, seed: number, failureRates: FailureRates = {}) {
    this.machine = new Machine(world, seed);
    this.machine.failures.setRates(failureRates);
    this.vm = new Vm(this.machine, world, seedBug);
    this.kernel = new DragonflyKernel(this.vm);
    this.scheduler = new DragonflyScheduler(this.vm, this.kernel, world.livenessBound);
  }

  apply(command: Command): Outcome {
    return this.scheduler.apply(command);
  }

  observe(): Observation {
    return observeDragonfly(this.kernel);
  }

  observePart(part: ObservationPart): Observation {
    return observeDragonfly(this.kernel, part);
  }
}

/** What systems/dragonfly.ts takes from impl/dragonfly/: the machine, its heap-walk invariants and the healed check. */
export const dragonflyImplementation = { DragonflyMachine, dragonflyInvariants, dragonflyHealedLeaks };

export type DragonflyImplementation = typeof dragonflyImplementation;
