// Capabilities: a system declares the command families it runs (vocabulary/command-family.ts),
// and nothing of a family it lacks ever reaches it. The fakes (support/fake-systems.ts) are
// UVM behind a door that throws on a command of a family it says it lacks, so a campaign that
// generated one fails with check `crash`; over many seeds none does, while the families they
// have are exercised. A stored file that uses a lacking family is refused (exit 2, one line);
// `diff` runs only what both sides run and says what it left out; a module that declares
// nothing gets the documented default.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setAutoFreeze } from "immer";
import { beforeAll, describe, expect, it } from "vitest";
import { readCounterexample, writeCounterexample } from "../properties/counterexample-files/counterexample-store.ts";
import { setupFromFile } from "../properties/counterexample-files/replay.ts";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import { runCampaign } from "../properties/hunting/campaign.ts";
import { runDiff } from "../properties/hunting/diff.ts";
import { uvmSystem } from "../systems/uvm.ts";
import { type CommandFamily, commandFamilies, familiesOf } from "../vocabulary/command-family.ts";
import { fullProfile, systemProfile } from "../vocabulary/system-profile.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import { uvmcheck } from "./support/cli.ts";
import { temporaryDirectory } from "./support/counterexample.ts";
import { type FakeSystem, uvmWithout } from "./support/fake-systems.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

beforeAll(() => setAutoFreeze(false));

const seeds = [1, 2, 3, 4, 5, 6, 7, 8];

/**
 * Campaigns of `system` over `seeds`: none may give it a command of a family it lacks (the
 * fake's door throws, a crash naming the family). A violation of UVM's own stops a campaign
 * early and is no concern of this test.
 */
function campaigns(system: FakeSystem): void {
  for (const seed of seeds) {
    const result = runCampaign({ system, world: defaultWorld, runs: 8, seed, maxCommands: 40, variant: null, contract: exhaustibleMemory });
    const doorClosed = result.violations.filter((found) => found.violation.message.includes("family it lacks"));
    expect(doorClosed.map((found) => `seed ${seed}: ${found.violation.message}`)).toEqual([]);
  }
}

describe("a family a system lacks is never generated for it", () => {
  const cases: readonly { readonly lacking: readonly CommandFamily[]; readonly name: string }[] = [
    { lacking: ["loans"], name: "loans" },
    { lacking: ["threads"], name: "threads" },
    { lacking: ["loans", "threads"], name: "loans and threads" },
    { lacking: ["files", "machine"], name: "files and the machine" },
  ];

  it.each(cases)("UVM without $name: campaigns over 8 seeds never give it one, and give it the rest", ({ lacking }) => {
    const system = uvmWithout(lacking);
    campaigns(system);
    for (const family of lacking) expect(system.seen.get(family) ?? 0, family).toBe(0);
    const exercised = commandFamilies.filter((family) => !lacking.includes(family));
    for (const family of exercised) expect(system.seen.get(family) ?? 0, family).toBeGreaterThan(0);
  });

  it("diff of UVM against UVM without loans: no divergence, loans left out, none given to B", () => {
    const b = uvmWithout(["loans"]);
    const result = runDiff({ a: { system: uvmSystem, variant: null, spec: "uvm" }, b: { system: b, variant: null, spec: "b" }, world: defaultWorld, runs: 40, seed: 1, maxCommands: 40, contract: exhaustibleMemory });
    expect(result.divergence).toBeNull();
    expect(result.familiesLeftOut).toEqual([{ family: "loans", missingFrom: "B" }]);
    expect(b.seen.get("loans") ?? 0).toBe(0);
    expect(b.seen.get("files") ?? 0).toBeGreaterThan(0);
  });
});

describe("uvmcheck diff names the families it left out", () => {
  it("text and --json, against a module without loans", () => {
    const module = join(import.meta.dirname, "support", "no-loans-system.ts");
    const text = uvmcheck(["diff", "--a", "uvm", "--b", module, "--runs", "20", "--seed", "1"]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("families left out: loans (B does not run it)");
    const json = uvmcheck(["diff", "--a", module, "--b", "uvm", "--runs", "20", "--seed", "1", "--json"]);
    expect(json.status).toBe(0);
    expect((JSON.parse(json.stdout) as { familiesLeftOut: unknown }).familiesLeftOut).toEqual([{ family: "loans", missingFrom: "A" }]);
  });
});

describe("profiles", () => {
  it("UVM declares every family and every allowance", () => {
    expect(systemProfile(uvmSystem)).toEqual(fullProfile);
  });

  it("a factory without `families` runs every family, threads only if its instances report completions", () => {
    expect([...systemProfile(uvmWithout([], { declared: false })).families].sort()).toEqual([...commandFamilies].sort());
    expect(systemProfile(uvmWithout(["threads"], { declared: false })).families.has("threads")).toBe(false);
  });

  it("the core families are always run, whatever a factory declares", () => {
    const { families } = systemProfile({ ...uvmWithout([]), families: [] });
    for (const family of ["processes", "mappings", "access"] as const) expect(families.has(family)).toBe(true);
  });
});

describe("a stored file with a command of a lacking family is refused", () => {
  const stored = readCounterexample(join(import.meta.dirname, "..", "counterexamples", "canary-loanpage-count-invariant-g7-loan-accounting-1.json"));
  const index = stored.commands.findIndex((command) => familiesOf(command).includes("loans"));
  const kind = stored.commands[index]!.kind;
  const message = `commands[${index}]: ${kind} is a command of the loans family, which system uvm-without-loans does not run`;

  it("by the loader, naming the command, the family and the system", () => {
    const system = uvmWithout(["loans"]);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(() => setupFromFile({ ...stored, system: system.name, variant: null }, system)).toThrow(message);
  });

  it("by `uvmcheck replay` and `uvmcheck shrink`: exit 2, one line, nothing on disk changed", () => {
    const module = join(import.meta.dirname, "support", "no-loans-system.ts");
    const directory = temporaryDirectory();
    const path = writeCounterexample(directory, "uses-loans", { ...stored, system: module, variant: null });
    const before = readFileSync(path, "utf8");
    for (const command of ["replay", "shrink"]) {
      const { status, stdout, stderr } = uvmcheck([command, path]);
      expect(status, command).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toContain(message);
    }
    expect(readFileSync(path, "utf8")).toBe(before);
    expect(readdirSync(directory)).toEqual(["uses-loans.json"]);
  });
});
