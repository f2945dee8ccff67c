//! UVM's threads (docs/seeds.md: sleep sites): the deterministic scheduler of
//! impl/thread-scheduler.ts over the UVM kernel, whose paths yield at the sleep points of
//! impl/uvm/sleep.ts.
//!
//! What happens at a sleep when the thread is resumed:
//!
//!   io, pause     nothing: the I/O is done, the pause is over
//!   memoryWait    the page daemon runs first (uvm_wait woke it)
//!   pageWait      the page's busier runs until the page is no longer BUSY
//!   disposalWait  the anon's disposer runs until the anon has let go of its page
//!   readersWait   the threads reading through a loan run until they are done with it
//!   lockWait      the lock's holders run until the map can be locked
//!
//! Checked as they happen: no lock is held across a sleep except map locks where the point
//! says the seed keeps them (`sleep-with-lock`).

import { LockDisciplineFailure } from "../vocabulary/assert.ts";
import type { Command } from "../vocabulary/command.ts";
import type { Outcome } from "../vocabulary/outcome.ts";
import type { ThreadId } from "../vocabulary/units.ts";
import type { Kernel } from "./kernel.ts";
import { type ThreadEvent, ThreadScheduler } from "./thread-scheduler.ts";
import { describeSite, MapLock } from "./uvm/lock.ts";
import { freeTarget, runPageDaemon } from "./uvm/page-daemon.ts";
import { SLEEP_LIMIT, type SleepPoint, type Sleepy } from "./uvm/sleep.ts";
import type { Uvm } from "./uvm/uvm.ts";

export class Scheduler extends ThreadScheduler<SleepPoint> {
  constructor(
    private readonly uvm: Uvm,
    private readonly kernel: Kernel,
    livenessBound: number = SLEEP_LIMIT,
  ) {
    super(livenessBound);
  }

  protected path(command: Command): Sleepy<Outcome> {
    return this.kernel.apply(command);
  }

  protected switchTo(thread: ThreadId): ThreadId {
    return this.uvm.switchTo(thread);
  }

  protected hit(event: ThreadEvent): void {
    this.uvm.coverage.hit(event);
  }

  protected settle(waiter: ThreadId, point: SleepPoint): void {
    switch (point.kind) {
      case "io":
      case "pause":
        return;
      case "memoryWait":
        runPageDaemon(this.uvm, freeTarget(this.uvm));
        return;
      case "pageWait":
        while (point.page.busy && point.page.busyEpoch === point.epoch) this.runBlocker(waiter, point, point.page.busyOwner, point.page.describe());
        return;
      case "disposalWait":
        while (point.anon.page !== null) this.runBlocker(waiter, point, point.anon.disposer, point.site);
        return;
      case "readersWait":
        while (point.readers.length > 0) this.runBlocker(waiter, point, point.readers[0]!, point.site);
        return;
      case "lockWait":
        for (;;) {
          const blockers = point.lock.blockers(waiter, point.write);
          if (blockers.length === 0) return;
          this.runBlocker(waiter, point, blockers[0]!, point.lock.name);
        }
    }
  }

  /** A sleeping thread holds no mutex, and map locks only where the seed keeps them. */
  protected checkSleepDiscipline(thread: ThreadId, point: SleepPoint): void {
    const keepsMaps = (point.kind === "pause" || point.kind === "memoryWait") && point.keepsMaps === true;
    for (const lock of this.uvm.held) {
      if (lock instanceof MapLock && keepsMaps) continue;
      const site = lock instanceof MapLock ? lock.siteOf(thread) : lock.site;
      throw new LockDisciplineFailure("sleep-with-lock", `thread ${thread} sleeps at ${point.site} holding ${lock.name}, acquired at ${describeSite(site)}`);
    }
  }
}
