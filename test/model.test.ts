// The model on its own: the semantics of docs/semantics.md and the semantic decisions, as
// examples. Each case runs commands through `step`, following the specified outcome.
import { describe, expect, it } from "vitest";
import { observe } from "../model/observe.ts";
import { step } from "../model/step.ts";
import { formatOutcome } from "../vocabulary/outcome.ts";
import * as c from "./support/commands.ts";
import { runSpecified } from "./support/model.ts";

const run = runSpecified;

describe("model: private anonymous memory and fork", () => {
  it("reads zero before any write and its own writes after", () => {
    expect(run([c.mmapAnon(1, 2), c.read(1, 1), c.write(1, 1, 7), c.read(1, 1)]).outcomes).toEqual(["=0", "=0", "ok", "=7"]);
  });

  it("isolates parent and child after fork (copy-on-write)", () => {
    const { outcomes } = run([c.mmapAnon(1, 1), c.write(1, 0, 1), c.fork(1), c.write(1, 0, 2), c.read(2, 0), c.write(2, 0, 3), c.read(1, 0)]);
    expect(outcomes).toEqual(["=0", "ok", "=2", "ok", "=1", "ok", "=2"]);
  });

  it("shares private pages between processes after minherit share", () => {
    const { outcomes } = run([c.mmapAnon(1, 1), c.minherit(1, 0, 1, "share"), c.fork(1), c.write(2, 0, 9), c.read(1, 0)]);
    expect(outcomes.at(-1)).toBe("=9");
  });

  it("gives the child nothing for inherit none", () => {
    expect(run([c.mmapAnon(1, 1, { inherit: "none" }), c.fork(1), c.read(2, 0)]).outcomes.at(-1)).toBe("EFAULT");
  });
});

describe("model: files (semantic decisions 1 and 7)", () => {
  it("lets an untouched private file page track the file until written", () => {
    const { outcomes } = run([c.mmapFile(1, 1, 0, 2), c.read(1, 0), c.fileWrite(0, 2, 5), c.read(1, 0), c.write(1, 0, 6), c.fileWrite(0, 2, 8), c.read(1, 0)]);
    expect(outcomes).toEqual(["=0", "=1020", "ok", "=5", "ok", "ok", "=6"]);
  });

  it("writes through a shared file mapping into the file", () => {
    const { outcomes } = run([c.mmapFile(1, 1, 1, 0, { sharing: "shared" }), c.write(1, 0, 4, 3), c.fileRead(1, 0, 3)]);
    expect(outcomes.at(-1)).toBe("=4");
  });

  it("gives a child a private, tracking view of a shared mapping inherited by copy", () => {
    const { outcomes } = run([
      c.mmapFile(1, 1, 0, 0, { sharing: "shared", inherit: "copy" }),
      c.fork(1),
      c.fileWrite(0, 0, 11),
      c.read(2, 0),
      c.write(2, 0, 12),
      c.read(1, 0),
      c.fileRead(0, 0),
    ]);
    expect(outcomes.slice(3)).toEqual(["=11", "ok", "=11", "=11"]);
  });
});

describe("model: mappings", () => {
  it("places mappings first fit and fails with ENOMEM when none fits", () => {
    const { outcomes } = run([c.mmapAnon(1, 30), c.mmapAnon(1, 2), c.munmap(1, 10, 5), c.mmapAnon(1, 4), c.mmapAnon(1, 3)]);
    expect(outcomes).toEqual(["=0", "=30", "ok", "=10", "ENOMEM"]);
  });

  it("refuses prot beyond maxprot at mmap (EINVAL) and mprotect (EACCES, nothing changed)", () => {
    const { outcomes, state } = run([c.mmapAnon(1, 2, { prot: "rw", maxprot: "r" }), c.mmapAnon(1, 2, { prot: "r", maxprot: "r" }), c.mprotect(1, 0, 2, "rw")]);
    expect(outcomes).toEqual(["EINVAL", "=0", "EACCES"]);
    expect(observe(state).processes[0]!.pages.map((page) => page.prot)).toEqual(["r", "r"]);
  });

  it("refuses loads from a write-only page (semantic decision 8)", () => {
    expect(run([c.mmapAnon(1, 1, { prot: "w" }), c.write(1, 0, 1), c.read(1, 0)]).outcomes).toEqual(["=0", "ok", "EACCES"]);
  });

  it("answers EFAULT for a reserved page its protection allows, EACCES otherwise", () => {
    const { outcomes } = run([c.mmapReserved(1, 2, { prot: "r" }), c.read(1, 0), c.write(1, 1, 1)]);
    expect(outcomes).toEqual(["=0", "EFAULT", "EACCES"]);
  });

  it("turns a reserved region inherited by copy into zero-fill memory in the child", () => {
    expect(run([c.mmapReserved(1, 1, { inherit: "copy" }), c.fork(1), c.read(2, 0), c.read(1, 0)]).outcomes.slice(2)).toEqual(["=0", "EFAULT"]);
  });
});

describe("model: wiring (semantic decisions 4-6)", () => {
  it("makes private copies at mlock time: a locked private file page stops tracking the file", () => {
    const { outcomes } = run([c.mmapFile(1, 2, 0, 0, { prot: "r" }), c.mlock(1, 0, 2), c.fileWrite(0, 1, 77), c.read(1, 1)]);
    expect(outcomes).toEqual(["=0", "ok", "ok", "=1010"]);
  });

  it("does not copy a read-only private mapping whose maxprot forbids writes", () => {
    const { outcomes } = run([c.mmapFile(1, 1, 0, 0, { prot: "r", maxprot: "r" }), c.mlock(1, 0, 1), c.fileWrite(0, 0, 77), c.read(1, 0)]);
    expect(outcomes.at(-1)).toBe("=77");
  });

  it("reports holes and unlocked ranges as uvm_map_pageable does", () => {
    const { outcomes } = run([
      c.mmapAnon(1, 2),
      c.mmapAnon(1, 2, { prot: "none" }),
      c.mlock(1, 5, 1),
      c.mlock(1, 1, 5),
      c.mlock(1, 0, 3),
      c.munlock(1, 0, 1),
      c.mlock(1, 0, 2),
      c.munlock(1, 0, 3),
    ]);
    expect(outcomes).toEqual(["=0", "=2", "ENOMEM", "EINVAL", "EINVAL", "EINVAL", "ok", "EINVAL"]);
  });

  it("does not stack locks, and fork does not inherit them", () => {
    const { state } = run([c.mmapAnon(1, 1), c.mlock(1, 0, 1), c.mlock(1, 0, 1), c.fork(1), c.munlock(1, 0, 1)]);
    const [parent, child] = observe(state).processes;
    expect(parent!.pages[0]!.wired).toBe(false);
    expect(child!.pages[0]!.wired).toBe(false);
  });
});

describe("model: processes and the environment", () => {
  it("refuses a fork beyond the process limit with EAGAIN and commands to a dead process with ESRCH", () => {
    const { outcomes } = run([c.spawn(), c.spawn(), c.spawn(), c.fork(1), c.exit(2), c.read(2, 0)]);
    expect(outcomes).toEqual(["=2", "=3", "=4", "EAGAIN", "ok", "ESRCH"]);
  });

  it("allows ENOMEM with no effect for a command that may allocate", () => {
    const state = run([c.mmapAnon(1, 1)]).state;
    const allowed = step(state, c.write(1, 0, 5)).allowed;
    const exhausted = allowed.find((entry) => entry.cause === "memoryExhausted")!;
    expect(formatOutcome(exhausted.outcome)).toBe("ENOMEM");
    expect(observe(exhausted.state)).toEqual(observe(state));
  });

  it("never allows ENOMEM for a command that cannot allocate", () => {
    const state = run([c.mmapAnon(1, 1)]).state;
    for (const command of [c.munmap(1, 0, 1), c.mprotect(1, 0, 1, "r"), c.fork(1)]) {
      expect(step(state, command).allowed.map((entry) => entry.cause)).toEqual(["specified"]);
    }
  });
});
