//! The simulated machine: physical memory, the MMU, the disk, the swap device, the failure
//! injector and the seeded random source behind it. The VM code reaches hardware only through this object.

import type { WorldConfig } from "../../vocabulary/world.ts";
import { BackingStore } from "./backing-store.ts";
import { FailureInjector } from "./failure-injector.ts";
import { Mmu } from "./mmu.ts";
import { PhysicalMemory } from "./physical-memory.ts";
import { RandomSource } from "./random-source.ts";
import { SwapDevice } from "./swap-device.ts";

export class Machine {
  readonly random: RandomSource;
  readonly failures: FailureInjector;
  readonly memory: PhysicalMemory;
  readonly mmu: Mmu;
  readonly disk: BackingStore;
  readonly swap: SwapDevice;

  constructor(world: WorldConfig, seed: number) {
    this.random = new RandomSource(seed);
    this.failures = new FailureInjector(this.random);
    this.memory = new PhysicalMemory(world.frames, world.pageWords, this.failures);
    this.mmu = new Mmu(world.frames, this.failures);
    this.disk = new BackingStore(world, this.failures);
    this.swap = new SwapDevice(world.swapSlots, world.pageWords, this.failures);
  }
}
