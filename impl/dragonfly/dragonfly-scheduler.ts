//! DragonFly's threads: the deterministic scheduler of impl/thread-scheduler.ts over the
//! DragonFly kernel, whose paths yield at the sleep points of vm-sleep.ts.
//!
//! What happens at a sleep when the thread is resumed:
//!
//!   io              nothing: the read is done (the path reads after the sleep)
//!   memoryWait      nothing here: the path runs the page daemon (VM_WAIT) after the sleep
//!   pageWait        the page's busier runs until the page is no longer BUSY
//!   transitionWait  the mlock that has the map in transition runs until it is done
//!
//! Checked as they happen: a fault sleeps without the map (`lookupStillValid` false); the
//! seed lets go of it before every sleep of vm_fault (D:313, D:368, D:478).

import { LockDisciplineFailure } from "../../vocabulary/assert.ts";
import type { Command } from "../../vocabulary/command.ts";
import type { Outcome } from "../../vocabulary/outcome.ts";
import type { ThreadId } from "../../vocabulary/units.ts";
import { type ThreadEvent, ThreadScheduler } from "../thread-scheduler.ts";
import type { DragonflyKernel } from "./kernel.ts";
import type { DragonflySleep, Sleepy } from "./vm-sleep.ts";
import type { Vm } from "./vm.ts";

export class DragonflyScheduler extends ThreadScheduler<DragonflySleep> {
  constructor(
    private readonly vm: Vm,
    private readonly kernel: DragonflyKernel,
    livenessBound: number,
  ) {
    super(livenessBound);
  }

  protected path(command: Command): Sleepy<Outcome> {
    return this.kernel.apply(command);
  }

  protected switchTo(thread: ThreadId): ThreadId {
    return this.vm.switchTo(thread);
  }

  protected hit(event: ThreadEvent): void {
    this.vm.coverage.hit(event);
  }

  protected settle(waiter: ThreadId, point: DragonflySleep): void {
    switch (point.kind) {
      case "io":
      case "memoryWait":
        return;
      case "pageWait":
        while (point.page.busy && point.page.busyEpoch === point.epoch) this.runBlocker(waiter, point, point.page.busyOwner, point.page.describe());
        return;
      case "transitionWait":
        while (point.map.transitionOwner !== null && point.map.transitionOwner !== waiter)
          this.runBlocker(waiter, point, point.map.transitionOwner, `${point.map.name} in transition`);
    }
  }

  protected checkSleepDiscipline(thread: ThreadId, point: DragonflySleep): void {
    const fault = this.vm.faults.get(thread);
    if (fault?.lookupStillValid === true)
      throw new LockDisciplineFailure("sleep-with-lock", `thread ${thread} sleeps at ${point.site} holding ${fault.map.name} (lookup_still_valid)`);
  }
}
