// DragonFly's threads (issue 14): a fault parks where the seed sleeps (DW1-DW4), another
// thread changes the map meanwhile, and the resumed fault re-validates it (D:713-781):
// looks the entry up again, retries when the object moved, fails when the entry is gone. A
// change of a map an mlock has in transition waits for it. Each sequence runs through the
// full checker: the model, the linearizer, and the heap walks while threads are parked.
import { setAutoFreeze } from "immer";
import { beforeAll, describe, expect, it } from "vitest";
import type { Command } from "../vocabulary/command.ts";
import { fileId } from "../vocabulary/units.ts";
import { mlock, mmapFile, mprotect, munmap, read, resume, start, write } from "./support/commands.ts";
import { checkDragonfly } from "./support/dragonfly.ts";

beforeAll(() => setAutoFreeze(false));

const evict: Command = { kind: "fileEvict", file: fileId(0) };

/** Runs `commands` healed and checked; returns how much each counter moved. */
function counters(commands: readonly Command[]) {
  const checked = checkDragonfly(commands, { heal: true });
  expect(checked.violation).toBeNull();
  expect(checked.system.parkedThreads()).toEqual([]);
  return checked.system.coverage();
}

describe("dragonfly: faults on threads", () => {
  it("a read parks in the pager (DW4); an munmap meanwhile makes its re-validation fail", () => {
    const checked = checkDragonfly([mmapFile(1, 1, 0, 0), evict, start(1, read(1, 0)), munmap(1, 0, 1)]);
    expect(checked.violation).toBeNull();
    expect(checked.system.parkedThreads().map((parked) => parked.site)).toEqual(["DW4 pager read"]);
    const coverage = counters([mmapFile(1, 1, 0, 0), evict, start(1, read(1, 0)), munmap(1, 0, 1), resume(1)]);
    expect(coverage.get("sleep.pagerRead")).toBeGreaterThan(0);
    expect(coverage.get("fault.revalidateFailure")).toBe(1);
  });

  it("a write of another page shadows the entry meanwhile: the parked read's re-validation finds another object and retries", () => {
    const random = { advice: "random" } as const; // no read-ahead: the other page is not BUSY
    const coverage = counters([mmapFile(1, 2, 0, 0, random), evict, start(1, read(1, 0)), write(1, 1, 5), resume(1), read(1, 0), read(1, 1)]);
    expect(coverage.get("fault.revalidateRetry")).toBe(1);
  });

  it("an mprotect meanwhile only shrinks the protection the parked write may map with", () => {
    const coverage = counters([mmapFile(1, 1, 0, 0), evict, start(1, write(1, 0, 3)), mprotect(1, 0, 1, "r"), resume(1), read(1, 0)]);
    expect(coverage.get("fault.revalidate")).toBeGreaterThan(0);
    expect(coverage.get("fault.renameRefused.mapChanged")).toBe(1); // D:625: the first test of the rename refuses it
  });

  it("a second fault on the page the first is reading sleeps on it (DW1) and starts over when it is no longer BUSY", () => {
    const checked = checkDragonfly([mmapFile(1, 1, 0, 0), evict, start(1, read(1, 0)), start(2, read(1, 0))]);
    expect(checked.violation).toBeNull();
    expect(checked.system.parkedThreads().map((parked) => parked.site)).toEqual(["DW4 pager read", "DW1 busy page"]);
    const coverage = counters([mmapFile(1, 1, 0, 0), evict, start(1, read(1, 0)), start(2, read(1, 0)), resume(2), resume(1)]);
    expect(coverage.get("sleep.busyPage")).toBe(1);
  });

  it("an munmap of a map whose mlock is in transition waits for the mlock to finish", () => {
    const coverage = counters([mmapFile(1, 1, 0, 0), evict, start(1, mlock(1, 0, 1)), munmap(1, 0, 1)]);
    expect(coverage.get("sleep.transition")).toBe(1);
    expect(coverage.get("wire.user")).toBe(1);
  });
});
