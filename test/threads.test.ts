// Threads: the scheduler (parking, resuming, priority inheritance, exit, liveness, lock
// discipline at sleep points), the scheduling policies, the lock-order checker, and the
// linearizability checker, each on scripted histories.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { produce } from "immer";
import { beforeAll, describe, expect, it } from "vitest";
import type { Kernel } from "../impl/kernel.ts";
import { Scheduler } from "../impl/scheduler.ts";
import { type LockContext, Mutex, mutexEnter, mutexExit, mutexTryEnter } from "../impl/uvm/lock.ts";
import type { SleepPoint, Sleepy } from "../impl/uvm/sleep.ts";
import type { Uvm } from "../impl/uvm/uvm.ts";
import { observe } from "../model/observe.ts";
import { parseCounterexample } from "../properties/counterexample-files/counterexample-file.ts";
import { replayCommands, setupFromFile } from "../properties/counterexample-files/replay.ts";
import { uvmSystem } from "../systems/uvm.ts";
import { prepareUvmVariants } from "./support/variants.ts";
import { initialState, type ModelState } from "../model/state.ts";
import { step } from "../model/step.ts";
import { configurationKey } from "../properties/checking/configurations.ts";
import { Linearizer } from "../properties/checking/linearizer.ts";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import { ThreadChooser } from "../properties/generation/schedule.ts";
import { LivenessFailure, LockDisciplineFailure } from "../vocabulary/assert.ts";
import type { Command, ThreadOperation } from "../vocabulary/command.ts";
import type { Observation } from "../vocabulary/observation.ts";
import { error, ok, type Outcome, value } from "../vocabulary/outcome.ts";
import { type ThreadId, threadId } from "../vocabulary/units.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import { check } from "./support/check.ts";
import * as c from "./support/commands.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

describe("threads on the UVM system", () => {
  it("a read parked in the vnode read completes inside the write that waits for its page, with the old value", () => {
    const run = check([c.mmapFile(1, 1, 0, 0, { sharing: "shared" }), c.start(1, c.read(1, 0)), c.fileWrite(0, 0, 7), c.read(1, 0)]);
    expect(run.violation).toBeNull();
    expect(run.outcomes).toEqual(["=0", "ok", "ok", "=7"]);
    expect(run.completions[2]).toEqual(["thread 1: =1000"]);
  });

  it("a map change while a fault sleeps makes its relock fail, and the fault starts over", () => {
    const run = check([c.mmapFile(1, 1, 0, 0), c.start(1, c.read(1, 0)), c.mprotect(1, 0, 1, "rw"), c.resume(1)]);
    expect(run.violation).toBeNull();
    expect(run.completions[3]).toEqual(["thread 1: =1000"]);
    expect(run.system.coverage().get("restart.relockFailed")).toBe(1);
  });

  it("an munmap under a sleeping read: the read starts over and finds nothing mapped (EFAULT)", () => {
    const run = check([c.mmapFile(1, 1, 0, 0), c.start(1, c.read(1, 0)), c.munmap(1, 0, 1), c.resume(1)]);
    expect(run.violation).toBeNull();
    expect(run.completions[3]).toEqual(["thread 1: EFAULT"]);
  });

  it("an anon freed while a fault swaps it in: the page is RELEASED and freed by the fault, which starts over", () => {
    const run = check([c.mmapAnon(1, 1), c.write(1, 0, 5), c.pageout(12), c.start(1, c.read(1, 0)), c.munmap(1, 0, 1), c.resume(1)], { heal: true });
    expect(run.violation).toBeNull();
    expect(run.completions[5]).toEqual(["thread 1: EFAULT"]);
    expect(run.system.coverage().get("restart.pageReleased")).toBe(1);
  });

  it("exit lets the process's own threads leave the kernel first", () => {
    const run = check([c.mmapFile(1, 1, 0, 0), c.spawn(), c.mmapFile(2, 1, 0, 0), c.start(1, c.read(2, 0)), c.exit(2)]);
    expect(run.violation).toBeNull();
    expect(run.completions[4]).toEqual(["thread 1: =1000"]);
  });

  it("start on a busy thread and resume of a thread that is not parked are EINVAL, for the model too", () => {
    const run = check([c.mmapFile(1, 1, 0, 0), c.start(1, c.read(1, 0)), c.start(1, c.read(1, 0)), c.resume(2), c.resume(1), c.resume(1)]);
    expect(run.violation).toBeNull();
    expect(run.outcomes).toEqual(["=0", "ok", "EINVAL", "EINVAL", "ok", "EINVAL"]);
  });

  it("a read that spins on a page BUSY in another thread's swap-in is a liveness failure after the world's bound", () => {
    const spin = [c.mmapAnon(1, 1), c.write(1, 0, 1), c.pageout(12), c.start(1, c.write(1, 0, 2)), c.read(1, 0)];
    const run = check(spin, { variant: "canary-busy-page-spin", world: { ...defaultWorld, livenessBound: 7 } });
    expect(run.violation?.check).toBe("liveness");
    expect(run.violation?.message).toMatch(/no progress after 7 sleeps \(last at U4 anonget busy page \(retry\)\)/);
    const correct = check(spin);
    expect(correct.violation).toBeNull();
    expect(correct.completions[4]).toEqual(["thread 1: ok"]);
  });

  it("a loan that meets a borrower whose disposal sleeps in uvm_anon_lockloanpg waits for it, then lends through a new anon", () => {
    const race = [
      c.shmget(1),
      c.shmat(1, 1),
      c.loan(1, 0, 1, "anon"), // O->A: anon 1 borrows the aobj page
      c.failNext("lockContention"),
      c.start(1, c.unloan(1)), // anon 1 dies; its disposal backs off in lockloanpg, anon unlocked
      c.loan(1, 0, 1, "anon"),
      c.write(1, 0, 7), // breaks the object's loan: the lent page becomes an orphan
      c.loanRead(2, 0),
    ];
    const run = check(race, { heal: true });
    expect(run.violation).toBeNull();
    expect(run.system.coverage().get("loan.awaitDisposal")).toBe(1);
    expect(run.completions[5]).toEqual(["thread 1: ok"]); // the disposal finished before the loan went on
    expect(run.outcomes.slice(5)).toEqual(["=2", "ok", "=0"]);
    const seed = check(race, { heal: true, variant: "seed-loan-revives-dying-anon" });
    expect(seed.violation?.check).toBe("assertion");
  });

  it("the heal phase resumes every parked thread before it exits the processes", () => {
    const run = check([c.mmapFile(1, 2, 0, 0), c.start(1, c.read(1, 0)), c.start(2, c.read(1, 1))], { heal: true });
    expect(run.violation).toBeNull();
    expect(run.runner.pendingThreads()).toEqual([]);
  });
});

/** A kernel whose every operation is the given path (the scheduler only calls `apply`). */
function stubKernel(path: () => Sleepy<Outcome>): Kernel {
  return { apply: () => path() } as unknown as Kernel;
}

/** Just enough of a Uvm for the scheduler: thread switching, coverage, held locks. */
function stubUvm(): Uvm {
  const held = new Map<ThreadId, Set<Mutex>>();
  const uvm = {
    thread: threadId(0),
    held: new Set<Mutex>(),
    recordLockSites: true,
    coverage: { hit: () => {} },
    switchTo(thread: ThreadId) {
      const previous = uvm.thread;
      held.set(previous, uvm.held);
      uvm.thread = thread;
      uvm.held = held.get(thread) ?? new Set();
      return previous;
    },
  };
  return uvm as unknown as Uvm;
}

const aRead = { kind: "read", pid: 1, va: 0, word: 0 } as unknown as ThreadOperation;
const pause: SleepPoint = { kind: "pause", site: "test pause" };

describe("the scheduler", () => {
  it("reports a liveness failure for an operation that sleeps without end while nothing else completes", () => {
    const scheduler = new Scheduler(
      stubUvm(),
      stubKernel(function* () {
        for (;;) yield pause;
      }),
      5,
    );
    expect(scheduler.apply({ kind: "start", thread: threadId(1), operation: aRead })).toEqual(ok);
    for (let resumes = 0; resumes < 4; resumes++) scheduler.apply({ kind: "resume", thread: threadId(1) });
    expect(() => scheduler.apply({ kind: "resume", thread: threadId(1) })).toThrow(LivenessFailure);
  });

  it("counts sleeps from the last time another operation completed", () => {
    let calls = 0;
    const uvm = stubUvm();
    const scheduler = new Scheduler(
      uvm,
      stubKernel(function* () {
        if (calls++ === 0) for (;;) yield pause;
        return value(1);
      }),
      3,
    );
    scheduler.apply({ kind: "start", thread: threadId(1), operation: aRead });
    for (let round = 0; round < 10; round++) {
      scheduler.apply({ kind: "resume", thread: threadId(1) });
      scheduler.apply({ kind: "start", thread: threadId(2), operation: aRead }); // completes at once: progress
    }
    expect(scheduler.parked().map((parked) => parked.thread)).toEqual([1]);
  });

  it("reports a lock held across a sleep, naming where it was taken", () => {
    const uvm = stubUvm();
    const lock = new Mutex("object vnode0", "uobj");
    const scheduler = new Scheduler(
      uvm,
      stubKernel(function* () {
        mutexEnter(uvm, lock);
        yield pause;
        mutexExit(uvm, lock);
        return ok;
      }),
    );
    let failure: unknown = null;
    try {
      scheduler.apply({ kind: "start", thread: threadId(1), operation: aRead });
    } catch (thrown) {
      failure = thrown;
    }
    expect(failure).toBeInstanceOf(LockDisciplineFailure);
    expect((failure as LockDisciplineFailure).rule).toBe("sleep-with-lock");
    expect((failure as Error).message).toMatch(/thread 1 sleeps at test pause holding object vnode0, acquired at .*threads\.test\.ts/);
  });
});

describe("the lock-order checker", () => {
  const context = (recordLockSites = true): LockContext => ({ thread: threadId(1), held: new Set(), recordLockSites });

  it("refuses an amap lock taken while an object lock is held, naming both sites", () => {
    const locks = context();
    const object = new Mutex("object vnode0", "uobj");
    const amap = new Mutex("amap 1", "amap");
    mutexEnter(locks, object);
    expect(() => mutexEnter(locks, amap)).toThrow(
      /acquires amap 1 \(amap\) at .*threads\.test\.ts.* while holding object vnode0 \(uobj\), acquired at .*threads\.test\.ts/,
    );
  });

  it("captures no site unless asked (a campaign's runs), and says a replay shows them", () => {
    const locks = context(false);
    mutexEnter(locks, new Mutex("object vnode0", "uobj"));
    expect(() => mutexEnter(locks, new Mutex("amap 1", "amap"))).toThrow(
      "thread 1 acquires amap 1 (amap) at a site not recorded (replay the counterexample to see it) while holding object vnode0 (uobj), acquired at a site not recorded",
    );
  });

  it("accepts the global order, equal ranks, and try-locks against the order", () => {
    const locks = context();
    const pageq = new Mutex("uvm_pageqlock", "pageq");
    const object = new Mutex("object vnode0", "uobj");
    mutexEnter(locks, new Mutex("amap 1", "amap"));
    mutexEnter(locks, new Mutex("amap 2", "amap"));
    mutexEnter(locks, pageq);
    expect(mutexTryEnter(locks, object)).toBe(true);
  });
});

describe("scheduling policies", () => {
  const pending = [threadId(1), threadId(2), threadId(3)];

  it("uniform picks by the generated choice", () => {
    const chooser = new ThreadChooser({ kind: "uniform" });
    expect([0, 1, 2, 3].map((pick) => chooser.choose(pending, pick, 0))).toEqual([1, 2, 3, 1]);
  });

  it("PCT runs the highest priority, and at a change point the thread just run drops below all", () => {
    const chooser = new ThreadChooser({ kind: "pct", priorities: [0, 2, 3, 1], changePoints: [5] });
    expect(chooser.choose(pending, 0, 1)).toBe(2);
    expect(chooser.choose(pending, 9, 2)).toBe(2);
    expect(chooser.choose(pending, 0, 5)).toBe(1);
    expect(chooser.choose([threadId(1), threadId(3)], 0, 6)).toBe(1);
  });
});

/** Drives a Linearizer by hand: each command's outcome as given, completions as given. */
class History {
  readonly linearizer: Linearizer;

  constructor() {
    this.linearizer = new Linearizer(initialState(defaultWorld), exhaustibleMemory.allowedCauses);
  }

  run(command: Command, outcome: Outcome): this {
    const prepared = this.linearizer.prepare(command);
    expect(this.linearizer.commit(prepared, outcome), `the model allows ${JSON.stringify(outcome)} for ${command.kind}`).toBe(true);
    return this;
  }

  complete(thread: number, operation: Command, outcome: Outcome): string | null {
    return this.linearizer.complete({ thread: threadId(thread), operation: operation as ThreadOperation, outcome });
  }
}

/** The model's state after `commands`, each taking its first allowed outcome. */
function modelAfter(commands: readonly Command[]): ModelState {
  let state = initialState(defaultWorld);
  for (const command of commands) state = step(state, command).allowed[0]!.state;
  return state;
}

describe("the linearizability checker", () => {
  const mapping = c.mmapFile(1, 1, 0, 0, { sharing: "shared" });

  it("lets a read that overlaps a write return either value, and nothing else", () => {
    for (const [returned, accepted] of [
      [1000, true],
      [7, true],
      [5, false],
    ] as const) {
      const history = new History()
        .run(mapping, value(0))
        .run(c.start(1, c.read(1, 0)), ok)
        .run(c.fileWrite(0, 0, 7), ok);
      const problem = history.complete(1, c.read(1, 0), value(returned));
      expect(problem === null, `a read returning ${returned}`).toBe(accepted);
    }
  });

  it("explains two racing writes to one page by one order or the other, never by neither", () => {
    const both = (final: number) => {
      const history = new History()
        .run(c.mmapAnon(1, 1), value(0))
        .run(c.start(1, c.write(1, 0, 1)), ok)
        .run(c.start(2, c.write(1, 0, 2)), ok);
      expect(history.complete(1, c.write(1, 0, 1), ok)).toBeNull();
      expect(history.complete(2, c.write(1, 0, 2), ok)).toBeNull();
      const seen: Observation = observe(modelAfter([c.mmapAnon(1, 1), c.write(1, 0, final)]));
      return history.linearizer.observe(seen);
    };
    expect(both(1)).toBeNull();
    expect(both(2)).toBeNull();
    expect(both(3)).not.toBeNull();
  });

  it("lets a loan that overlaps a write hold either snapshot", () => {
    const setup = [c.mmapAnon(1, 1), c.write(1, 0, 1)];
    const snapshot = (words: number) => {
      const history = new History()
        .run(setup[0]!, value(0))
        .run(setup[1]!, ok)
        .run(c.start(1, c.loan(1, 0, 1, "kernel")), ok)
        .run(c.write(1, 0, 2), ok);
      expect(history.complete(1, c.loan(1, 0, 1, "kernel"), value(1))).toBeNull();
      const seen = observe(modelAfter([...setup, c.write(1, 0, 2)]));
      const withLoan = produce(seen, (draft) => {
        draft.loans.push({ handle: 1 as never, to: "kernel", pages: [[words, 0, 0, 0]] });
      });
      return history.linearizer.observe(withLoan);
    };
    expect(snapshot(1)).toBeNull();
    expect(snapshot(2)).toBeNull();
    expect(snapshot(9)).not.toBeNull();
  });

  it("refuses a completion no instant of the window explains", () => {
    const history = new History().run(mapping, value(0)).run(c.start(1, c.read(1, 0)), ok);
    expect(history.complete(1, c.read(1, 0), error("EFAULT"))).toMatch(/at every instant since it started the model allows only =1000/);
  });
});

describe("configuration keys", () => {
  const world = defaultWorld;
  const key = (state: ModelState) => configurationKey({ state, promised: new Map() });
  const mapped = step(initialState(world), c.mmapAnon(1, 2)).allowed[0]!.state;

  it("are equal for equal states built apart, and differ where the contents differ", () => {
    const again = step(initialState(world), c.mmapAnon(1, 2)).allowed[0]!.state;
    expect(again).not.toBe(mapped);
    expect(key(again)).toBe(key(mapped));
    const written = step(mapped, c.write(1, 0, 7)).allowed[0]!.state;
    const other = step(mapped, c.write(1, 0, 8)).allowed[0]!.state;
    expect(key(written)).not.toBe(key(mapped));
    expect(key(written)).not.toBe(key(other));
    expect(key(step(mapped, c.write(1, 0, 7)).allowed[0]!.state)).toBe(key(written));
  });

  it("tell apart what JSON tells apart: a field's name, an array's order, a missing field", () => {
    const base = mapped;
    const variants = [
      produce(base, (draft) => {
        (draft as { extra?: number }).extra = 1;
      }),
      produce(base, (draft) => {
        (draft as { extra?: string }).extra = "1";
      }),
      produce(base, (draft) => {
        (draft as { extra?: number[] }).extra = [1, 2];
      }),
      produce(base, (draft) => {
        (draft as { extra?: number[] }).extra = [2, 1];
      }),
      produce(base, (draft) => {
        (draft as { other?: number }).other = 1;
      }),
    ];
    const keys = [base, ...variants].map(key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(key({ ...base, extra: undefined } as ModelState)).toBe(key(base));
  });
});

describe("lock sites on replay", () => {
  beforeAll(() => prepareUvmVariants(["canary-lock-order"]));

  it("a replayed counterexample names where each lock was taken (a campaign's runs do not capture them)", () => {
    const path = join(import.meta.dirname, "..", "counterexamples", "canary-lock-order-lock-order-1.json");
    const file = parseCounterexample(readFileSync(path, "utf8"), path);
    const violation = replayCommands(setupFromFile(file, uvmSystem), file.commands).violation;
    expect(violation?.check).toBe("lock-order");
    expect(violation?.message).toMatch(/acquires amap 1 \(amap\) at faultLowerIo \(impl\/uvm\/\S*fault-lower\.ts:\d+:\d+\) while holding object vnode0/);
  });
});
