// The mutation report: every mutant (a realistic refactoring slip, off by default) is killed
// by the default campaign within a fixed seed budget, by the check listed for it, with a
// counterexample that passes when the mutant is off (properties/hunting/mutant-hunt.ts); together
// with the canaries and seed bugs every check of the system catches some planted bug (no
// dead check); and `uvmcheck mutants` reports, exits and refuses bad usage as documented.
// Budgets are fixed seeds and run counts, never time. The hunts here do not shrink: the kill
// and the check of the first violation are what is asserted (`uvmcheck mutants` shrinks).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { catchMatrix, checksOf, deadChecks } from "../properties/hunting/catch-matrix.ts";
import { huntVariant } from "../properties/hunting/mutant-hunt.ts";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import { readCounterexample } from "../properties/counterexample-files/counterexample-store.ts";
import { uvmSystem } from "../systems/uvm.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import { campaign } from "./support/campaign.ts";
import { uvmcheck } from "./support/cli.ts";
import { storedRegressions, temporaryDirectory } from "./support/counterexample.ts";
import { prepareUvmVariants } from "./support/variants.ts";

interface Expected {
  /** The check that catches the mutant on `seeds[0]`. */
  readonly check: string;
  /** Checks the same slip trips first on other runs (which one comes first depends on the run). */
  readonly or?: readonly string[];
  /** Seeds to hunt it with, the one that kills it today first; `backupSeeds` follow. */
  readonly seeds: readonly number[];
  /** Fewer address-space pages than the default world: the slip is reached more often. */
  readonly vaPages?: number;
}

const expected: Readonly<Record<string, Expected>> = {
  "mutant-upper-promote-keeps-ref": { check: "invariant:G4 anon-references", seeds: [7] },
  "mutant-upper-wire-keeps-clean": { check: "invariant:G16 anon-residency", seeds: [1] },
  "mutant-amap-add-no-flush": { check: "invariant:G11 translations-match-layers", seeds: [3], vaPages: 8 },
  "mutant-shared-promote-keeps-mapping": { check: "invariant:G11 translations-match-layers", seeds: [1] },
  "mutant-ppref-off-by-one": { check: "invariant:amap-references", or: ["assertion"], seeds: [1] },
  "mutant-neighbor-cow-writable": { check: "invariant:G9 cow-object-pages-read-only", seeds: [1] },
  "mutant-lower-loan-writable": { check: "invariant:G8 loaned-pages-read-only", seeds: [1] },
  "mutant-lower-wire-keeps-aobj-swap": { check: "invariant:G15 wired-pages-off-swap", seeds: [2] },
  "mutant-unwire-range-short": { check: "invariant:G14 wiring-from-entries", or: ["healed"], seeds: [1] },
  "mutant-wire-undo-short": { check: "invariant:G14 wiring-from-entries", or: ["healed"], seeds: [1] },
  "mutant-needs-copy-anon-read": { check: "outcome", seeds: [1] },
  "mutant-fork-parent-no-needs-copy": { check: "observation", seeds: [1] },
  "mutant-fork-no-write-protect": { check: "invariant:G10 needs-copy-read-only", seeds: [1] },
  "mutant-cow-now-keeps-ref": { check: "invariant:G4 anon-references", seeds: [1] },
  "mutant-fork-share-no-object-ref": { check: "invariant:object-references", or: ["assertion", "observation"], seeds: [1] },
  "mutant-loan-kernel-no-protect": { check: "invariant:G8 loaned-pages-read-only", seeds: [1] },
  "mutant-loan-anon-no-protect": { check: "invariant:G6 shared-anons-read-only", seeds: [1] },
  "mutant-loan-wired-keeps-lock": { check: "assertion", or: ["sleep-with-lock"], seeds: [1] },
  "mutant-unloananon-keeps-ref": { check: "invariant:G4 anon-references", seeds: [1] },
  "mutant-unloanpage-keeps-count": { check: "invariant:G7 loan-accounting", seeds: [1] },
  "mutant-unloan-adopt-keeps-loan": { check: "invariant:G7 loan-accounting", seeds: [1] },
  "mutant-loan-fail-no-undo": { check: "invariant:G7 loan-accounting", or: ["invariant:G4 anon-references"], seeds: [1] },
  "mutant-loanbreak-keeps-mapping": { check: "invariant:G11 translations-match-layers", seeds: [1] },
  "mutant-loanbreak-anon-wrong-branch": { check: "invariant:frames free-or-owned-once", or: ["invariant:G7 loan-accounting"], seeds: [1] },
  "mutant-getpages-error-keeps-lock": { check: "invariant:G1-G2 nothing-busy-nothing-locked", or: ["assertion", "sleep-with-lock"], seeds: [1] },
  "mutant-swapin-error-not-bad": { check: "observation", or: ["invariant:swap-slots"], seeds: [2] },
  "mutant-swapin-keeps-swpgonly": { check: "invariant:swap-slots", seeds: [1] },
  "mutant-pageout-keeps-mappings": { check: "assertion", seeds: [1] },
  "mutant-pageout-ignores-modified": { check: "observation", seeds: [1] },
  "mutant-pageout-keeps-old-slot": { check: "invariant:swap-slots", seeds: [1] },
  "mutant-pdaemon-adopt-keeps-loan": { check: "invariant:G7 loan-accounting", seeds: [1] },
  "mutant-anfree-keeps-swpgonly": { check: "invariant:swap-slots", seeds: [1] },
  "mutant-aobj-detach-keeps-swap": { check: "invariant:swap-slots", seeds: [1] },
  "mutant-unmap-keeps-translations": { check: "invariant:G11 translations-match-layers", seeds: [1] },
  "mutant-ubc-write-keeps-clean": { check: "observation", seeds: [1] },
  "mutant-pagecopy-keeps-clean": { check: "invariant:G16 anon-residency", or: ["assertion"], seeds: [1] },
  "mutant-mlock-skips-amap-copy": { check: "assertion", seeds: [1] },
  "mutant-promote-enomem-keeps-busy": {
    check: "assertion",
    or: ["invariant:G1-G2 nothing-busy-nothing-locked", "invariant:G3 busy-pages-owned-by-parked-threads"],
    seeds: [1],
  },
  "mutant-wipeout-keeps-lock-ref": { check: "invariant:G5 lock-identity", seeds: [1] },
  "mutant-loanbreak-anon-keeps-pqanon": { check: "invariant:G12 ownership-links", seeds: [1] },
  "mutant-direct-ignores-write-fault": { check: "invariant:G13 clean-objects", seeds: [1] },
  "mutant-loanpage-lends-wired": { check: "outcome", or: ["invariant:G14 queues-and-wiring", "observation"], seeds: [1] },
  "mutant-lower-enter-keeps-fake": { check: "invariant:G17 no-fake-page-mapped", seeds: [1] },
  "mutant-anonget-skips-amap-recheck": { check: "invariant:G11 translations-match-layers", or: ["observation"], seeds: [1, 3], vaPages: 8 },
  "mutant-zero-put-frees": { check: "invariant:zero-page", seeds: [1] },
};

/**
 * The checks a mutant may be caught by: its own, and `linearizability`, the outcome check of an
 * operation that ran on a thread (the same slip shows up under that name when the command
 * that trips it is a thread's operation).
 */
function allowedChecks(name: string): string[] {
  const want = expected[name]!;
  return [want.check, ...(want.or ?? []), "linearizability"];
}

/** Tried after a mutant's own seeds: the budget stays fixed when the generators change. */
const backupSeeds = [1, 2, 3, 4, 5, 6, 7, 8];
const runsPerSeed = 300;

/** The default campaign (`uvmcheck run`'s), as `uvmcheck mutants` hunts with it. */
const defaults = { system: uvmSystem, world: defaultWorld, contract: exhaustibleMemory, failures: true, runs: runsPerSeed, maxCommands: 60 } as const;

const mutants = uvmSystem.variants.filter((variant) => variant.kind === "mutant");

beforeAll(() => prepareUvmVariants());

/** The check each killed mutant was caught by in this file's runs. */
const caughtBy = new Map<string, string>();

/**
 * The check each canary is caught by, as test/canaries.test.ts asserts it (its `expectedCheck`
 * table, read as text: a test file cannot be imported without running its tests twice).
 */
function canaryChecks(): Map<string, string> {
  const text = readFileSync(join(import.meta.dirname, "canaries.test.ts"), "utf8");
  const table = text.slice(text.indexOf("const expectedCheck"), text.indexOf("};", text.indexOf("const expectedCheck")));
  return new Map([...table.matchAll(/^\s*"(canary-[^"]+)":\s*"([^"]+)",?$/gm)].map((match) => [match[1]!, match[2]!]));
}

/** The check of each stored counterexample of a variant (test/counterexamples.test.ts replays them). */
function storedVariantChecks(): Map<string, string> {
  const directory = join(import.meta.dirname, "..", "counterexamples");
  const checks = new Map<string, string>();
  for (const name of storedRegressions(directory)) {
    const file = readCounterexample(join(directory, name));
    if (file.variant !== null && file.status === "open") checks.set(file.variant, file.failure.check);
  }
  return checks;
}

describe("mutants", () => {
  it("there are at least 25, each with an expected check, a description and the seed lines it corrupts", () => {
    expect(mutants.length).toBeGreaterThanOrEqual(25);
    expect(mutants.map((mutant) => mutant.name).sort()).toEqual(Object.keys(expected).sort());
    for (const mutant of mutants) {
      expect(mutant.name, mutant.name).toMatch(/^mutant-[a-z0-9-]+$/);
      expect(mutant.description.length, mutant.name).toBeGreaterThan(10);
      expect(mutant.corrupts.length, mutant.name).toBeGreaterThan(3);
    }
  });

  for (const mutant of mutants) {
    const want = expected[mutant.name];
    it(`${mutant.name} is killed by ${want?.check}`, () => {
      expect(want, `${mutant.name} has no expected check`).toBeDefined();
      const seeds = [...new Set([...want!.seeds, ...backupSeeds])];
      const world = want!.vaPages === undefined ? defaultWorld : { ...defaultWorld, vaPages: want!.vaPages };
      const hunt = huntVariant({ ...defaults, variant: mutant.name, world, seeds, shrink: false });
      expect(hunt.killed, `${mutant.name} survived seeds ${seeds.join(", ")} × ${runsPerSeed} runs`).toBe(true);
      expect(allowedChecks(mutant.name)).toContain(hunt.caughtBy);
      caughtBy.set(mutant.name, hunt.caughtBy!);
    });
  }

  it("docs/mutants.md lists every mutant in its generated catalog", () => {
    const document = readFileSync(join(import.meta.dirname, "..", "docs", "mutants.md"), "utf8");
    const generated = document.slice(document.indexOf("\n<!-- generated by"));
    for (const mutant of mutants) expect(generated, `regenerate docs/mutants.md (${mutant.name})`).toContain(`| \`${mutant.name}\` | mutant |`);
  });

  it("every check of the system catches some planted bug (no dead checks)", () => {
    const canaries = canaryChecks();
    expect([...canaries.keys()].sort()).toEqual(
      uvmSystem.variants
        .filter((variant) => variant.kind === "canary")
        .map((variant) => variant.name)
        .sort(),
    );
    const mutantKills = mutants.map((mutant) => caughtBy.get(mutant.name) ?? expected[mutant.name]!.check);
    const caught = new Set([...canaries.values(), ...storedVariantChecks().values(), ...mutantKills]);
    const required = checksOf(uvmSystem);
    for (const check of ["outcome", "observation", "healed", "assertion"]) expect(required).toContain(check);
    expect(required.filter((check) => !caught.has(check))).toEqual([]);
  });
});

describe("the hunt and the catch matrix", () => {
  const hunt = (variant: string, seeds: readonly number[], runs: number) => huntVariant({ ...defaults, variant, runs, seeds, shrink: false });

  it("counts every command of a survivor's campaigns, and without a clock reports no seconds", () => {
    const survivor = hunt("mutant-amap-add-no-flush", [1, 2], 4);
    const executed =
      campaign({ runs: 4, seed: 1, variant: "mutant-amap-add-no-flush" }).commands +
      campaign({ runs: 4, seed: 2, variant: "mutant-amap-add-no-flush" }).commands;
    expect(survivor).toMatchObject({ killed: false, seedsTried: 2, commands: executed, seconds: null, caughtBy: null });
  });

  it("is deterministic: the same hunt twice gives the same kill", () => {
    const first = hunt("mutant-needs-copy-anon-read", backupSeeds, 300);
    const second = hunt("mutant-needs-copy-anon-read", backupSeeds, 300);
    expect(first.killed).toBe(true);
    expect(second).toEqual(first);
  });

  it("puts each caught variant in the row of its check, and finds dead checks", () => {
    const rows = catchMatrix(
      ["outcome", "observation"],
      [
        { variant: "a", caughtBy: "outcome" },
        { variant: "b", caughtBy: null },
        { variant: "c", caughtBy: "crash" },
      ],
    );
    expect(rows).toEqual([
      { check: "outcome", variants: ["a"] },
      { check: "observation", variants: [] },
      { check: "crash", variants: ["c"] },
    ]);
    expect(deadChecks(rows)).toEqual(["observation"]);
  });
});

describe("uvmcheck mutants", () => {
  it("--only NAME --json prints one object with the documented fields and exits 0 when the mutant is killed", () => {
    const { status, stdout } = uvmcheck(["mutants", "--only", "mutant-needs-copy-anon-read", "--json", "--out", temporaryDirectory()]);
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as {
      mutants: { name: string; killed: boolean; seconds: number; commands: number; shrunkLength: number; caughtBy: string }[];
      killed: number;
      total: number;
    };
    expect(report.total).toBe(1);
    expect(report.killed).toBe(1);
    expect(report.mutants).toHaveLength(1);
    const [mutant] = report.mutants;
    expect(mutant!.name).toBe("mutant-needs-copy-anon-read");
    expect(mutant!.killed).toBe(true);
    expect(allowedChecks("mutant-needs-copy-anon-read")).toContain(mutant!.caughtBy);
    expect(typeof mutant!.seconds).toBe("number");
    expect(mutant!.commands).toBeGreaterThan(0);
    expect(mutant!.shrunkLength).toBeGreaterThan(0);
  });

  it("exits 1 and reports the survivor when a mutant outlives its seeds (one seed of one run)", () => {
    const { status, stdout } = uvmcheck(["mutants", "--only", "mutant-amap-add-no-flush", "--max-seeds", "1", "--runs", "1", "--json", "--out", temporaryDirectory()]);
    expect(status).toBe(1);
    const report = JSON.parse(stdout) as {
      mutants: { killed: boolean; caughtBy: string | null; shrunkLength: number | null }[];
      killed: number;
      total: number;
    };
    expect(report).toMatchObject({ killed: 0, total: 1 });
    expect(report.mutants[0]).toMatchObject({ killed: false, caughtBy: null, shrunkLength: null, seedsTried: 1 });
  });

  it.each([
    [["mutants", "--only", "no-such-mutant"]],
    [["mutants", "--budget-seconds=-1"]],
    [["mutants", "--budget-seconds", "0"]],
    [["mutants", "--out", "package.json"]],
    [["mutants", "--max-seeds", "many"]],
    [["mutants", "--json", "--markdown"]],
  ])("exits 2 on bad usage with one line on stderr: %j", (args) => {
    const { status, stdout, stderr } = uvmcheck(args);
    expect(status).toBe(2);
    if (args.includes("--json")) expect(JSON.parse(stdout)).toMatchObject({ error: { kind: "usage", exitCode: 2 } });
    else expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^uvmcheck: /);
  });
});
