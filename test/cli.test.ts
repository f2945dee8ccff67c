// The command line, end to end: the default campaign's JSON report, exit codes, bad usage.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { uvmSystem } from "../systems/uvm.ts";
import { uvmcheck, uvmcheckWithSeeds } from "./support/cli.ts";
import { storedRegressions, temporaryDirectory } from "./support/counterexample.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

describe("uvmcheck run", () => {
  it("--runs 300 --seed 1 --json exits 0 with no violation and every required counter above zero", () => {
    const { status, stdout } = uvmcheck(["run", "--runs", "300", "--seed", "1", "--json", "--out", temporaryDirectory()]);
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as {
      system: string;
      seed: number;
      runs: number;
      commands: number;
      violations: unknown[];
      coverage: Record<string, number>;
    };
    expect(report.system).toBe("uvm");
    expect(report.seed).toBe(1);
    expect(report.runs).toBe(300);
    expect(report.violations).toEqual([]);
    for (const name of uvmSystem.requiredCoverage) expect(report.coverage[name], name).toBeGreaterThan(0);
  });

  it("exits 1 and prints the shrunk counterexample with its seed, path and replayPath when a variant is caught", () => {
    const { seed, result } = uvmcheckWithSeeds(
      (seed) => ["run", "--runs", "200", "--seed", String(seed), "--variant", "canary-cow-copy-skip", "--schedule", "none", "--out", temporaryDirectory()],
      (result) => result.status === 1,
    );
    const { status, stdout } = result;
    expect(status).toBe(1);
    expect(stdout).toMatch(/VIOLATION observation/);
    expect(stdout).toMatch(new RegExp(` {2}seed=${seed} hardwareSeed=\\d+ replayPath="[^"]*"\\n {2}path="[\\d:]+"`));
    expect(stdout).toMatch(/shrunk to \d+ commands/);
  });

  it.each([
    [["run", "--no-such-flag"]],
    [["run", "--runs", "many"]],
    [["run", "--runs", "0"]],
    [["run", "--variant", "no-such-variant"]],
    [["run", "--frames", "-3"]],
    [["run", "--liveness-bound", "0"]],
    [["run", "--schedule", "round-robin"]],
    [["run", "--from-run", "300"]],
    [["run", "--out", "package.json"]],
    [["run", "--junit", "test"]],
    [["frobnicate"]],
  ])("exits 2 on bad usage: %j", (args) => {
    const { status, stderr } = uvmcheck(args);
    expect(status).toBe(2);
    expect(stderr.trim().split("\n")[0]).not.toBe("");
  });
});

describe("uvmcheck variants and bench", () => {
  it("lists every variant with a kind and a description", () => {
    const { status, stdout } = uvmcheck(["variants", "--json"]);
    expect(status).toBe(0);
    const variants = JSON.parse(stdout) as { name: string; kind: string; description: string }[];
    expect(variants.map((variant) => variant.name)).toEqual(uvmSystem.variants.map((variant) => variant.name));
  });

  it("prints the figures as one JSON object: medians with their spread, and the ratios of issue 16", () => {
    const quick = ["--runs", "2", "--max-commands", "30", "--repetitions", "2", "--pages", "64", "--long", "150"];
    const { status, stdout, stderr } = uvmcheck(["bench", ...quick, "--json"]);
    expect(status, stderr).toBe(0);
    const report = JSON.parse(stdout) as {
      figures: Record<string, Figure>;
      ratios: Record<string, Figure>;
      campaign: { commands: number };
      scalePeak: { frames: number };
    };
    const names = [
      "campaign",
      "floor",
      "implementation",
      "model",
      "case-1A fault",
      "resident read hit",
      "resident 32",
      "resident 64",
      "run length 30",
      "run length 150",
      "jobs 1",
      "jobs 2",
      "scale campaign",
    ];
    for (const name of names) wellFormed(report.figures[name], name, 2);
    for (const name of ["campaignOverFloor", "modelOverImplementation", "residentLargeOverSmall", "longOverShort", "jobsOneOverMany"])
      wellFormed(report.ratios[name], name, 2);
    expect(report.campaign.commands).toBeGreaterThan(0);
    expect(report.scalePeak.frames).toBeGreaterThan(0);
  });
});

interface Figure {
  secondsPerUnit: number;
  spread: [number, number];
  samples: number[];
}

/** A median with its spread: positive and finite, the spread around 1, one sample a round. */
function wellFormed(figure: Figure | undefined, name: string, rounds: number): void {
  expect(figure, name).toBeDefined();
  expect(Number.isFinite(figure!.secondsPerUnit) && figure!.secondsPerUnit > 0, name).toBe(true);
  expect(figure!.spread[0], name).toBeLessThanOrEqual(1);
  expect(figure!.spread[1], name).toBeGreaterThanOrEqual(1);
  expect(figure!.samples, name).toHaveLength(rounds);
}

describe("the README's own example", () => {
  const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
  const lines = [...readme.matchAll(/^npx uvmcheck ((?:run --variant|shrink|replay --trace) [^#\n]*?)\s*(?:#.*)?$/gm)].map((match) => match[1]!.split(" "));

  it("names its files in counterexamples/found/", () => {
    expect(lines.map((args) => args[0])).toEqual(["run", "shrink", "replay"]);
    for (const args of lines.slice(1)) expect(args.at(-1)).toMatch(/^counterexamples\/found\/[\w.-]+\.json$/);
  });

  it("run, shrink, replay: the files land in counterexamples/found/, which the suite never replays", () => {
    const cwd = temporaryDirectory();
    // The README's own command; should its seed stop finding the canary, the next seeds stand in.
    const withSeed = (seed: number) => lines[0]!.map((arg, index) => (lines[0]![index - 1] === "--seed" ? String(seed) : arg));
    const run = uvmcheckWithSeeds(withSeed, (result) => result.status === 1, [1, 2, 3, 4, 5], { cwd }).result;
    expect(run.status).toBe(1);
    const written = /^ *counterexample written to (\S+)$/m.exec(run.stdout)?.[1] ?? "";
    expect(written).toMatch(/^counterexamples\/found\//);
    const shrink = uvmcheck(["shrink", written], { cwd });
    expect(shrink.status).toBe(0);
    const shrunk = written.replace(/\.json$/, ".shrunk.json");
    expect(uvmcheck(["replay", "--trace", shrunk], { cwd }).status).toBe(1);
    expect(readdirSync(join(cwd, "counterexamples", "found")).sort()).toEqual([written, shrunk].map((path) => path.split("/").at(-1)).sort());
    expect(existsSync(join(cwd, "counterexamples"))).toBe(true);
    expect(storedRegressions(join(cwd, "counterexamples"))).toEqual([]);
  });
});
