// The system's count of the private copies a command made (SystemUnderTest.copiesMade,
// properties/checking/copies-made.ts) chooses among the states an ENOMEM may leave
// (allowance copyKeptOnEnomem): with UVM's true count a long run keeps about one
// configuration, without it the checker carries every combination, and a wrong count is
// caught, as an observation the chosen state cannot explain.
import { setAutoFreeze } from "immer";
import { beforeAll, describe, expect, it } from "vitest";
import { initialState } from "../model/state.ts";
import { step } from "../model/step.ts";
import { benchStream } from "../bench/cases.ts";
import { type ExplainedOutcome, withCopiesMade } from "../properties/checking/copies-made.ts";
import { exhaustibleMemory, Runner, ViolationError } from "../properties/checking/runner.ts";
import { uvmSystem } from "../systems/uvm.ts";
import { allowanceNames } from "../vocabulary/allowance.ts";
import type { Command } from "../vocabulary/command.ts";
import { error, ok } from "../vocabulary/outcome.ts";
import { systemProfile } from "../vocabulary/system-profile.ts";
import type { SystemUnderTest } from "../vocabulary/system-under-test.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import * as c from "./support/commands.ts";

beforeAll(() => setAutoFreeze(false));

describe("withCopiesMade", () => {
  const mapped = step(initialState(defaultWorld, {}, allowanceNames), c.mmapAnon(1, 1)).allowed[0]!.state;
  const write = c.write(1, 0, 5);
  const entries: ExplainedOutcome[] = step(mapped, write)
    .allowed.filter((entry) => entry.cause === "memoryExhausted")
    .map((entry) => ({ outcome: entry.outcome, copies: entry.state.nextTag - mapped.nextTag, configuration: { state: entry.state, promised: new Map() } }));

  it("the model offers an ENOMEM without the copy and one with it", () => {
    expect(entries.map((entry) => entry.copies)).toEqual([0, 1]);
  });

  it("keeps the states with as many new copies as the system made", () => {
    expect(withCopiesMade(entries, write, error("ENOMEM"), 0)).toEqual([entries[0]]);
    expect(withCopiesMade(entries, write, error("ENOMEM"), 1)).toEqual([entries[1]]);
  });

  it("keeps them all for a count none has, no count, or another outcome", () => {
    expect(withCopiesMade(entries, write, error("ENOMEM"), 2)).toEqual(entries);
    expect(withCopiesMade(entries, write, error("ENOMEM"), undefined)).toEqual(entries);
    expect(withCopiesMade(entries, write, ok, 0)).toEqual(entries);
  });
});

/** Long sequential runs of UVM (seed 1), with the system's count as given, hidden, or replaced by a wrong one. */
describe("long UVM runs", () => {
  const stream = benchStream(defaultWorld, 4, 1000, 1, uvmSystem);
  type Count = "true" | "hidden" | "wrong";

  /** Per run: the most configurations kept after a step, or the check a violation failed. */
  function runAll(count: Count, runs: readonly (readonly Command[])[]): ({ most: number } | { check: string })[] {
    return runs.map((commands) => {
      const system = uvmSystem.create({ world: defaultWorld, variant: null, seed: 1 }) as SystemUnderTest & { copiesMade(): number | undefined };
      const made = system.copiesMade.bind(system);
      if (count === "hidden") system.copiesMade = undefined as never;
      if (count === "wrong") system.copiesMade = () => (made() === 0 ? 1 : 0);
      const runner = new Runner(system, systemProfile(uvmSystem), defaultWorld, exhaustibleMemory);
      let most = 0;
      try {
        for (const command of commands) {
          runner.run(command);
          most = Math.max(most, (runner as unknown as { linearizer: { configurationCount: number } }).linearizer.configurationCount);
        }
      } catch (thrown) {
        if (thrown instanceof ViolationError) return { check: thrown.violation.check };
        throw thrown;
      }
      return { most };
    });
  }

  it("with the true count, every run passes keeping at most a few configurations", () => {
    const results = runAll("true", stream);
    for (const result of results) expect(result).toEqual({ most: expect.any(Number) });
    expect(Math.max(...results.map((result) => ("most" in result ? result.most : Infinity)))).toBeLessThanOrEqual(4);
  });

  it("without it, the same runs pass carrying many more", () => {
    const results = runAll("hidden", stream.slice(0, 2));
    for (const result of results) expect(result).toEqual({ most: expect.any(Number) });
    expect(Math.max(...results.map((result) => ("most" in result ? result.most : 0)))).toBeGreaterThanOrEqual(32);
  });

  it("a wrong count is caught by the observation", () => {
    const results = runAll("wrong", stream);
    expect(results).toContainEqual({ check: "observation" });
  });
});
