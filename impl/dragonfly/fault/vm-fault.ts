//! vm_fault (D:185-885): the DragonFly page fault, a retry loop over named phases.
//!
//!   RetryFault ─▶ faultLookup (D:201-269) ─▶ faultChainWalk (D:280-596)
//!              ─▶ faultBackingPage (D:609-706) ─▶ faultRevalidate (D:713-781)
//!              ─▶ faultInstall (D:790-883)
//!
//! Every phase returns a status, `RetryFault`, or goes on. A wait for memory (VM_WAITPFAULT)
//! that cannot make room starts the fault over once more, which answers
//! KERN_RESOURCE_SHORTAGE if it finds no page again (semantic decision 9) where the seed
//! would sleep on; the new pass looks the map up again, as the seed's RetryFault does. The
//! fault sleeps where the seed does (vm-sleep.ts: DW1-DW4); other threads may then change
//! the map, so a fault that let go of it re-validates it (D:713) when its timestamp moved.
//! While it runs, the fault is `vm.faults`' entry for its thread: what a parked fault holds
//! is checked against it (impl/dragonfly/invariants/object-graph.ts).

import { assert, LivenessFailure } from "../../../vocabulary/assert.ts";
import type { ProtectionBits } from "../../../vocabulary/protection.ts";
import { vmMapLookup } from "../vm-map-lookup.ts";
import type { VmMap } from "../vm-map.ts";
import { vmObjectReference } from "../vm-object.ts";
import type { Sleepy } from "../vm-sleep.ts";
import type { Vm } from "../vm.ts";
import { faultBackingPage } from "./fault-backing-page.ts";
import { faultChainWalk } from "./fault-chain-walk.ts";
import { faultInstall } from "./fault-install.ts";
import { faultRevalidate } from "./fault-revalidate.ts";
import { type FaultState, FaultState as State, type FaultStatus, type FaultStep, pipAdd } from "./fault-state.ts";

/** Restarts one fault may take before the kernel reports it makes no progress. */
const RETRY_BOUND = 4096;

/**
 * vm_fault(map, vaddr, fault_type, fault_flags). Requires: `faultType` READ and/or WRITE,
 * possibly with VM_PROT_OVERRIDE_WRITE (a user wire, vm-fault-wire.ts). Ensures: on
 * KERN_SUCCESS `va` translates to the page the chain walk finds, with at most the
 * protection the entry allows (read-only where a write would have to copy).
 */
export function* vmFault(vm: Vm, map: VmMap, va: number, faultType: number, faultFlags: number): Sleepy<FaultStatus> {
  const thread = vm.thread;
  try {
    for (let attempt = 0; attempt < RETRY_BOUND; attempt++) {
      const step = yield* faultOnce(vm, map, va, faultType, faultFlags);
      if (step !== "RetryFault") {
        if (step === "KERN_RESOURCE_SHORTAGE") vm.coverage.hit("fault.enomem");
        return step;
      }
      vm.coverage.hit("fault.retry");
    }
  } finally {
    vm.faultsShortOfMemory.delete(thread);
  }
  throw new LivenessFailure(`vm_fault: ${map.name} va ${va} restarted ${RETRY_BOUND} times`);
}

/** One pass from RetryFault (D:201) to a result or the next RetryFault. */
function* faultOnce(vm: Vm, map: VmMap, va: number, faultType: number, faultFlags: number): Sleepy<FaultStep> {
  const fs = faultLookup(vm, map, va, faultType);
  if (typeof fs === "string") return fs;
  const thread = vm.thread;
  assert(!vm.faults.has(thread), () => `vm_fault: thread ${thread} already has a fault in progress`);
  vm.faults.set(thread, fs);
  try {
    const walked = yield* faultChainWalk(vm, fs, va, faultFlags);
    if (walked !== null) return walked;
    faultBackingPage(vm, fs);
    const revalidated = faultRevalidate(vm, fs, va, faultType);
    if (revalidated !== null) return revalidated;
    faultInstall(vm, fs, va, faultFlags);
    return "KERN_SUCCESS";
  } finally {
    vm.faults.delete(thread);
  }
}

/** D:207-269: the lookup, the first object's reference and paging count, the wired override. */
function faultLookup(vm: Vm, map: VmMap, va: number, faultType: number): FaultState | FaultStatus {
  const looked = vmMapLookup(vm, map, va, faultType); // D:208
  if (looked.status !== "KERN_SUCCESS") {
    vm.coverage.hit("fault.lookupFailure");
    return looked.status; // D:211-214
  }
  const mapGeneration = map.timestamp; // D:239
  vmObjectReference(looked.object); // D:256
  pipAdd(looked.object); // D:258
  let effectiveType: ProtectionBits = looked.faultType;
  if (looked.wired) effectiveType = looked.prot; // D:268-269
  return new State(map, looked.entry, looked.object, looked.pindex, looked.prot, looked.wired, effectiveType, mapGeneration);
}
