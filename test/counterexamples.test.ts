// Every stored counterexample (counterexamples/*.json) is a named regression, replayed here:
//
//   open, for a variant   fails with its stored check with the variant on, passes with it off
//   open, no variant      still fails with its stored check (a known bug, not fixed yet)
//   fixed                 passes (a regression: a bug uvmcheck found and we fixed)
//
// and each open one is 1-minimal, and `shrink` never makes it bigger. Every canary and seed-bug variant has one, except the variants
// listed below as not catchable yet. Each fixed one still reaches the paths it once broke (its
// coverage counters, `pathsOfFixed`): a change that stops it getting there makes it a
// regression test of nothing, and fails here.
import { join } from "node:path";
import { setAutoFreeze } from "immer";
import { beforeAll, describe, expect, it } from "vitest";
import { readCounterexample } from "../properties/counterexample-files/counterexample-store.ts";
import { replayCommands, setupFromFile } from "../properties/counterexample-files/replay.ts";
import { shrinkCounterexample } from "../properties/counterexample-files/shrink/shrink.ts";
import { uvmSystem } from "../systems/uvm.ts";
import type { WorldConfig } from "../vocabulary/world.ts";
import { storedRegressions } from "./support/counterexample.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants of the stored counterexamples, loaded before any test replays one in-process.
await prepareVariantsNamedIn(join(import.meta.dirname, "..", "counterexamples"));

const directory = join(import.meta.dirname, "..", "counterexamples");
const names = storedRegressions(directory);
const files = names.map((name) => ({ name, file: readCounterexample(join(directory, name)) }));

/**
 * Seed-bug variants without a stored counterexample, and why (docs/semantics.md, "Seed bugs
 * we cannot show"):
 *
 *   seed-F4  uvm_loanuobjpages' PG_RELEASED path is unreachable: no pager of this era
 *            releases a BUSY object page (genfs_putpages and uao_put wait for it)
 *   seed-F5  the stale loan is a snapshot an earlier instant had: with the loan taking
 *            effect before the racing write, no check can tell it from a correct one
 */
const notCatchableYet: ReadonlySet<string> = new Set(["seed-F4", "seed-F5"]);

/** The coverage counters each fixed regression must drive above zero: the paths where it once failed. */
const pathsOfFixed: Readonly<Record<string, readonly string[]>> = {
  "fixed-anonget-relocks-freed-anon.json": ["restart.memoryWait", "restart.amapSlotChanged", "unloan.anon"],
  "fixed-aobj-read-waits-for-failed-swapin.json": ["swap.readFailure", "restart.pageBusyWait"],
  "fixed-late-backing-read-failure.json": ["fault.lowerIo", "restart.memoryWait"],
  "fixed-late-enomem-after-mprotect.json": ["shm.attach", "swap.in", "restart.memoryWait"],
  "fixed-late-read-failure-cleared-before-completion.json": ["fault.lowerIo", "restart.pageBusyWait", "swap.in"],
  "fixed-late-swap-read-failure.json": ["trylock.contended", "unloan.anon"],
  "fixed-loanread-eio-after-shared-swapin-failure.json": ["loan.anonToAnon", "swap.readFailure", "restart.pageBusyWait"],
  "fixed-loanread-eio-after-unmapped-swapin-failure.json": ["loan.anonToAnon", "swap.readFailure", "restart.relockFailed"],
  "fixed-incremental-silent-loss-before-clear-failures.json": ["swap.writeFailure", "pdaemon.run"],
  "fixed-loanfile-enomem-unqueued.json": ["loan.objectPages", "alloc.failure", "unloan.page"],
  "fixed-loan-einval-swapin-loss.json": ["loan.objectToKernel", "swap.readFailure"],
  "fixed-loan-handle-at-completion.json": ["loan.zeroToKernel", "swap.in", "thread.parked"],
  "fixed-loan-reuse-capped.json": ["loan.objectToAnon", "pdaemon.loanBreak", "swap.writeFailure"],
  "fixed-loan-undo-in-progress.json": ["loan.objectPages", "loan.failWired"],
  "fixed-loan-swapin-loss-after-fork.json": ["fork.copy", "swap.readFailure", "restart.pageBusyWait"],
  "fixed-loanbreak-under-dying-borrower.json": ["loan.awaitDisposal", "loanbreak.object"],
  "fixed-page-wait-on-recycled-frame.json": ["loan.objectPages", "restart.pageBusyWait", "thread.parked"],
  "fixed-mlock-copy-before-park.json": ["fault.wire", "fault.2B.copy", "pmap.enterFailure"],
  "fixed-mlock-meets-unmapped-loss.json": ["fault.wire", "swap.readFailure", "restart.pageBusyWait"],
  "fixed-pdaemon-inactive-target.json": ["pdaemon.run", "restart.memoryWait"],
  "fixed-promote-source-unqueued.json": ["fault.2B.copy", "fork.copy"],
  "fixed-read-waits-for-failed-swapin.json": ["swap.readFailure", "restart.pageBusyWait"],
  "fixed-read-zero-fill-after-remap.json": ["fault.2B.zero", "pmap.enterFailure", "loan.anonToAnon"],
  "fixed-stale-wired-translation.json": ["fault.wire", "fault.1B", "pmap.enterFailure"],
  "fixed-swapin-fake-after-read.json": ["swap.in", "restart.relockFailed"],
  "fixed-unloan-waits-for-readers.json": ["unloan.anon", "swap.readFailure", "restart.pageBusyWait"],
  "fixed-unattached-segment-loss.json": ["shm.attach", "swap.writeFailure", "pdaemon.run"],
  "fixed-write-copy-then-efault.json": ["fault.1B", "pmap.enterFailure", "swap.writeFailure", "fault.efault"],
  "fixed-write-efault-after-munmap.json": ["swap.readFailure", "restart.pageBusyWait", "fault.efault"],
  "fixed-write-copy-after-fork.json": ["fork.copy", "fault.1B", "pmap.enterFailure", "swap.readFailure"],
  "fixed-write-only-zero-copy-lost.json": ["fault.2B.zero", "pmap.enterFailure", "swap.writeFailure"],
  "fixed-write-swapin-loss.json": ["swap.readFailure", "restart.relockFailed"],
  "fixed-write-zero-copy-lost.json": ["fault.2B.zero", "pmap.enterFailure", "swap.writeFailure"],
  "fixed-zero-fill-fork-loss.json": ["fault.2B.zero", "pmap.enterFailure", "swap.readFailure"],
  "fixed-zero-fill-refused-access.json": ["fault.eacces", "swap.readFailure"],
};

beforeAll(() => setAutoFreeze(false));

describe("stored counterexamples", () => {
  it("exist for every canary and seed-bug variant that can be caught", () => {
    const stored = new Set(files.map(({ file }) => file.variant));
    const wanted = uvmSystem.variants.filter((variant) => variant.kind !== "mutant" && !notCatchableYet.has(variant.name)).map((variant) => variant.name);
    expect(wanted.filter((name) => !stored.has(name))).toEqual([]);
  });

  it("name the paths every fixed regression must still reach, and only theirs", () => {
    const fixed = files.filter(({ file }) => file.status === "fixed").map(({ name }) => name);
    expect(Object.keys(pathsOfFixed).sort()).toEqual(fixed);
  });

  it.each(files.filter(({ file }) => file.status === "fixed"))("$name still reaches the paths it once broke", ({ name, file }) => {
    const coverage = replayCommands(setupFromFile(file, uvmSystem), file.commands).runner.system.coverage();
    for (const counter of pathsOfFixed[name] ?? []) expect(coverage.get(counter) ?? 0, counter).toBeGreaterThan(0);
  });

  it.each(files)("$name replays as its status says", ({ file }) => {
    expect(file.system).toBe(uvmSystem.name);
    const replay = (variant: string | null) => replayCommands(setupFromFile(file, uvmSystem, variant), file.commands).violation;
    if (file.status === "fixed") {
      expect(replay(file.variant)).toBeNull();
      return;
    }
    expect(replay(file.variant)?.check).toBe(file.failure.check);
    if (file.variant !== null) expect(replay(null), "passes with the variant switched off").toBeNull();
  });

  const open = files.filter(({ file }) => file.status === "open");

  it.each(open)("$name shrinks no further than it is, keeping its check", ({ file }) => {
    const result = shrinkCounterexample(setupFromFile(file, uvmSystem), file.commands);
    expect(result?.violation.check).toBe(file.failure.check);
    expect(result!.commands.length).toBeLessThanOrEqual(file.commands.length);
    for (const [key, size] of Object.entries(file.configuration.world)) expect(result!.setup.world[key as keyof WorldConfig], key).toBeLessThanOrEqual(size);
  });

  it.each(open)("$name is 1-minimal and says why it fails", ({ file }) => {
    expect(file.rootCause ?? "").not.toBe("");
    const setup = setupFromFile(file, uvmSystem);
    for (let index = 0; index < file.commands.length; index++) {
      const without = [...file.commands.slice(0, index), ...file.commands.slice(index + 1)];
      expect(replayCommands(setup, without).violation?.check, `command ${index} can be removed`).not.toBe(file.failure.check);
    }
  });
});
