// `uvmcheck shrink`: deletes commands until 1-minimal, renumbers pids, pages and files the
// way the system would hand them out, simplifies arguments, shrinks the world, keeps the
// failure signature, and never makes a counterexample bigger. And the heal phase that ends
// every replay, as it ends every campaign run.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setAutoFreeze } from "immer";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCounterexample, serializeCounterexample } from "../properties/counterexample-files/counterexample-file.ts";
import { replayCommands, type ReplaySetup } from "../properties/counterexample-files/replay.ts";
import { shrinkCounterexample } from "../properties/counterexample-files/shrink/shrink.ts";
import { formatTrace } from "../properties/counterexample-files/trace-format.ts";
import { traceCommands } from "../properties/counterexample-files/trace.ts";
import { uvmSystem } from "../systems/uvm.ts";
import type { Command } from "../vocabulary/command.ts";
import type { SystemFactory, SystemUnderTest } from "../vocabulary/system-under-test.ts";
import { defaultWorld, type WorldConfig } from "../vocabulary/world.ts";
import { uvmcheck } from "./support/cli.ts";
import * as c from "./support/commands.ts";
import { fileFor, temporaryDirectory, uvmSetup } from "./support/counterexample.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

beforeAll(() => setAutoFreeze(false));

function shrink(setup: ReplaySetup, commands: readonly Command[]) {
  const before = replayCommands(setup, commands).violation;
  const result = shrinkCounterexample(setup, commands);
  expect(before).not.toBeNull();
  expect(result).not.toBeNull();
  return { before: before!, result: result! };
}

/** No single command can be removed with the same failure. */
function expectOneMinimal(setup: ReplaySetup, commands: readonly Command[], check: string) {
  for (let index = 0; index < commands.length; index++) {
    const violation = replayCommands(setup, [...commands.slice(0, index), ...commands.slice(index + 1)]).violation;
    expect(violation?.check, `command ${index} could be removed`).not.toBe(check);
  }
}

function expectNoBigger(before: WorldConfig, after: WorldConfig) {
  for (const key of Object.keys(before) as (keyof WorldConfig)[]) expect(after[key], key).toBeLessThanOrEqual(before[key]);
}

const promotedFileWrite = [c.mmapFile(1, 1, 0, 0), c.write(1, 0, 1)];

describe("shrink", () => {
  it("deletes irrelevant commands down to a 1-minimal counterexample with the same check", () => {
    const setup = uvmSetup("canary-cow-copy-skip");
    const noisy = [
      c.spawn(),
      c.mmapAnon(2, 3),
      c.write(2, 1, 5),
      c.fileWrite(1, 2, 9),
      c.mmapAnon(1, 4),
      c.fork(1),
      c.mmapFile(1, 2, 0, 0),
      c.read(3, 0),
      c.write(1, 4, 1),
      c.read(1, 5),
    ];
    const { before, result } = shrink(setup, noisy);
    expect(result.violation.check).toBe(before.check);
    expect(result.commands.length).toBeLessThan(noisy.length);
    expect(result.complete).toBe(true);
    expectOneMinimal(result.setup, result.commands, before.check);
    expect(result.commands).toEqual(promotedFileWrite);
  });

  it("renumbers pids as the system hands them out when a creating command goes", () => {
    const setup = uvmSetup("canary-1A-write-protect");
    const { result } = shrink(setup, [c.spawn(), c.mmapAnon(1, 1), c.read(1, 0), c.fork(1), c.read(3, 0)]);
    expect(result.violation.check).toBe("invariant:G6 shared-anons-read-only");
    expect(result.commands).toEqual([c.mmapAnon(1, 1), c.read(1, 0), c.fork(1), c.read(2, 0)]);
  });

  it("folds a spawned process into init and moves pages with their mapping", () => {
    const setup = uvmSetup("canary-cow-copy-skip");
    const viaSpawns = shrink(setup, [c.spawn(), c.spawn(), c.mmapFile(3, 1, 0, 0), c.write(3, 0, 1)]).result;
    expect(viaSpawns.commands).toEqual(promotedFileWrite);
    const moved = shrink(setup, [c.mmapAnon(1, 4), c.mmapFile(1, 1, 0, 0), c.write(1, 4, 17, 2)]).result;
    expect(moved.commands).toEqual(promotedFileWrite);
  });

  it("numbers files from 0 and their pages from 0", () => {
    const setup = uvmSetup("canary-cow-copy-skip");
    const { result } = shrink(setup, [c.mmapFile(1, 2, 1, 3), c.write(1, 1, 500, 1)]);
    expect(result.commands).toEqual(promotedFileWrite);
  });

  it("shrinks the world and never grows anything", () => {
    const setup = uvmSetup("canary-anon-free-leak");
    const commands = [c.mmapAnon(1, 2), c.write(1, 1, 3), c.mlock(1, 0, 2), c.munlock(1, 0, 2), c.munmap(1, 0, 2)];
    const { before, result } = shrink(setup, commands);
    expect(result.violation.check).toBe(before.check);
    expect(result.commands.length).toBeLessThanOrEqual(commands.length);
    expectNoBigger(defaultWorld, result.setup.world);
    expect(result.setup.world.frames).toBeLessThan(defaultWorld.frames);
    expect(result.setup.world.swapSlots).toBe(0);
    expectOneMinimal(result.setup, result.commands, before.check);
  });

  it("is deterministic and idempotent", () => {
    const setup = uvmSetup("canary-neighbor-write-protect");
    const commands = [c.mmapAnon(1, 3), c.fileWrite(0, 1, 4), c.read(1, 2), c.spawn(), c.fork(1), c.write(3, 0, 7), c.read(3, 1)];
    const first = shrink(setup, commands).result;
    const second = shrink(setup, commands).result;
    expect(second.commands).toEqual(first.commands);
    expect(second.setup.world).toEqual(first.setup.world);
    const again = shrink(first.setup, first.commands).result;
    expect(again.commands).toEqual(first.commands);
    expect(again.setup.world).toEqual(first.setup.world);
  });
});

describe("uvmcheck shrink", () => {
  it("writes a new, smaller file with the same failure, prints the sizes, and leaves the input alone", () => {
    const directory = temporaryDirectory();
    const input = join(directory, "noisy.json");
    const setup = uvmSetup("canary-cow-copy-skip");
    const noisy = [c.spawn(), c.fileWrite(1, 2, 9), c.mmapAnon(1, 4), c.mmapFile(1, 1, 0, 0), c.write(1, 4, 1)];
    writeFileSync(input, serializeCounterexample(fileFor(setup, noisy)));
    const bytes = readFileSync(input);
    const { status, stdout } = uvmcheck(["shrink", input]);
    expect(status).toBe(0);
    const written = join(directory, "noisy.shrunk.json");
    expect(stdout.split("\n")[0]).toBe(`wrote ${written}`);
    expect(stdout).toContain(`commands: 5 → 2; frames ${defaultWorld.frames} → `);
    expect(readFileSync(input)).toEqual(bytes);
    const shrunk = parseCounterexample(readFileSync(written, "utf8"), written);
    expect(shrunk.commands).toEqual(promotedFileWrite);
    expect(shrunk.shrunkFrom).toEqual({ commands: 5, world: defaultWorld });
    const replay = uvmcheck(["replay", written, "--json"]);
    expect(replay.status).toBe(1);
    expect(JSON.parse(replay.stdout)).toMatchObject({ status: "fails", sameFailure: true, failure: { check: "observation" } });
    const twice = uvmcheck(["shrink", written]);
    expect(twice.status).toBe(0);
    expect(twice.stdout.split("\n")[0]).toBe(`wrote ${join(directory, "noisy.shrunk-2.json")}`);
  });
});

describe("the heal phase", () => {
  /** UVM, with a leak that the heal check finds after a fileWrite of 13 (a stand-in for a leaking bug). */
  const leaky: SystemFactory = {
    ...uvmSystem,
    name: "uvm-leaky",
    create(options) {
      const inner = uvmSystem.create(options);
      let leaked = false;
      return Object.assign(Object.create(inner) as SystemUnderTest, {
        apply(command: Command) {
          if (command.kind === "fileWrite" && command.value === 13) leaked = true;
          return inner.apply(command);
        },
        checkHealed: () => (leaked ? { invariant: "healed-no-leaks", message: "frame 0 leaked" } : (inner.checkHealed?.() ?? null)),
      });
    },
  };
  const setup = { ...uvmSetup(null), system: leaky };
  const commands = [c.mmapAnon(1, 1), c.write(1, 0, 1), c.fileWrite(0, 0, 13), c.read(1, 0), c.fileRead(0, 0)];

  it("ends every replay, and its leak check is a failure like any other", () => {
    const result = replayCommands(setup, commands);
    expect(result.violation?.check).toBe("healed");
    expect(result.executed).toEqual(commands);
    expect(result.healed.map((command) => command.kind)).toEqual(["clearFailures", "exit"]);
  });

  it("shows in the trace as heal rows, then the leak", () => {
    const trace = traceCommands(setup, commands);
    expect(trace.steps.map((step) => step.heal)).toEqual([false, false, false, false, false, true, true]);
    const text = formatTrace(trace, { system: "uvm-leaky", variant: null, contract: "exhaustible-memory", hardwareSeed: 0, failures: {}, world: defaultWorld });
    expect(text).toMatch(/\n {3}6 {2}heal: exit pid=1 +ok +ok +ok +ok +ok\n/);
    expect(text).toContain("after the heal phase FAILED healed: healed-no-leaks: frame 0 leaked");
  });

  it("is re-run after a shrunk counterexample, so shrinking can drop the stored heal commands", () => {
    const withStoredHeal = [...commands, { kind: "clearFailures" } as Command, c.exit(1)];
    const { result } = shrink(setup, withStoredHeal);
    expect(result.violation.check).toBe("healed");
    expect(result.commands).toEqual([c.fileWrite(0, 0, 13)]);
  });
});
