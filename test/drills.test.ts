// Sleep drills (properties/generation/drills.ts): each recipe puts its thread to sleep where it says,
// a drill's commands are recorded one by one (so a counterexample replays without it), and
// without armed failures a drill injects none.
import { describe, expect, it } from "vitest";
import { type DrillTemplate, runDrill } from "../properties/generation/drills.ts";
import { exhaustibleMemory, Runner } from "../properties/checking/runner.ts";
import { ThreadChooser } from "../properties/generation/schedule.ts";
import { fullProfile } from "../vocabulary/system-profile.ts";
import type { ThreadContext } from "../properties/generation/templates.ts";
import { type UvmSystem, uvmSystem } from "../systems/uvm.ts";
import type { Command } from "../vocabulary/command.ts";
import { defaultWorld } from "../vocabulary/world.ts";

const quiet: DrillTemplate = {
  kind: "drill",
  recipe: "fileFault",
  process: 0,
  shared: false,
  file: null,
  touch: "none",
  operation: "read",
  received: false,
  second: null,
  interferences: [],
  resume: false,
  protectNone: false,
  unlock: 0,
  arms: true,
  cleanup: false,
  value: 5,
};

/** Runs one drill on a fresh system; the commands it ran and where its threads sleep afterwards. */
function drill(changes: Partial<DrillTemplate>) {
  const system = uvmSystem.create({ world: defaultWorld, variant: null, seed: 1, failureRates: {} }) as UvmSystem;
  const runner = new Runner(system, fullProfile, defaultWorld, exhaustibleMemory, {});
  const commands: Command[] = [];
  const threads = (): ThreadContext => ({
    pending: runner.pendingThreads(),
    operations: runner.pendingOperations(),
    chooser: new ThreadChooser({ kind: "uniform" }),
    step: runner.steps.length,
    loanOrigin: () => null,
    loanReception: () => null,
    families: fullProfile.families,
  });
  runDrill(
    { ...quiet, ...changes },
    {
      model: () => runner.model,
      run: (command) => {
        commands.push(command);
        return runner.run(command).outcome;
      },
      threads,
    },
  );
  const sleeping = (system.parkedThreads?.() ?? []).map((parked) => `${parked.operation.kind} at ${parked.site}`);
  return { commands, sleeping, runner, coverage: system.coverage() };
}

describe("sleep drills", () => {
  it("fileFault, an mlock of an untouched private page: mapped write-only, another page mapped while the wire sleeps", () => {
    const { commands } = drill({ recipe: "fileFault", operation: "mlock" });
    const kinds = commands.map((command) => command.kind);
    expect(kinds).toEqual(["mmap", "fileEvict", "start", "mmap"]);
    expect(commands[0]).toMatchObject({ prot: "w", maxprot: "rw", sharing: "private" });
    expect(commands[3]).toMatchObject({ backing: { kind: "anon" } });
  });

  it("swapIn, a write of a private page read first: forked, the child exits while the write sleeps", () => {
    const { commands, sleeping } = drill({ recipe: "swapIn", operation: "write", touch: "read" });
    expect(commands.map((command) => command.kind)).toEqual(["mmap", "write", "fork", "pageout", "start", "exit"]);
    expect(sleeping).toEqual([expect.stringContaining("write at U6 anonget swap-in")]);
  });

  it.each([
    ["fileFault", { recipe: "fileFault", file: { file: 1, offset: 3 } }, "read at U12 vnode read"],
    ["fileFault, an mlock", { recipe: "fileFault", operation: "mlock", touch: "read" }, "mlock at U12 vnode read"],
    ["swapIn", { recipe: "swapIn", touch: "write" }, "read at U6 anonget swap-in"],
    ["swapIn of shared memory", { recipe: "swapIn", shared: true, operation: "write" }, "write at uao_get swap read"],
    ["memoryWait", { recipe: "memoryWait", operation: "write" }, "write at flt_noram"],
    ["memoryWait of shared memory, a loan", { recipe: "memoryWait", shared: true, operation: "loanKernel" }, "loan at uao_get"],
    ["pmapFailure, a write of a private file page", { recipe: "pmapFailure", file: { file: 0, offset: 0 }, operation: "write" }, "write at flt_pmfail2"],
    ["loanedPage, received", { recipe: "loanedPage", received: true, operation: "write" }, "write at U3 uvm_anon_lockloanpg"],
    ["unloan", { recipe: "unloan", shared: true, operation: "loanAnon" }, "unloan at U3 uvm_anon_lockloanpg"],
  ] as const)("%s: the thread sleeps where the recipe says", (_, changes, site) => {
    const { sleeping } = drill(changes);
    expect(sleeping).toHaveLength(1);
    expect(sleeping[0]).toContain(site);
  });

  it.each([
    ["sharedAmap", { recipe: "sharedAmap", arms: false }, "fault.sharedAmapPromote"],
    [
      "sharedAmap, the child writing after a write of the first page",
      { recipe: "sharedAmap", arms: false, shared: true, touch: "write" },
      "fault.sharedAmapPromote",
    ],
    ["orphan", { recipe: "orphan", arms: false }, "unloan.adopt"],
    ["orphan, the anon loan given back first", { recipe: "orphan", arms: false, received: true, shared: true, touch: "write" }, "unloan.adopt"],
    ["reactivate", { recipe: "reactivate" }, "pdaemon.reactivate"],
    ["reactivate of a file page", { recipe: "reactivate", file: { file: 1, offset: 7 } }, "pdaemon.reactivate"],
    ["wired, the middle page PROT_NONE and unlocked", { recipe: "wired", protectNone: true, unlock: 0 }, "fault.unwireUntranslated"],
    ["wired, the middle page unlocked", { recipe: "wired", unlock: 0 }, "map.unwirePartial"],
    ["wired, the last two pages of a file unlocked", { recipe: "wired", unlock: 1, file: { file: 0, offset: 2 }, shared: true }, "map.unwirePartial"],
    ["wired, a range past the region", { recipe: "wired", unlock: 3 }, "map.unwireNotWired"],
  ] as const)("%s: reaches %s", (_, changes, counter) => {
    expect(drill(changes).coverage.get(counter)).toBeGreaterThan(0);
  });

  it.each([
    ["sharedAmap: pmap_enter fails after the promotion", { recipe: "sharedAmap" }, "write at flt_pmfail2", "fault.sharedAmapPromote"],
    ["orphan: the unloan backs off from the anon's lock", { recipe: "orphan" }, "unloan at L8 unloanpage livelock", "unloan.page"],
  ] as const)("%s", (_, changes, site, counter) => {
    const { coverage, sleeping } = drill(changes);
    expect(sleeping).toHaveLength(1);
    expect(sleeping[0]).toContain(site);
    if (counter === "fault.sharedAmapPromote") expect(coverage.get(counter)).toBeGreaterThan(0);
    else expect(coverage.get("unloan.adopt")).toBe(0);
  });

  it("records every command it runs, a second operation and the interferences inside the sleep", () => {
    const { commands, sleeping, runner } = drill({ recipe: "fileFault", second: "read", interferences: [2], resume: true, cleanup: true });
    expect(commands.map((command) => command.kind)).toEqual(["mmap", "fileEvict", "start", "start", "mprotect", "resume", "resume"].slice(0, commands.length));
    expect(runner.steps.map((record) => record.command)).toEqual(commands);
    expect(sleeping.length).toBeLessThanOrEqual(1);
  });

  it("arms no failure where the run injects none", () => {
    for (const recipe of ["memoryWait", "pmapFailure", "loanedPage", "unloan"] as const) {
      const { commands } = drill({ recipe, arms: false, received: true, operation: "loanAnon" });
      expect(commands.map((command) => command.kind)).not.toContain("failNext");
    }
  });
});
