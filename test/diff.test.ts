// The differential mode: two systems and the model on the same sequences. The faithful UVM
// against itself never diverges; against the copy-on-write canary (a promotion that skips the
// data copy) the first divergence is the promoting write, the model sides with A, and the
// concrete prefix replays to the same index. Budgets are fixed seeds and run counts.
import { describe, expect, it } from "vitest";
import { compareCommands, type DiffResult, type DiffSide, runDiff } from "../properties/hunting/diff.ts";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import { uvmSystem } from "../systems/uvm.ts";
import type { Command } from "../vocabulary/command.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import { uvmcheck, uvmcheckWithSeeds } from "./support/cli.ts";
import { temporaryDirectory } from "./support/counterexample.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

const canary = "canary-cow-copy-skip";

function uvm(variant: string | null): DiffSide {
  return { system: uvmSystem, variant, spec: variant === null ? "uvm" : `uvm:${variant}` };
}

function diff(b: DiffSide, seed: number, runs: number) {
  return runDiff({ a: uvm(null), b, world: defaultWorld, runs, seed, maxCommands: 60, contract: exhaustibleMemory });
}

const pair = { a: uvm(null), b: uvm(canary), world: defaultWorld, contract: exhaustibleMemory };

/**
 * The divergence of uvm against the canary found by the first of `seeds` whose diff finds one
 * that `wanted` accepts (a seed budget with fallbacks, not the one seed that finds it today).
 */
function canaryDivergence(seeds: readonly number[], wanted: (found: NonNullable<DiffResult["divergence"]>) => boolean = () => true) {
  let found: DiffResult["divergence"] = null;
  for (const seed of seeds) {
    found = diff(uvm(canary), seed, 300).divergence;
    if (found !== null && wanted(found)) return found;
  }
  return found;
}

/** Fallback seeds after `seed`. */
const budget = (seed: number) => [seed, seed + 10, seed + 20, seed + 30];

/** Copy-on-write promotions (case 1B, case 2B copy) the faithful system makes running command `index`. */
function promotionsIn(hardwareSeed: number, commands: readonly Command[], index: number): number {
  const system = uvmSystem.create({ world: defaultWorld, variant: null, seed: hardwareSeed });
  for (const command of commands.slice(0, index)) system.apply(command);
  const promotions = () => (system.coverage().get("fault.1B") ?? 0) + (system.coverage().get("fault.2B.copy") ?? 0);
  const before = promotions();
  system.apply(commands[index]!);
  return promotions() - before;
}

describe("diff (library)", () => {
  it("uvm against uvm finds no divergence", () => {
    const result = diff(uvm(null), 1, 150);
    expect(result.divergence).toBeNull();
    expect(result.runs).toBe(150);
    expect(result.commands).toBeGreaterThan(1000);
  });

  it(`uvm against uvm:${canary} (seed 1) points at the promoting write, and the model agrees with A`, () => {
    const found = canaryDivergence(budget(1), (divergence) => divergence.command.kind === "write");
    expect(found).not.toBeNull();
    if (found === null) return;
    expect(found.command.kind).toBe("write");
    expect(found.kind).toBe("observation");
    expect(found.a).toBe("ok");
    expect(found.b).toBe("ok");
    expect(found.observation).toMatch(/^pid \d+ va \d+ word \d+: A \d+, B \d+$/);
    expect(found.modelAgrees).toBe("A");
    expect(found.modelLostTrackAt).toBeNull();
    expect(found.index).toBe(found.commands.length - 1);
    expect(found.commands[found.index]).toEqual(found.command);
  });

  it.each([1, 2, 3, 4])(`uvm against uvm:${canary} (seed %i): the first divergent command is a promotion in A, and the model agrees with A`, (seed) => {
    const found = canaryDivergence(budget(seed));
    expect(found).not.toBeNull();
    if (found === null) return;
    // A write fault promotes: a write, or an mlock that wires a private writable page.
    expect(["write", "mlock"]).toContain(found.command.kind);
    expect(found.kind).toBe("observation");
    expect(found.modelAgrees).toBe("A");
    expect(promotionsIn(found.hardwareSeed, found.commands, found.index)).toBeGreaterThan(0);
  });

  it.each([1, 2])("the reported prefix replays (seed %i): A and B agree before the index and differ at it", (seed) => {
    const found = canaryDivergence(budget(seed))!;
    for (let length = 1; length <= found.index; length++) {
      const prefix = compareCommands(pair, found.hardwareSeed, found.commands.slice(0, length));
      expect(prefix.divergence, `prefix of ${length}`).toBeNull();
      expect(prefix.agreed).toBe(length);
    }
    const whole = compareCommands(pair, found.hardwareSeed, found.commands);
    expect(whole.agreed).toBe(found.index);
    expect(whole.divergence?.index).toBe(found.index);
    expect(whole.divergence?.observation).toBe(found.observation);
  });
});

describe("uvmcheck diff (command line)", () => {
  it(`exits 1 with one JSON object naming the first divergent command against uvm:${canary}`, () => {
    const out = temporaryDirectory();
    const { seed, result } = uvmcheckWithSeeds(
      (seed) => ["diff", "--a", "uvm", "--b", `uvm:${canary}`, "--runs", "300", "--seed", String(seed), "--json", "--out", out],
      (result) => result.status === 1 && result.stdout.includes('"kind":"write"'),
    );
    const { status, stdout } = result;
    expect(status).toBe(1);
    const report = JSON.parse(stdout) as {
      a: string;
      b: string;
      seed: number;
      divergence: { index: number; command: { kind: string }; modelAgrees: string };
      files: { side: string; check: string; saved: { kind: string; path: string } }[];
    };
    expect(report.a).toBe("uvm");
    expect(report.b).toBe(`uvm:${canary}`);
    expect(report.seed).toBe(seed);
    expect(report.divergence.command.kind).toBe("write");
    expect(report.divergence.modelAgrees).toBe("A");
    expect(report.files).toEqual([{ side: "B", check: "observation", saved: { kind: expect.any(String), path: expect.stringContaining(out) } }]);
    expect(uvmcheck(["replay", report.files[0]!.saved.path]).status).toBe(1);
  });

  it("prints the divergence, the verdict and the shrunk commands, marking the divergent one", () => {
    const { seed, result } = uvmcheckWithSeeds(
      (seed) => ["diff", "--a", "uvm", "--b", `uvm:${canary}`, "--runs", "300", "--seed", String(seed), "--out", temporaryDirectory()],
      (result) => result.status === 1 && /DIVERGENCE at command \d+ \(write\)/.test(result.stdout),
    );
    const { status, stdout } = result;
    expect(status).toBe(1);
    expect(stdout).toMatch(/, no threads\n/);
    expect(stdout).toMatch(/DIVERGENCE at command \d+ \(write\): observation/);
    expect(stdout).toMatch(/the model agrees with A/);
    expect(stdout).toMatch(new RegExp(`reproduce: npx uvmcheck diff --a uvm --b uvm:canary-cow-copy-skip --seed ${seed} --runs 300`));
    expect(stdout).toMatch(/▶ +\d+ +write pid=/);
    expect(stdout).toMatch(/B alone fails observation against the model: counterexample (written to|the same finding as) /);
  });

  it("exits 0 when A and B agree", () => {
    const { status, stdout } = uvmcheck(["diff", "--a", "uvm", "--b", "uvm", "--runs", "40", "--seed", "1", "--out", temporaryDirectory()]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/40 runs, \d+ commands run on both sides, no divergence/);
  });

  it.each([
    [["diff", "--a", "uvm"]],
    [["diff", "--a", "uvm", "--b", "no-such-system"]],
    [["diff", "--a", "uvm", "--b", "uvm:no-such-variant"]],
    [["diff", "--a", "./no/such/module.ts", "--b", "uvm"]],
    [["diff", "--a", "uvm", "--b", "uvm", "--runs", "0"]],
  ])("exits 2 on bad usage: %j", (args) => {
    const { status, stderr } = uvmcheck(args);
    expect(status).toBe(2);
    expect(stderr.trim().split("\n")[0]).not.toBe("");
  });
});
