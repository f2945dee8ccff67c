// The DragonFly system (issue 14) checked like UVM: the fixed-seed campaign passes and drives
// every required counter, it agrees with UVM under diff apart from named specified choices,
// and the shadow-chain paths behave as the seed says on hand-written sequences.
import { setAutoFreeze } from "immer";
import { beforeAll, describe, expect, it } from "vitest";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import { runDiff } from "../properties/hunting/diff.ts";
import { dragonflySystem } from "../systems/dragonfly.ts";
import { builtInSystems } from "../systems/registry.ts";
import { uvmSystem } from "../systems/uvm.ts";
import { systemProfile } from "../vocabulary/system-profile.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import { uvmcheck } from "./support/cli.ts";
import { fork, mmapAnon, mmapFile, mlock, munlock, read, write, fileWrite, exit, pageout, resume, start } from "./support/commands.ts";
import { checkDragonfly } from "./support/dragonfly.ts";

beforeAll(() => setAutoFreeze(false));

/** How much each counter moved while `commands` ran (the checker runs every heap walk meanwhile). */
function countersAfter(commands: Parameters<typeof checkDragonfly>[0]) {
  const checked = checkDragonfly(commands, { heal: true });
  expect(checked.violation).toBeNull();
  return { outcomes: checked.outcomes, coverage: checked.system.coverage() };
}

describe("dragonfly: the system", () => {
  it("is built in, runs threads but no loans, and is held to the allowances of a fault that copies before it re-validates", () => {
    expect(builtInSystems.get("dragonfly")).toBe(dragonflySystem);
    const profile = systemProfile(dragonflySystem);
    expect([...profile.families].sort()).toEqual(["access", "files", "machine", "mappings", "processes", "sysvShm", "threads"]);
    expect([...profile.allowances].sort()).toEqual(["copyBeforeRevalidation", "enomemBeforeEio", "lateReadFailure", "promotionBeforePark", "wireCopiesBeforePark", "zeroFillBeforePark"]);
  });

  it("run --system dragonfly --runs 300 --seed 1 --json: no violation, every required counter above zero", () => {
    const result = uvmcheck(["run", "--system", "dragonfly", "--runs", "300", "--seed", "1", "--json", "--no-db"]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { violations: unknown[]; runs: number; coverage: Record<string, number> | { name: string; count: number }[] };
    expect(report.violations).toEqual([]);
    expect(report.runs).toBe(300);
    const counts = new Map<string, number>(
      Array.isArray(report.coverage) ? report.coverage.map((entry) => [entry.name, entry.count]) : Object.entries(report.coverage),
    );
    for (const counter of dragonflySystem.requiredCoverage) expect(counts.get(counter) ?? 0, counter).toBeGreaterThan(0);
  });

  it("agrees with UVM on 300 runs (seed 1) apart from specified choices, which it counts and names", () => {
    const side = (system: typeof uvmSystem) => ({ system, variant: null, spec: system.name });
    const result = runDiff({
      a: side(uvmSystem),
      b: side(dragonflySystem),
      world: defaultWorld,
      runs: 300,
      seed: 1,
      maxCommands: 100,
      contract: exhaustibleMemory,
    });
    expect(result.divergence).toBeNull();
    expect(result.familiesLeftOut).toEqual([{ family: "loans", missingFrom: "B" }]);
    expect(result.runsEndedBySpecifiedChoice).toBeGreaterThan(0);
    expect(result.firstSpecifiedChoice).not.toBeNull();
  });
});

describe("dragonfly: shadow chains on hand-written sequences", () => {
  it("after a fork, a write copies the shared page into a new shadow, a read maps the one below read-only (D:677, D:704)", () => {
    // va 4 is beyond pmap_prefault's reach from va 0, so the child's read of it faults
    const { outcomes, coverage } = countersAfter([mmapAnon(1, 5), write(1, 0, 7), write(1, 4, 6), fork(1), write(2, 0, 8), read(2, 4), read(1, 0), read(2, 0)]);
    expect(outcomes).toEqual(["=0", "ok", "ok", "=2", "ok", "=6", "=7", "=8"]);
    expect(coverage.get("fault.backingRead")).toBeGreaterThan(0);
    expect(coverage.get("fault.backingWriteCopy")).toBeGreaterThan(0);
    expect(coverage.get("fault.renameRefused.refCount")).toBeGreaterThan(0);
  });

  it("a child's exit collapses the parent's shadow into the object it backed onto", () => {
    const { coverage } = countersAfter([mmapAnon(1, 2), write(1, 0, 7), fork(1), write(1, 1, 9), exit(2), read(1, 0), read(1, 1)]);
    expect(coverage.get("object.collapse")).toBeGreaterThan(0);
  });

  it("the COW rename (D:625-672): a write asleep in the pager while the other sharer exits moves the page up instead of copying it", () => {
    // The child's exit leaves the backing object one reference and one shadow; the collapse
    // waits for the sleeping fault's paging count, so the fault finds the conditions met.
    const { outcomes, coverage } = countersAfter([mmapAnon(1, 1), write(1, 0, 7), fork(1), pageout(defaultWorld.frames), start(1, write(1, 0, 8)), exit(2), resume(1), read(1, 0)]);
    expect(outcomes).toEqual(["=0", "ok", "=2", "ok", "ok", "ok", "ok", "=8"]);
    expect(coverage.get("fault.rename")).toBe(1);
    expect(coverage.get("fault.backingWriteCopy") ?? 0).toBe(0);
    // Without the exit the backing object keeps the child's reference: a copy.
    const shared = countersAfter([mmapAnon(1, 1), write(1, 0, 7), fork(1), pageout(defaultWorld.frames), start(1, write(1, 0, 8)), resume(1), read(2, 0)]);
    expect(shared.outcomes.at(-1)).toBe("=7");
    expect(shared.coverage.get("fault.rename") ?? 0).toBe(0);
    expect(shared.coverage.get("fault.renameRefused.refCount")).toBeGreaterThan(0);
  });

  it("the rename is refused for a file's vnode object, whose ref_count counts only the mappings", () => {
    const { outcomes, coverage } = countersAfter([mmapFile(1, 1, 0, 0), read(1, 0), write(1, 0, 4), read(1, 0)]);
    expect(outcomes.slice(2)).toEqual(["ok", "=4"]);
    expect(coverage.get("fault.renameRefused.handle")).toBe(1);
  });

  it("a private file page tracks the file until written; pageout writes dirty file pages back and reads them in ahead", () => {
    const { outcomes, coverage } = countersAfter([
      mmapFile(1, 4, 0, 0),
      read(1, 0),
      fileWrite(0, 0, 5),
      read(1, 0),
      write(1, 1, 3),
      fileWrite(0, 1, 6),
      read(1, 1),
      pageout(12),
      read(1, 2),
    ]);
    expect(outcomes).toEqual(["=0", "=1000", "ok", "=5", "ok", "ok", "=3", "ok", "=1020"]);
    expect(coverage.get("fault.readAhead")).toBeGreaterThan(0);
    expect(coverage.get("vnode.write")).toBeGreaterThan(0);
  });

  it("mlock copies a writable private page at once (decision 5) and munlock unwires it", () => {
    const { outcomes, coverage } = countersAfter([mmapFile(1, 1, 0, 0), mlock(1, 0, 1), fileWrite(0, 0, 5), read(1, 0), munlock(1, 0, 1)]);
    expect(outcomes).toEqual(["=0", "ok", "ok", "=1000", "ok"]);
    expect(coverage.get("wire.user")).toBeGreaterThan(0);
    expect(coverage.get("wire.unwire")).toBeGreaterThan(0);
  });

  it("anonymous memory goes to swap under pressure and comes back", () => {
    const world = { ...defaultWorld, frames: 4 };
    const checked = checkDragonfly([mmapAnon(1, 6), write(1, 0, 1), write(1, 1, 2), write(1, 2, 3), write(1, 3, 4), write(1, 4, 5), read(1, 0), read(1, 1)], {
      world,
      heal: true,
    });
    expect(checked.violation).toBeNull();
    expect(checked.outcomes.slice(-2)).toEqual(["=1", "=2"]);
    expect(checked.system.coverage().get("swap.out")).toBeGreaterThan(0);
    expect(checked.system.coverage().get("swap.in")).toBeGreaterThan(0);
  });
});
