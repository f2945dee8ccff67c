// Catalog section G scenarios on the UVM implementation, through the full checker (model,
// observation, every invariant after every step), plus what the scenario says about the
// implementation's own state: which fault path ran, how pages are mapped.
import { beforeAll, describe, expect, it } from "vitest";
import { PROT_WRITE } from "../vocabulary/protection.ts";
import { vpn } from "../vocabulary/units.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import * as c from "./support/commands.ts";
import { check } from "./support/check.ts";
import { prepareUvmVariants } from "./support/variants.ts";

beforeAll(() => prepareUvmVariants(["canary-enomem-on-transient-failure"]));

function translationOf(checked: ReturnType<typeof check>, pid: number, va: number) {
  const process = checked.system.internals.kernel.processes.get(pid as never)!;
  return process.map.pmap.translation(vpn(va));
}

function counter(checked: ReturnType<typeof check>, name: string): number {
  return checked.system.coverage().get(name) ?? 0;
}

describe("UVM fault, single thread", () => {
  it("G1: a read of fresh anonymous memory zero-fills (2B) and maps the page writable", () => {
    const checked = check([c.mmapAnon(1, 1), c.read(1, 0)]);
    expect(checked.violation).toBeNull();
    expect(counter(checked, "fault.2B.zero")).toBe(1);
    expect((translationOf(checked, 1, 0)!.prot & PROT_WRITE) !== 0).toBe(true);
  });

  it("G2: a second write to an anon page faults no more (1A maps it writable)", () => {
    const checked = check([c.mmapAnon(1, 1), c.write(1, 0, 1), c.write(1, 0, 2), c.read(1, 0)]);
    expect(checked.outcomes).toEqual(["=0", "ok", "ok", "=2"]);
    expect(counter(checked, "fault.1A") + counter(checked, "fault.1B")).toBe(0);
  });

  it("G3: fork copy-on-write goes through needs_copy, amap copy and 1B", () => {
    const checked = check([c.mmapAnon(1, 1), c.write(1, 0, 1), c.fork(1), c.write(1, 0, 2), c.read(2, 0)]);
    expect(checked.outcomes).toEqual(["=0", "ok", "=2", "ok", "=1"]);
    expect(checked.violation).toBeNull();
    expect(counter(checked, "fault.needsCopy")).toBeGreaterThan(0);
    expect(counter(checked, "fault.1B")).toBe(1);
  });

  it("G5: a private file page is mapped read-only, then promoted by a write (2B copy)", () => {
    const checked = check([c.mmapFile(1, 1, 0, 0), c.read(1, 0), c.fileWrite(0, 0, 9), c.read(1, 0), c.write(1, 0, 3, 1), c.fileWrite(0, 0, 4), c.read(1, 0)]);
    expect(checked.outcomes).toEqual(["=0", "=1000", "ok", "=9", "ok", "ok", "=9"]);
    expect(counter(checked, "fault.2B.copy")).toBe(1);
  });

  it("G6: a write through a shared mapping of a clean file marks the vnode dirty and terminates", () => {
    const checked = check([c.mmapFile(1, 1, 0, 0, { sharing: "shared" }), c.read(1, 0), c.write(1, 0, 5), c.fileRead(0, 0)]);
    expect(checked.outcomes).toEqual(["=0", "=1000", "ok", "=5"]);
    expect(checked.system.internals.uvm.vnodes[0]!.isClean()).toBe(false);
  });

  it("G8: RANDOM advice maps no neighbours, NORMAL maps resident ones", () => {
    const random = check([c.mmapFile(1, 4, 0, 0, { advice: "random" }), c.fileRead(0, 1), c.read(1, 0)]);
    expect(counter(random, "fault.neighbor.object")).toBe(0);
    const normal = check([c.mmapFile(1, 4, 0, 0), c.fileRead(0, 1), c.read(1, 0)]);
    expect(counter(normal, "fault.neighbor.object")).toBe(1);
    expect(translationOf(normal, 1, 1)).toBeDefined();
  });

  it("G10: a reserved region's fault is layerless (case 0) and gets EFAULT", () => {
    const checked = check([c.mmapReserved(1, 1), c.read(1, 0)]);
    expect(checked.outcomes).toEqual(["=0", "EFAULT"]);
    expect(counter(checked, "fault.case0")).toBe(1);
  });

  it("G11: mlock of a read-only private mapping with a writable maxprot promotes at wire time", () => {
    const checked = check([c.mmapFile(1, 2, 0, 0, { prot: "r" }), c.mlock(1, 0, 2), c.fileWrite(0, 0, 7), c.read(1, 0), c.munlock(1, 0, 2)]);
    expect(checked.outcomes).toEqual(["=0", "ok", "ok", "=1000", "ok"]);
    expect(checked.violation).toBeNull();
    expect(counter(checked, "fault.2B.copy")).toBe(2);
  });
});

describe("UVM memory waits (semantic decision 9)", () => {
  it.each([
    ["write", c.write(1, 1, 5), "ok"],
    ["read", c.read(1, 1), "=0"],
    ["mlock", c.mlock(1, 1, 1), "ok"],
  ])("a one-shot frame-allocation failure with frames free and only wired pages resident costs a %s a retry, not ENOMEM", (_name, access, answer) => {
    const checked = check([c.mmapAnon(1, 2), c.write(1, 0, 1), c.mlock(1, 0, 1), c.failNext("frameAllocation"), access]);
    expect(checked.violation).toBeNull();
    expect(checked.outcomes.at(-1)).toBe(answer);
    expect(counter(checked, "alloc.failure")).toBe(1);
    expect(counter(checked, "restart.memoryWait")).toBe(1);
  });

  it("an ENOMEM far from exhaustion is unearned: a kernel that gives up on a transient allocation failure fails the outcome check", () => {
    const commands = [c.mmapAnon(1, 2), c.write(1, 0, 1), c.mlock(1, 0, 1), c.failNext("frameAllocation"), c.write(1, 1, 5)];
    const checked = check(commands, { variant: "canary-enomem-on-transient-failure" });
    expect(checked.violation?.check).toBe("outcome");
    expect(checked.violation?.step).toBe(4);
    expect(checked.violation?.message).toContain("ENOMEM");
  });

  it("an ENOMEM with every frame pinned is earned", () => {
    const world = { ...defaultWorld, frames: 6, swapSlots: 0 };
    const checked = check([c.mmapAnon(1, 8), c.mlock(1, 0, 8)], { world });
    expect(checked.outcomes).toEqual(["=0", "ENOMEM"]);
    expect(checked.violation).toBeNull();
  });
});

describe("UVM wiring and fork of wired memory", () => {
  it("G17: wired pages are off the queues and lose their swap copy; unwiring puts them back", () => {
    const checked = check([c.mmapAnon(1, 2), c.write(1, 0, 1), c.mlock(1, 0, 2)]);
    const pages = checked.system.internals.uvm.pages.filter((page) => page.wireCount > 0);
    expect(pages).toHaveLength(2);
    expect(pages.every((page) => page.queue === "none")).toBe(true);
  });

  it("semantic decision 6: fork copies a wired private region at once; the child is not wired", () => {
    const checked = check([c.mmapAnon(1, 1), c.write(1, 0, 1), c.mlock(1, 0, 1), c.fork(1), c.write(1, 0, 2), c.read(2, 0)]);
    expect(checked.outcomes).toEqual(["=0", "ok", "ok", "=2", "ok", "=1"]);
    expect(counter(checked, "fork.copyWired")).toBe(1);
  });

  it("a shared amap inherited by copy stays shared for its sharers and isolated for the child (NetBSD quirk Q1, fixed)", () => {
    const checked = check([
      c.mmapAnon(1, 1, { inherit: "share" }),
      c.write(1, 0, 1),
      c.fork(1),
      c.minherit(1, 0, 1, "copy"),
      c.fork(1),
      c.write(2, 0, 5),
      c.read(1, 0),
      c.read(3, 0),
      c.write(1, 0, 6),
      c.read(2, 0),
      c.read(3, 0),
    ]);
    expect(checked.violation).toBeNull();
    expect(checked.outcomes.slice(5)).toEqual(["ok", "=5", "=1", "ok", "=6", "=1"]);
  });

  it("partial munmap of a shared amap frees only the slots nobody covers", () => {
    const checked = check([
      c.mmapAnon(1, 3, { inherit: "share" }),
      c.write(1, 0, 1),
      c.write(1, 1, 2),
      c.write(1, 2, 3),
      c.fork(1),
      c.munmap(1, 1, 1),
      c.munmap(2, 1, 1),
      c.read(1, 2),
      c.read(2, 0),
    ]);
    expect(checked.violation).toBeNull();
    expect(checked.outcomes.slice(-2)).toEqual(["=3", "=1"]);
    expect(counter(checked, "map.partialUnmap")).toBe(1);
  });
});
