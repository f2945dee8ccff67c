//! Threads and the deterministic scheduler, for any kernel whose paths are generators that
//! yield at their sleep points (docs/seeds.md: sleep sites). Thread 0 runs ordinary
//! commands; threads 1..MAX_THREADS run the operations `start` hands them:
//!
//!   start T op   T runs op until it completes or parks at its first sleep point
//!   resume T     T, parked, runs on until it parks again or completes
//!   other        thread 0 runs the command to completion
//!
//! The schedule is data: nothing runs unless a command says so. What a parked thread holds
//! (a BUSY page, a map it keeps across its sleep) can block another thread; the blocked
//! thread then runs the holder until it lets go (priority inheritance), so an ordinary
//! command always completes, and a `resume` always lets its thread move. `exit` first lets
//! the process's own threads leave the kernel, as exit1 does.
//!
//! What a sleep waits for, and what may not be held across one, is the kernel's: a subclass
//! says how to `settle` a point (run whoever holds what it waits for) and checks its sleep
//! discipline. Checked here: a wait that nobody can end is a deadlock; a thread that sleeps
//! more than `livenessBound` times while no other operation completes is a liveness failure.
//! Completions are collected for the checker, which must explain each by one atomic model
//! step inside the operation's window (linearizability).

import { AssertionFailure, LivenessFailure } from "../vocabulary/assert.ts";
import { type Command, MAX_THREADS, type Start, type ThreadOperation, threadOperationKinds } from "../vocabulary/command.ts";
import { error, ok, type Outcome } from "../vocabulary/outcome.ts";
import type { ParkedThread, ThreadCompletion } from "../vocabulary/system-under-test.ts";
import { type Pid, type ThreadId, threadId } from "../vocabulary/units.ts";

const MAIN_THREAD = threadId(0);

/** A sleep point: at least the site, as the seed names it. */
export interface Sleep {
  readonly site: string;
}

/** The scheduler's own counters, which every threaded kernel keeps. */
export type ThreadEvent = "thread.started" | "thread.resumed" | "thread.parked";

interface KernelThread<Point extends Sleep> {
  readonly id: ThreadId;
  readonly operation: ThreadOperation;
  /** The process the thread belongs to, or null for a file or loan operation. */
  readonly pid: Pid | null;
  readonly path: Generator<Point, Outcome, undefined>;
  /** Where it sleeps, or null while it runs. */
  parkedAt: Point | null;
  /** Sleeps since another operation last completed. */
  sleeps: number;
}

export abstract class ThreadScheduler<Point extends Sleep> {
  private readonly threads = new Map<ThreadId, KernelThread<Point>>();
  private completions: ThreadCompletion[] = [];

  constructor(private readonly livenessBound: number) {}

  /** The kernel path of `command`, run on the current thread. */
  protected abstract path(command: Command): Generator<Point, Outcome, undefined>;
  /** Makes `thread` the running thread; returns the one that was running. */
  protected abstract switchTo(thread: ThreadId): ThreadId;
  protected abstract hit(event: ThreadEvent): void;
  /** Requires: `waiter` is the running thread, about to continue after `point`. Ensures: what it waited for is there (`runBlocker` runs a holder one slice). */
  protected abstract settle(waiter: ThreadId, point: Point): void;
  /** Throws when `thread` may not sleep at `point` with what it holds. */
  protected abstract checkSleepDiscipline(thread: ThreadId, point: Point): void;

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
  sleepOf(thread: ThreadId): Point | null {
    return this.threads.get(thread)?.parkedAt ?? null;
  }

  private start(command: Start): Outcome {
    const id = command.thread;
    const valid = Number.isInteger(id) && id >= 1 && id <= MAX_THREADS && threadOperationKinds.includes(command.operation?.kind);
    if (!valid || this.threads.has(id)) return error("EINVAL");
    const operation = command.operation;
    const pid = "pid" in operation ? operation.pid : null;
    const thread: KernelThread<Point> = { id, operation, pid, path: this.path(operation), parkedAt: null, sleeps: 0 };
    this.threads.set(id, thread);
    this.hit("thread.started");
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
    const path = this.path(command);
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
  private drive(thread: KernelThread<Point>): void {
    const previous = this.switchTo(thread.id);
    try {
      const point = thread.parkedAt;
      if (point !== null) {
        thread.parkedAt = null;
        this.hit("thread.resumed");
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
      this.hit("thread.parked");
      if (thread.sleeps > this.livenessBound) {
        throw new LivenessFailure(
          `thread ${thread.id} (${thread.operation.kind}) slept ${thread.sleeps} times with no other operation completing (last at ${step.value.site})`,
        );
      }
    } finally {
      this.switchTo(previous);
    }
  }

  /** Another operation completed: every thread's count of sleeps without progress starts over. */
  private progress(by: ThreadId): void {
    for (const thread of this.threads.values()) if (thread.id !== by) thread.sleeps = 0;
  }

  /** Runs `holder` for one slice on behalf of `waiter` (priority inheritance). A holder that cannot run is a deadlock. */
  protected runBlocker(waiter: ThreadId, point: Point, holder: ThreadId | null, what: string): void {
    const thread = holder === null ? undefined : this.threads.get(holder);
    if (thread === undefined || thread.parkedAt === null || holder === waiter) {
      throw new AssertionFailure(`deadlock: thread ${waiter} waits at ${point.site} for ${what}, held by thread ${holder}, which cannot run`);
    }
    this.drive(thread);
  }
}
