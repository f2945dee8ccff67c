// SysV shared memory (the sysvShm family): the model's semantics as examples, the same
// sequences through both kernels under the full checker, short campaigns per system that
// reach the shm paths, and the planted bug that frees a segment's aobj while it is mapped.
import { beforeAll, describe, expect, it } from "vitest";
import { runCampaign } from "../properties/hunting/campaign.ts";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import { dragonflySystem } from "../systems/dragonfly.ts";
import { SHM_SEGMENTS_MAX } from "../vocabulary/command.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import { campaign } from "./support/campaign.ts";
import { check } from "./support/check.ts";
import * as c from "./support/commands.ts";
import { runSpecified } from "./support/model.ts";
import { observe } from "../model/observe.ts";
import { firstDivergence, observationDifferences } from "../vocabulary/observation.ts";
import { checkDragonfly } from "./support/dragonfly.ts";
import { prepareUvmVariants } from "./support/variants.ts";

const { shmget, shmat, shmrm } = c;

const run = runSpecified;

/** Two processes share a segment; the second attach lands after the first; rm; the memory lives on while mapped. */
const lifecycle = [
  shmget(2),
  shmat(1, 1),
  c.write(1, 1, 7),
  c.fork(1),
  shmat(2, 1, true),
  c.read(2, 3),
  c.write(2, 0, 8),
  shmrm(1),
  c.read(1, 0),
  shmat(1, 1),
  c.pageout(defaultWorld.frames),
  c.read(2, 1),
  c.munmap(1, 0, 2),
  c.read(2, 2),
];
const lifecycleOutcomes = ["=1", "=0", "ok", "=2", "=2", "=7", "ok", "ok", "=8", "EINVAL", "ok", "=7", "ok", "=8"];

describe("model: SysV shared memory", () => {
  it("a segment is zero-filled, shared by every attach and heir, and outlives its removal while mapped", () => {
    expect(run(lifecycle).outcomes).toEqual(lifecycleOutcomes);
  });

  it("refuses a size outside the address space, and a segment beyond SHM_SEGMENTS_MAX live ones (ENOSPC)", () => {
    const full = Array.from({ length: SHM_SEGMENTS_MAX }, () => shmget(1));
    const { outcomes } = run([shmget(0), shmget(defaultWorld.vaPages + 1), ...full, shmget(1), shmrm(2), shmget(1)]);
    expect(outcomes).toEqual(["EINVAL", "EINVAL", "=1", "=2", "=3", "=4", "ENOSPC", "ok", "=5"]);
  });

  it("after shmrm the id names nothing: shmat and a second shmrm are EINVAL, ids are never reused", () => {
    expect(run([shmget(1), shmrm(1), shmat(1, 1), shmrm(1), shmat(1, 9), shmget(1)]).outcomes).toEqual(["=1", "ok", "EINVAL", "EINVAL", "EINVAL", "=2"]);
  });

  it("keeps the memory of a live segment with no mapping, and forgets it once removed and unmapped", () => {
    const kept = run([shmget(1), shmat(1, 1), c.write(1, 0, 5), c.munmap(1, 0, 1), shmat(1, 1), c.read(1, 0)]);
    expect(kept.outcomes.at(-1)).toBe("=5");
    const gone = run([shmget(1), shmat(1, 1), shmrm(1), c.munmap(1, 0, 1)]);
    expect(gone.state.sharedMemories).toEqual({});
    expect(gone.state.segments).toEqual({});
  });

  it("shows every live segment in the observation, attached or not, and tells its pages apart", () => {
    const { state } = run([shmget(2), shmat(1, 1), c.write(1, 1, 7), c.munmap(1, 0, 2), shmget(1)]);
    const seen = observe(state);
    expect(seen.processes[0]!.pages).toEqual([]);
    expect(seen.segments).toEqual([
      { id: 1, pages: [[0, 0, 0, 0], [7, 0, 0, 0]] },
      { id: 2, pages: [[0, 0, 0, 0]] },
    ]);
    const lost = { ...seen, segments: [{ id: 1, pages: [[0, 0, 0, 0], "lost" as const] }, seen.segments![1]!] };
    expect(firstDivergence(seen, lost)).toEqual({ kind: "segmentWord", segment: 1, page: 1, word: 0, expected: "[7,0,0,0]", actual: "lost" });
    expect([...observationDifferences(seen, lost)]).toEqual(["segment 1"]);
    expect(firstDivergence(seen, { ...seen, segments: [seen.segments![0]!] })).toEqual({ kind: "segments", expected: [1, 2], actual: [1] });
  });

  it("maps read-only attaches r with maxprot r, inherit share, advice random; ESRCH and ENOMEM as mmap", () => {
    const { outcomes, state } = run([shmget(2), shmat(1, 1, true), c.write(1, 0, 1), c.mprotect(1, 0, 2, "rw"), shmat(9, 1)]);
    expect(outcomes).toEqual(["=1", "=0", "EACCES", "EACCES", "ESRCH"]);
    expect(state.processes[1]!.regions[0]).toMatchObject({ prot: "r", maxprot: "r", inherit: "share", advice: "random", overlay: null });
    const crowded = run([c.mmapAnon(1, defaultWorld.vaPages - 1), shmget(2), shmat(1, 1)]);
    expect(crowded.outcomes.at(-1)).toBe("ENOMEM");
  });

  it("a region inherited by copy is the child's private view that tracks the segment until it writes", () => {
    const { outcomes } = run([shmget(1), shmat(1, 1), c.minherit(1, 0, 1, "copy"), c.fork(1), c.write(1, 0, 4), c.read(2, 0), c.write(2, 0, 6), c.read(1, 0), c.write(1, 0, 9), c.read(2, 0)]);
    expect(outcomes).toEqual(["=1", "=0", "ok", "=2", "ok", "=4", "ok", "=4", "ok", "=6"]);
  });
});

describe("the kernels under the checker", () => {
  it("UVM: the lifecycle passes every check and the heal phase, through the aobj", () => {
    const checked = check([...lifecycle, c.mlock(2, 0, 2), c.write(2, 1, 3), c.munlock(2, 0, 2), c.loan(2, 0, 1, "anon")], { heal: true });
    expect(checked.violation).toBeNull();
    expect(checked.outcomes.slice(0, lifecycle.length)).toEqual(lifecycleOutcomes);
    const coverage = checked.system.coverage();
    for (const name of ["shm.create", "shm.attach", "shm.removeMapped", "fault.aobjDropSwap"]) expect(coverage.get(name), name).toBeGreaterThan(0);
  });

  it("UVM: a segment never attached is removed whole by the heal phase", () => {
    const checked = check([shmget(3), shmget(1), shmrm(2)], { heal: true });
    expect(checked.violation).toBeNull();
    expect(checked.system.coverage().get("shm.removeLast")).toBe(2);
  });

  it("DragonFly: a region inherited by copy tracks the segment until the child writes, wired or not (no snapshot, no copy at fork)", () => {
    const tracking = [shmget(1), shmat(1, 1), c.write(1, 0, 3), c.minherit(1, 0, 1, "copy"), c.fork(1), c.write(1, 0, 4), c.read(2, 0), c.write(2, 0, 6), c.read(1, 0), c.read(2, 0)];
    const checked = checkDragonfly(tracking, { heal: true });
    expect(checked.violation).toBeNull();
    expect(checked.outcomes).toEqual(["=1", "=0", "ok", "ok", "=2", "ok", "=4", "ok", "=4", "=6"]);
    const wired = [shmget(1), shmat(1, 1), c.mlock(1, 0, 1), c.minherit(1, 0, 1, "copy"), c.fork(1), c.write(1, 0, 5), c.read(2, 0)];
    const tight = checkDragonfly(wired, { world: { ...defaultWorld, frames: 1, swapSlots: 0 }, heal: true });
    expect(tight.violation).toBeNull();
    expect(tight.outcomes).toEqual(["=1", "=0", "ok", "ok", "=2", "ok", "=5"]);
  });

  it("DragonFly: the lifecycle passes every check and the heal phase, the object marked as shm", () => {
    const checked = checkDragonfly([...lifecycle, c.mlock(2, 0, 2), c.write(2, 1, 3), c.munlock(2, 0, 2)], { heal: true });
    expect(checked.violation).toBeNull();
    expect(checked.outcomes.slice(0, lifecycle.length)).toEqual(lifecycleOutcomes);
    const shm = checkDragonfly([shmget(1)]).system.machine.vm.shmSegments.get(1);
    expect(shm?.sysvShm).toBe(true);
  });
});

describe("campaigns", () => {
  beforeAll(() => prepareUvmVariants(["canary-shmrm-frees-mapped", "canary-shm-unattached-pages-freed"]));

  it("UVM: a short campaign passes and reaches every shm path", () => {
    const result = campaign({ runs: 60, seed: 1 });
    expect(result.violations).toEqual([]);
    for (const name of ["shm.create", "shm.attach", "shm.removeMapped", "shm.removeLast"]) expect(result.coverage.get(name), name).toBeGreaterThan(0);
  });

  it("DragonFly: a short campaign passes and reaches every shm path", () => {
    const result = runCampaign({ system: dragonflySystem, world: defaultWorld, runs: 60, seed: 1, maxCommands: 60, variant: null, contract: exhaustibleMemory });
    expect(result.violations).toEqual([]);
    for (const name of ["shm.create", "shm.attach", "shm.remove"]) expect(result.coverage.get(name), name).toBeGreaterThan(0);
  });

  it("the canary that frees a removed segment's aobj under its mappings is caught, by hand and by a campaign", () => {
    const variant = "canary-shmrm-frees-mapped";
    const byHand = check([shmget(1), shmat(1, 1), shmrm(1)], { variant });
    expect(byHand.violation?.check).toBe("invariant:object-references");
    expect(campaign({ runs: 100, seed: 1, variant }).violations[0]?.violation.check).toBe("invariant:object-references");
  });

  it("the canary that frees an unattached segment's pages is caught at the detach, by the segment in the observation, and by a campaign", () => {
    const variant = "canary-shm-unattached-pages-freed";
    const byHand = check([shmget(1), shmat(1, 1), c.write(1, 0, 7), c.munmap(1, 0, 1)], { variant });
    expect(byHand.violation?.check).toBe("observation");
    expect(byHand.violation?.message).toMatch(/segment 1/);
    expect(byHand.violation?.step).toBe(3); // the munmap that left only the table's reference
    const caught = campaign({ runs: 300, seed: 2, variant }).violations[0]?.violation;
    expect(caught?.check).toBe("observation");
    expect(caught?.message).toMatch(/^segment \d+ /);
  });
});
