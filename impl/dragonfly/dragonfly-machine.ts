//! The DragonFly implementation on a simulated machine: the hardware, the VM, the
//! system-call layer and the observation, as systems/dragonfly.ts plugs them in.

import type { Command } from "../../vocabulary/command.ts";
import type { FailureRates } from "../../vocabulary/failure.ts";
import type { Observation } from "../../vocabulary/observation.ts";
import type { Outcome } from "../../vocabulary/outcome.ts";
import type { WorldConfig } from "../../vocabulary/world.ts";
import { Machine } from "../hardware/machine.ts";
import { DragonflyKernel } from "./kernel.ts";
import { observeDragonfly } from "./observe.ts";
import type { DragonflyVariantName } from "./variants.ts";
import { Vm } from "./vm.ts";

export class DragonflyMachine {
  readonly machine: Machine;
  readonly vm: Vm;
  readonly kernel: DragonflyKernel;

  constructor(world: WorldConfig, variant: DragonflyVariantName | null, seed: number, failureRates: FailureRates = {}) {
    this.machine = new Machine(world, seed);
    this.machine.failures.setRates(failureRates);
    this.vm = new Vm(this.machine, world, variant);
    this.kernel = new DragonflyKernel(this.vm);
  }

  apply(command: Command): Outcome {
    return this.kernel.apply(command);
  }

  observe(): Observation {
    return observeDragonfly(this.kernel);
  }
}
