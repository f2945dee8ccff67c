//! Threads and the deterministic scheduler (docs/seeds.md: sleep sites).
//!
//! Every kernel path is a generator that yields at its sleep points (uvm/sleep.ts). Thread 0
//! runs ordinary commands; threads 1..MAX_THREADS run the operations `start` hands them:
//!
//!   start T op   T runs op until it completes or parks at its first sleep point
//!   resume T     T, parked, runs on until it parks again or completes
//!   other        thread 0 runs the command to completion
//!
//! The schedule is data: nothing runs unless a command says so. What a parked thread holds
//! (a BUSY page, a map lock the seed keeps across its sleep) can block another thread; the
//! blocked thread then runs the holder until it lets go (priority inheritance), so an
//! ordinary command always completes, and a `resume` always lets its thread move. `exit`
//! first lets the process's own threads leave the kernel, as exit1 does.
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
//! Checked here, as they happen: no lock is held across a sleep except map locks where the
//! point says the seed keeps them (`sleep-with-lock`); a wait that nobody can end is a
//! deadlock; a thread that sleeps more than `livenessBound` times while no other operation
//! completes is a liveness failure. Completions are collected for the checker, which must
//! explain each by one atomic model step inside the operation's window (linearizability).

import { AssertionFailure, LivenessFailure, LockDisciplineFailure } from "../vocabulary/assert.ts";
import { type Command, MAX_THREADS, type Start, type ThreadOperation, threadOperationKinds } from "../vocabulary/command.ts";
import { error, ok, type Outcome } from "../vocabulary/outcome.ts";
import type { ParkedThread, ThreadCompletion } from "../vocabulary/system-under-test.ts";
import { type Pid, type ThreadId, threadId } from "../vocabulary/units.ts";
import type { Kernel } from "./kernel.ts";
import { describeSite, MapLock } from "./uvm/lock.ts";
import { freeTarget, runPageDaemon } from "./uvm/page-daemon.ts";
import { SLEEP_LIMIT, type SleepPoint, type Sleepy } from "./uvm/sleep.ts";
import type { Uvm } from "./uvm/uvm.ts";

const MAIN_THREAD = threadId(0);

interface KernelThread {
  readonly id: ThreadId;
  readonly operation: ThreadOperation;
  /** The process the thread belongs to, or null for a file or loan operation. */
  readonly pid: Pid | null;
  readonly path: Sleepy<Outcome>;
  /** Where it sleeps, or null while it runs. */
  parkedAt: SleepPoint | null;
  /** Sleeps since another operation last completed. */
  sleeps: number;
}

export class Scheduler {
  private readonly threads = new Map<ThreadId, KernelThread>();
  private completions: ThreadCompletion[] = [];

  constructor(
    private readonly uvm: Uvm,
    private readonly kernel: Kernel,
    private readonly livenessBound: number = SLEEP_LIMIT,
  ) {}

  apply(command: Command): Outcome {
    switch (command.kind) {
      case "start":
        return this.start(command);
      case "resume":
        return this.resume(command.thread);
      case "exit":
        this.finishThreadsOf(command.pid);
        return this.runOnMain(command);
      default:
        return this.runOnMain(command);
    }
  }

  /** The operations that completed since the last call, in completion order. */
  drainCompletions(): ThreadCompletion[] {
    const completions = this.completions;
    this.completions = [];
    return completions;
  }

  /** The parked threads, by increasing id, and where each sleeps. */
  parked(): ParkedThread[] {
    return [...this.threads.values()]
      .filter((thread) => thread.parkedAt !== null)
      .sort((a, b) => a.id - b.id)
      .map((thread) => ({ thread: thread.id, operation: thread.operation, site: thread.parkedAt!.site }));
  }

  /** Where `thread` sleeps, or null if it is not parked. */
  sleepOf(thread: ThreadId): SleepPoint | null {
    return this.threads.get(thread)?.parkedAt ?? null;
  }

  private start(command: Start): Outcome {
    const id = command.thread;
    const valid = Number.isInteger(id) && id >= 1 && id <= MAX_THREADS && threadOperationKinds.includes(command.operation?.kind);
    if (!valid || this.threads.has(id)) return error("EINVAL");
    const operation = command.operation;
    const pid = "pid" in operation ? operation.pid : null;
    const thread: KernelThread = { id, operation, pid, path: this.kernel.apply(operation), parkedAt: null, sleeps: 0 };
    this.threads.set(id, thread);
    this.uvm.coverage.hit("thread.started");
    this.drive(thread);
    return ok;
  }

  private resume(id: ThreadId): Outcome {
    const thread = this.threads.get(id);
    if (thread === undefined || thread.parkedAt === null) return error("EINVAL");
    this.drive(thread);
    return ok;
  }

  /** exit1: the process's threads leave the kernel (each runs to completion) before it exits. */
  private finishThreadsOf(pid: Pid): void {
    for (const thread of [...this.threads.values()]) {
      while (thread.pid === pid && this.threads.has(thread.id)) this.drive(thread);
    }
  }

  /** Thread 0 runs `command` to completion, running whoever it waits for. */
  private runOnMain(command: Command): Outcome {
    const path = this.kernel.apply(command);
    for (let sleeps = 0; ; sleeps++) {
      const step = path.next();
      if (step.done === true) {
        if (sleeps > 0 || this.threads.size > 0) this.progress(MAIN_THREAD);
        return step.value;
      }
      if (sleeps >= this.livenessBound) throw new LivenessFailure(`no progress after ${this.livenessBound} sleeps (last at ${step.value.site})`);
      this.checkSleepDiscipline(MAIN_THREAD, step.value);
      this.settle(MAIN_THREAD, step.value);
    }
  }

  /** Runs `thread` until it parks again or completes. */
  private drive(thread: KernelThread): void {
    const previous = this.uvm.switchTo(thread.id);
    try {
      const point = thread.parkedAt;
      if (point !== null) {
        thread.parkedAt = null;
        this.uvm.coverage.hit("thread.resumed");
        this.settle(thread.id, point);
      }
      const step = thread.path.next();
      if (step.done === true) {
        this.threads.delete(thread.id);
        this.completions.push({ thread: thread.id, operation: thread.operation, outcome: step.value });
        this.progress(thread.id);
        return;
      }
      this.checkSleepDiscipline(thread.id, step.value);
      thread.parkedAt = step.value;
      thread.sleeps++;
      this.uvm.coverage.hit("thread.parked");
      if (thread.sleeps > this.livenessBound) {
        throw new LivenessFailure(
          `thread ${thread.id} (${thread.operation.kind}) slept ${thread.sleeps} times with no other operation completing (last at ${step.value.site})`,
        );
      }
    } finally {
      this.uvm.switchTo(previous);
    }
  }

  /** Another operation completed: every thread's count of sleeps without progress starts over. */
  private progress(by: ThreadId): void {
    for (const thread of this.threads.values()) if (thread.id !== by) thread.sleeps = 0;
  }

  /** Requires: `waiter` is the running thread, about to continue after `point`. Ensures: what it waited for is there. */
  private settle(waiter: ThreadId, point: SleepPoint): void {
    switch (point.kind) {
      case "io":
      case "pause":
        return;
      case "memoryWait":
        runPageDaemon(this.uvm, freeTarget(this.uvm));
        return;
      case "pageWait":
        while (point.page.busy) this.runBlocker(waiter, point, point.page.busyOwner);
        return;
      case "disposalWait":
        while (point.anon.page !== null) this.runBlocker(waiter, point, point.anon.disposer);
        return;
      case "readersWait":
        while (point.readers.length > 0) this.runBlocker(waiter, point, point.readers[0]!);
        return;
      case "lockWait":
        for (;;) {
          const blockers = point.lock.blockers(waiter, point.write);
          if (blockers.length === 0) return;
          this.runBlocker(waiter, point, blockers[0]!);
        }
    }
  }

  /** Runs `holder` for one slice on behalf of `waiter` (priority inheritance). A holder that cannot run is a deadlock. */
  private runBlocker(waiter: ThreadId, point: SleepPoint, holder: ThreadId | null): void {
    const thread = holder === null ? undefined : this.threads.get(holder);
    if (thread === undefined || thread.parkedAt === null || holder === waiter) {
      const what = point.kind === "pageWait" ? point.page.describe() : point.kind === "lockWait" ? point.lock.name : point.site;
      throw new AssertionFailure(`deadlock: thread ${waiter} waits at ${point.site} for ${what}, held by thread ${holder}, which cannot run`);
    }
    this.drive(thread);
  }

  /** A sleeping thread holds no mutex, and map locks only where the seed keeps them. */
  private checkSleepDiscipline(thread: ThreadId, point: SleepPoint): void {
    const keepsMaps = (point.kind === "pause" || point.kind === "memoryWait") && point.keepsMaps === true;
    for (const lock of this.uvm.held) {
      if (lock instanceof MapLock && keepsMaps) continue;
      const site = lock instanceof MapLock ? lock.siteOf(thread) : lock.site;
      throw new LockDisciplineFailure("sleep-with-lock", `thread ${thread} sleeps at ${point.site} holding ${lock.name}, acquired at ${describeSite(site)}`);
    }
  }
}
