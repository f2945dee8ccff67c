// The linearizer keeps one configuration of each canonical key (properties/checking/
// canonical-state.ts, configurations.ts): states equal up to the names of their copies merge;
// states that differ in anything an observation can ever show (sharing, which a device
// failure reveals) stay apart. And thread loans get their handles when they complete
// (loan-handles.ts), as the implementation numbers them.
import { produce, setAutoFreeze } from "immer";
import { beforeAll, describe, expect, it } from "vitest";
import { withWriteCopy } from "../model/access-commands.ts";
import { observe } from "../model/observe.ts";
import { initialState, type ModelState } from "../model/state.ts";
import { step } from "../model/step.ts";
import { type Configuration, capped, configurationKey, merged } from "../properties/checking/configurations.ts";
import { Linearizer } from "../properties/checking/linearizer.ts";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import type { Command, ThreadOperation } from "../vocabulary/command.ts";
import { error, ok, type Outcome, outcomeEquals, value } from "../vocabulary/outcome.ts";
import { threadId } from "../vocabulary/units.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import * as c from "./support/commands.ts";

beforeAll(() => setAutoFreeze(false));

/** The model's state after `commands` from `state`, each taking its first allowed outcome. */
function stateAfter(commands: readonly Command[], state: ModelState = initialState(defaultWorld)): ModelState {
  for (const command of commands) state = step(state, command).allowed[0]!.state;
  return state;
}

const bare = (state: ModelState): Configuration => ({ state, promised: new Map() });

describe("merging configurations", () => {
  const mapped = stateAfter([c.mmapAnon(1, 2)]);

  it("merges states equal up to the numbers of their copies", () => {
    const renumbered = produce(mapped, (draft) => {
      draft.nextTag += 5;
      draft.nextOverlay += 3;
    });
    const one = stateAfter([c.write(1, 0, 7), c.write(1, 1, 8)], mapped);
    const other = stateAfter([c.write(1, 0, 7), c.write(1, 1, 8)], renumbered);
    expect(other.overlays).not.toEqual(one.overlays);
    expect(configurationKey(bare(other))).toBe(configurationKey(bare(one)));
    expect(merged([bare(one), bare(other)])).toHaveLength(1);
  });

  it("keeps apart states that look the same now but share differently", () => {
    const forked = stateAfter([c.write(1, 0, 7), c.fork(1)], mapped);
    const ownCopy = withWriteCopy(forked, 1, 0);
    expect(ownCopy).not.toBe(forked);
    expect(observe(ownCopy)).toEqual(observe(forked));
    expect(configurationKey(bare(ownCopy))).not.toBe(configurationKey(bare(forked)));
    expect(merged([bare(forked), bare(ownCopy)])).toHaveLength(2);
  });

  it("keeps apart states whose visible words, losses or promises differ", () => {
    const written = stateAfter([c.write(1, 0, 7)], mapped);
    const lost = produce(written, (draft) => {
      const tag = Object.values(draft.overlays)[0]!.slots[0]!.tag;
      draft.lostTags[tag] = true;
    });
    const promised: Configuration = { state: written, promised: new Map([[threadId(1), { outcome: ok, before: mapped, after: written }]]) };
    const keys = [bare(mapped), bare(written), bare(stateAfter([c.write(1, 0, 8)], mapped)), bare(lost), promised].map(configurationKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("caps hidden alternatives to a share of the total when promises are many, never a visible one", () => {
    const written = stateAfter([c.write(1, 0, 7)], mapped);
    const group = (signature: number, size: number): Configuration[] => {
      const promised = new Map([[threadId(1), { outcome: value(signature), before: mapped, after: mapped }]]);
      return Array.from({ length: size }, (_, index) => ({ state: index === size - 1 ? written : mapped, promised }));
    };
    const few = [...group(1, 64), ...group(2, 64)];
    expect(capped(few)).toHaveLength(128);
    const many = Array.from({ length: 100 }, (_, signature) => group(signature, 64)).flat();
    const kept = capped(many);
    expect(kept).toHaveLength(100 * Math.floor(2048 / 100));
    for (let signature = 0; signature < 100; signature++) {
      const members = kept.filter((configuration) => outcomeEquals(configuration.promised.get(threadId(1))!.outcome, value(signature)));
      expect(members.some((configuration) => configuration.state === written), `signature ${signature} keeps its visible alternative`).toBe(true);
    }
  });

  // Were sharing merged away, one of these two endings would be refused: the write's copy
  // made after the fork (only pid 1 loses its page) and the page still shared (both lose it).
  it("keeps both a write's copy made after a fork and the shared page, until a failure tells them apart", () => {
    const history = (): Linearizer => {
      const linearizer = new Linearizer(initialState(defaultWorld), exhaustibleMemory.allowedCauses);
      const run = (command: Command, outcome: Outcome) => expect(linearizer.commit(linearizer.prepare(command), outcome), command.kind).toBe(true);
      run(c.mmapAnon(1, 1), value(0));
      run(c.write(1, 0, 7), ok);
      run(c.start(1, c.write(1, 0, 8)), ok);
      run(c.fork(1), value(2));
      run(c.failNext("swapRead"), ok);
      expect(linearizer.complete({ thread: threadId(1), operation: c.write(1, 0, 8) as ThreadOperation, outcome: error("EIO") })).toBeNull();
      return linearizer;
    };
    const shared = stateAfter([c.mmapAnon(1, 1), c.write(1, 0, 7), c.fork(1)]);
    const tag = (state: ModelState, pid: number) => Object.values(state.overlays).find((_, index) => index === pid - 1)!.slots[0]!.tag;
    const bothLost = produce(shared, (draft) => {
      draft.lostTags[tag(shared, 1)] = true;
    });
    const parentLost = produce(withWriteCopy(shared, 1, 0), (draft) => {
      draft.lostTags[draft.nextTag - 1] = true;
    });
    expect(observe(bothLost).processes.map((process) => process.pages[0]!.contents)).toEqual(["lost", "lost"]);
    expect(observe(parentLost).processes.map((process) => process.pages[0]!.contents)).toEqual(["lost", [7, 0, 0, 0]]);
    expect(history().observe(observe(bothLost))).toBeNull();
    expect(history().observe(observe(parentLost))).toBeNull();
    const childWired = produce(parentLost, (draft) => {
      draft.processes[2]!.regions[0]!.wired = true;
    });
    expect(history().observe(observe(childWired))).not.toBeNull();
  });
});

describe("handles of thread loans", () => {
  // Thread 1's loan takes its snapshot (7) at its start; a write then changes the page and a
  // sequential loan completes first, taking handle 1: the thread's loan, completing last,
  // gets handle 2 and still holds 7.
  it("are given when the loan completes, so a snapshot from the loan's start is kept", () => {
    const linearizer = new Linearizer(initialState(defaultWorld), exhaustibleMemory.allowedCauses);
    const run = (command: Command, outcome: Outcome) => expect(linearizer.commit(linearizer.prepare(command), outcome), command.kind).toBe(true);
    run(c.mmapAnon(1, 1), value(0));
    run(c.write(1, 0, 7), ok);
    run(c.start(1, c.loan(1, 0, 1, "kernel")), ok);
    run(c.write(1, 0, 9), ok);
    run(c.loan(1, 0, 1, "kernel"), value(1));
    expect(linearizer.model.loans[-1]).toBeUndefined();
    expect(linearizer.complete({ thread: threadId(1), operation: c.loan(1, 0, 1, "kernel") as ThreadOperation, outcome: value(2) })).toBeNull();
    const seen = observe(stateAfter([c.mmapAnon(1, 1), c.write(1, 0, 9)]));
    const withLoans = (first: number, second: number) =>
      produce(seen, (draft) => {
        draft.loans.push({ handle: 1 as never, to: "kernel", pages: [[first, 0, 0, 0]] }, { handle: 2 as never, to: "kernel", pages: [[second, 0, 0, 0]] });
      });
    expect(linearizer.observe(withLoans(9, 7))).toBeNull();
    expect(linearizer.model.nextHandle).toBe(3);
  });

  it("refuse a handle other than the next one", () => {
    const linearizer = new Linearizer(initialState(defaultWorld), exhaustibleMemory.allowedCauses);
    const run = (command: Command, outcome: Outcome) => expect(linearizer.commit(linearizer.prepare(command), outcome), command.kind).toBe(true);
    run(c.mmapAnon(1, 1), value(0));
    run(c.start(1, c.loan(1, 0, 1, "kernel")), ok);
    run(c.loan(1, 0, 1, "kernel"), value(1));
    expect(linearizer.complete({ thread: threadId(1), operation: c.loan(1, 0, 1, "kernel") as ThreadOperation, outcome: value(1) })).not.toBeNull();
  });
});
