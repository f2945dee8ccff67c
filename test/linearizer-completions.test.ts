// Operations that complete in the same step (properties/checking/linearizer.ts): a read-only
// one may take effect at its completion, after those that completed before it; and if it
// cannot take effect in the order the system listed them, it is tried after the others.
// The history: thread 1 lends a page to anons; with a swap-read failure armed, thread 1 reads
// the page (its swap-in will fail), the failure is cleared, thread 2 reads the lent page
// (waiting on the same swap-in); both answer EIO in one step (seed sweep, seed 420), also
// when the process unmapped the page meanwhile (the loan still shares the lost anon); the
// loss reaches only the data the failed swap-in was for.
import { setAutoFreeze } from "immer";
import { beforeAll, describe, expect, it } from "vitest";
import { initialState } from "../model/state.ts";
import { Linearizer } from "../properties/checking/linearizer.ts";
import { explainedAtCompletion } from "../properties/checking/same-step-losses.ts";
import { step } from "../model/step.ts";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import type { Command, ThreadOperation } from "../vocabulary/command.ts";
import type { ThreadCompletion } from "../vocabulary/system-under-test.ts";
import { error, ok, type Outcome, value } from "../vocabulary/outcome.ts";
import { threadId } from "../vocabulary/units.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import * as c from "./support/commands.ts";

beforeAll(() => setAutoFreeze(false));

/**
 * The linearizer after the history above, both reads still pending. `beforeRead`: commands
 * (each answering ok, an mmap 0) run before the failure is armed; `between`: after thread
 * 1's read started; `readVa`: the page thread 1 reads.
 */
function twoReadersOfOneSwapIn({ beforeRead = [] as readonly Command[], between = [] as readonly Command[], readVa = 0 } = {}): Linearizer {
  const linearizer = new Linearizer(initialState(defaultWorld), exhaustibleMemory.allowedCauses);
  const run = (command: Command, outcome: Outcome) => expect(linearizer.commit(linearizer.prepare(command), outcome), command.kind).toBe(true);
  run(c.mmapAnon(1, 1), value(0));
  run(c.write(1, 0, 1), ok);
  run(c.start(1, c.loan(1, 0, 1, "anon")), ok);
  expect(linearizer.complete({ thread: threadId(1), operation: c.loan(1, 0, 1, "anon") as ThreadOperation, outcome: value(1) })).toBeNull();
  for (const command of beforeRead) run(command, command.kind === "mmap" ? value(0) : ok);
  run(c.failNext("swapRead"), ok);
  run(c.start(1, c.read(1, readVa)), ok);
  for (const command of between) run(command, ok);
  run({ kind: "clearFailures" }, ok);
  run(c.start(2, c.loanRead(1, 0)), ok);
  return linearizer;
}

const readFailed: ThreadCompletion = { thread: threadId(1), operation: c.read(1, 0) as ThreadOperation, outcome: error("EIO") };
const loanReadFailed: ThreadCompletion = { thread: threadId(2), operation: c.loanRead(1, 0) as ThreadOperation, outcome: error("EIO") };

/** The step in which the completions happen: a start of thread 3 (it takes effect at once). */
function completeWith(linearizer: Linearizer, completions: readonly ThreadCompletion[]) {
  const command = c.start(3, c.read(1, 0));
  return linearizer.commitStep(linearizer.prepare(command), ok, completions, () => {
    throw new Error("a start needs no observation");
  });
}

describe("operations completing in one step", () => {
  it("a lent page's reader meets the loss of a swap-in its lender started, even once the lender unmapped the page", () => {
    const between = [c.munmap(1, 0, 1)];
    expect(completeWith(twoReadersOfOneSwapIn({ between }), [readFailed, loanReadFailed])).toBeNull();
    expect(completeWith(twoReadersOfOneSwapIn({ between }), [loanReadFailed, readFailed])).toBeNull();
  });

  it("but not the loss of a swap-in for other data: the lender's read of another page", () => {
    // thread 1 reads page 1 of a second mapping; the lent page (page 0) stays intact
    const linearizer = twoReadersOfOneSwapIn({ beforeRead: [c.munmap(1, 0, 1), c.mmapAnon(1, 2), c.write(1, 1, 2)], readVa: 1 });
    const otherFailed = { ...readFailed, operation: c.read(1, 1) as ThreadOperation };
    expect(completeWith(linearizer, [otherFailed, loanReadFailed])?.check).toBe("linearizability");
  });

  it("a lent page's reader meets the loss its lender's failed swap-in made, in either listed order", () => {
    expect(completeWith(twoReadersOfOneSwapIn(), [readFailed, loanReadFailed])).toBeNull();
    expect(completeWith(twoReadersOfOneSwapIn(), [loanReadFailed, readFailed])).toBeNull();
  });

  it("still refuses what no order explains: the lent page read as another value, or as lost with its lender's read fine", () => {
    const wrongValue = { ...loanReadFailed, outcome: value(7) };
    expect(completeWith(twoReadersOfOneSwapIn(), [readFailed, wrongValue])?.check).toBe("linearizability");
    const lenderFine = { ...readFailed, outcome: value(1) };
    expect(completeWith(twoReadersOfOneSwapIn(), [lenderFine, loanReadFailed])?.check).toBe("linearizability");
    expect(completeWith(twoReadersOfOneSwapIn(), [loanReadFailed, lenderFine])?.check).toBe("linearizability");
  });

  it("a loss of shared memory destroyed since (its last mapping gone) is nothing to lose, not a crash", () => {
    const state = initialState(defaultWorld);
    const steps = (from: typeof state, operation: ThreadOperation) => step(from, operation).allowed;
    const gone = [{ kind: "memory", memory: 99, page: 0 } as const];
    expect(explainedAtCompletion([{ state, promised: new Map() }], c.read(1, 0) as ThreadOperation, error("EIO"), gone, steps)).toEqual([]);
  });
});
