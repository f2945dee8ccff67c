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
  return { commands, sleeping, runner };
}

describe("sleep drills", () => {
  it.each([
    ["fileFault", { recipe: "fileFault", file: { file: 1, offset: 3 } }, "read at U12 vnode read"],
    ["fileFault, an mlock", { recipe: "fileFault", operation: "mlock" }, "mlock at U12 vnode read"],
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
