//! Processes: each has a pid and an address space (a vm_map with its own pmap).
//! Creation and teardown of address spaces (uvmspace_alloc / uvmspace_free).

import type { Pid } from "../vocabulary/units.ts";
import { mapLockForWriting, mapRelease, VmMap } from "./uvm/map.ts";
import { unmapDetach, unmapRemove } from "./uvm/map-operations.ts";
import type { Sleepy } from "./uvm/sleep.ts";
import type { Uvm } from "./uvm/uvm.ts";

export interface Process {
  readonly pid: Pid;
  readonly map: VmMap;
}

export function createAddressSpace(uvm: Uvm, name: string): VmMap {
  return new VmMap(name, uvm.machine.mmu.createPmap(), 0, uvm.world.vaPages);
}

/** uvmspace_free: unmaps everything and tears the pmap down. */
export function* destroyAddressSpace(uvm: Uvm, map: VmMap): Sleepy<void> {
  yield* mapLockForWriting(uvm, map, "uvmspace_free");
  const dead = unmapRemove(uvm, map, map.minVa, map.maxVa);
  map.pmap.destroy();
  mapRelease(uvm, map);
  for (const entry of dead) yield* unmapDetach(uvm, entry);
}
