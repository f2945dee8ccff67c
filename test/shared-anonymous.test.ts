// Shared anonymous memory (MAP_SHARED|MAP_ANON) as NetBSD has it: an amap every sharer sees,
// which a copying fork snapshots (semantic decision 7, uvm_mapent_forkcopy), and whose
// untouched pages cannot be lent. The same histories run on the model, on UVM (an amap
// allocated by mmap) and on DragonFly (an object, interposed beneath at a copying fork), each
// through the full checker; a canary per system shows the check fails without the snapshot.
import { beforeAll, describe, expect, it } from "vitest";
import type { Command } from "../vocabulary/command.ts";
import { checkDragonfly } from "./support/dragonfly.ts";
import { check } from "./support/check.ts";
import * as c from "./support/commands.ts";
import { prepareDragonflyVariants, prepareUvmVariants } from "./support/variants.ts";

beforeAll(async () => {
  await prepareUvmVariants(["canary-shared-anon-copy-shares"]);
  await prepareDragonflyVariants();
});

const shared = { sharing: "shared", inherit: "copy" } as const;

/** Pid 1 maps 2 shared anonymous pages, writes page 0, forks pid 2 by copy, then writes both pages. */
const snapshot: Command[] = [c.mmapAnon(1, 2, shared), c.write(1, 0, 1), c.fork(1), c.write(1, 0, 2), c.write(1, 1, 3), c.read(2, 0), c.read(2, 1), c.read(1, 0)];
const snapshotOutcomes = ["=0", "ok", "=2", "ok", "ok", "=1", "=0", "=2"];

/**
 * Pid 2 shares the memory (inherit share), then pid 1 forks pid 3 by copy: pid 2's write
 * reaches pid 1, not pid 3; pid 3's write reaches no one.
 */
const sharersAndCopy: Command[] = [
  c.mmapAnon(1, 1, { sharing: "shared" }),
  c.write(1, 0, 5),
  c.fork(1),
  c.minherit(1, 0, 1, "copy"),
  c.fork(1),
  c.write(2, 0, 6),
  c.read(1, 0),
  c.read(3, 0),
  c.write(3, 0, 7),
  c.read(1, 0),
  c.read(2, 0),
];
const sharersAndCopyOutcomes = ["=0", "ok", "=2", "ok", "=3", "ok", "=6", "=5", "ok", "=6", "=6"];

/** Each history with the outcomes every system must give. */
const histories = [
  [snapshot, snapshotOutcomes],
  [sharersAndCopy, sharersAndCopyOutcomes],
] as const;

describe("shared anonymous memory: a copying fork's child keeps a snapshot", () => {
  it("on UVM (the amap is copied on write, AMAP_SHARED or not)", () => {
    for (const [commands, outcomes] of histories) {
      const checked = check(commands, { heal: true });
      expect(checked.violation).toBeNull();
      expect(checked.outcomes).toEqual(outcomes);
    }
  });

  it("on DragonFly (an interposed object beneath the shared one)", () => {
    for (const [commands, outcomes] of histories) {
      const checked = checkDragonfly(commands, { heal: true });
      expect(checked.violation).toBeNull();
      expect(checked.outcomes).toEqual(outcomes);
    }
    expect(checkDragonfly(snapshot).system.coverage().get("fork.copyInterposed")).toBeGreaterThan(0);
  });

  it("is caught when the child shares instead (a canary on each system)", () => {
    expect(check(snapshot, { variant: "canary-shared-anon-copy-shares" }).violation?.check).toBe("observation");
    expect(checkDragonfly(snapshot, { variant: "canary-shared-anon-copy-tracks" }).violation?.check).toBe("observation");
  });
});

describe("shared anonymous memory: loans (UVM)", () => {
  it("refuses to lend an untouched page (no anon, no object, not copy-on-write) and lends a touched one", () => {
    const checked = check([c.mmapAnon(1, 2, shared), c.loan(1, 0, 1, "kernel"), c.write(1, 1, 4), c.loan(1, 1, 1, "anon"), c.loanRead(1, 0)]);
    expect(checked.violation).toBeNull();
    expect(checked.outcomes).toEqual(["=0", "EINVAL", "ok", "=1", "=4"]);
  });

  it("lends the child's untouched page after a copying fork (its entry is copy-on-write)", () => {
    const checked = check([c.mmapAnon(1, 1, shared), c.fork(1), c.loan(1, 0, 1, "kernel"), c.loan(2, 0, 1, "kernel"), c.loanRead(1, 0)]);
    expect(checked.violation).toBeNull();
    expect(checked.outcomes).toEqual(["=0", "=2", "EINVAL", "=1", "=0"]);
  });
});
