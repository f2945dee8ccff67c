// The model's allowances (vocabulary/allowance.ts): each is granted only to a system that opts
// into it, the model is plainer without it, and docs/semantics.md §7 says exactly where each
// is applied (every `allows(…, "name")` in the code is cited there by file and line, and every
// citation points at one).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { initialState, type ModelState } from "../model/state.ts";
import { step } from "../model/step.ts";
import { startStates, windowCopies } from "../properties/checking/start-states.ts";
import { type AllowanceName, allowanceNames } from "../vocabulary/allowance.ts";
import type { Command, ThreadOperation } from "../vocabulary/command.ts";
import { formatOutcome } from "../vocabulary/outcome.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import * as c from "./support/commands.ts";
import { filesMatching, readSource } from "./support/source-tree.ts";

/** The state after `commands`, each taking its first allowed entry whose outcome is `want` (default: the specified one). */
function run(state: ModelState, commands: readonly (Command | [Command, string])[]): ModelState {
  for (const item of commands) {
    const [command, want] = Array.isArray(item) ? item : [item, null];
    const allowed = step(state, command).allowed;
    state = (want === null ? allowed[0]! : allowed.find((entry) => formatOutcome(entry.outcome) === want)!).state;
  }
  return state;
}

function outcomes(state: ModelState, command: Command): string[] {
  return [...new Set(step(state, command).allowed.map((entry) => formatOutcome(entry.outcome)))].sort();
}

const without = (name: AllowanceName) => allowanceNames.filter((other) => other !== name);

describe("allowances change only what they say", () => {
  it("enomemBeforeEio: lost data answers ENOMEM too only with it", () => {
    const lost = (allowances: readonly AllowanceName[]) =>
      run(initialState(defaultWorld, { swapRead: 1 }, allowances), [c.mmapAnon(1, 1), c.write(1, 0, 5), [c.read(1, 0), "EIO"]]);
    expect(outcomes(lost(allowanceNames), c.read(1, 0))).toEqual(["EIO", "ENOMEM"]);
    expect(outcomes(lost(without("enomemBeforeEio")), c.read(1, 0))).toEqual(["EIO"]);
  });

  it("objectLoanReusesAnon: a second loan to anons of a file page may share the first's copy only with it", () => {
    const lentOnce = (allowances: readonly AllowanceName[]) => run(initialState(defaultWorld, {}, allowances), [c.mmapFile(1, 1, 0, 0), c.loan(1, 0, 1, "anon")]);
    const choices = (state: ModelState) => step(state, c.loan(1, 0, 1, "anon")).allowed.filter((entry) => entry.cause === "specified").length;
    expect(choices(lentOnce(allowanceNames))).toBe(2);
    expect(choices(lentOnce(without("objectLoanReusesAnon")))).toBe(1);
  });

  it("copyBeforeRevalidation: a parked write's copy after its page went read-only only with it", () => {
    const readOnly = (allowances: readonly AllowanceName[]) =>
      run(initialState(defaultWorld, {}, allowances), [c.mmapFile(1, 1, 0, 0), c.mprotect(1, 0, 1, "r")]);
    expect(windowCopies(readOnly(allowanceNames), c.write(1, 0, 5) as ThreadOperation)).toHaveLength(1);
    expect(windowCopies(readOnly(without("copyBeforeRevalidation")), c.write(1, 0, 5) as ThreadOperation)).toHaveLength(0);
  });

  it("promotionBeforePark and zeroFillBeforePark: the copies a parked write may have made", () => {
    const write = c.write(1, 0, 5) as ThreadOperation;
    const mapped = (allowances: readonly AllowanceName[]) => run(initialState(defaultWorld, {}, allowances), [c.mmapAnon(1, 1)]);
    expect(startStates(mapped(allowanceNames), write)).toHaveLength(3);
    expect(startStates(mapped(without("promotionBeforePark")), write)).toHaveLength(2);
    expect(startStates(mapped([]), write)).toHaveLength(1);
  });

  it("copyKeptOnEnomem: a write's ENOMEM may keep its promotion only with it", () => {
    const states = (allowances: readonly AllowanceName[]) =>
      step(run(initialState(defaultWorld, {}, allowances), [c.mmapAnon(1, 1)]), c.write(1, 0, 5)).allowed.filter((entry) => entry.cause === "memoryExhausted").length;
    expect(states(allowanceNames)).toBe(2);
    expect(states(without("copyKeptOnEnomem"))).toBe(1);
  });
});

describe("docs/semantics.md §7", () => {
  const document = readFileSync(join(import.meta.dirname, "..", "docs", "semantics.md"), "utf8");
  const section = document.slice(document.indexOf("## 7."));
  const cited = new Map(
    allowanceNames.map((name) => {
      const row = section.split("\n").find((line) => line.startsWith(`| \`${name}\``)) ?? "";
      return [name, [...row.matchAll(/([\w/.-]+\.ts):(\d+)/g)].map((match) => `${match[1]}:${match[2]}`)];
    }),
  );

  it("has a row for every allowance, citing where it is applied", () => {
    for (const name of allowanceNames) expect(cited.get(name)!.length, name).toBeGreaterThan(0);
  });

  it("cites every place the code grants an allowance, and only those", () => {
    const applied = new Map<string, string[]>();
    for (const path of filesMatching(/\.ts$/).filter((file) => file.startsWith("model/") || file.startsWith("properties/"))) {
      readSource(path)
        .split("\n")
        .forEach((text, index) => {
          for (const match of text.matchAll(/allows\(\w+, "(\w+)"\)/g)) applied.set(match[1]!, [...(applied.get(match[1]!) ?? []), `${path}:${index + 1}`]);
        });
    }
    for (const name of allowanceNames) expect(cited.get(name), name).toEqual(applied.get(name) ?? []);
  });
});
