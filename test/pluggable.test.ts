// Pluggable systems: `--system PATH` loads a user's module (examples/uvm-with-logging.ts is
// the documented example), validates what it exports, and turns anything unusable into bad
// usage (exit 2) with a message that says what is wrong.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { factoryProblems, instanceProblems, loadSystemSpec, SystemLoadError, splitSystemSpec } from "../systems/load-system.ts";
import { uvmSystem } from "../systems/uvm.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import { uvmcheck, uvmcheckWithSeeds } from "./support/cli.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

const example = "examples/uvm-with-logging.ts";
const scratch = mkdtempSync(join(tmpdir(), "uvmcheck-pluggable-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes `text` as a module in the scratch folder and returns its path. */
function module(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe("the example module", () => {
  it(`run --system ${example} --runs 30 --seed 1 --json exits 0 and reports coverage`, () => {
    const { status, stdout } = uvmcheck(["run", "--system", example, "--runs", "30", "--seed", "1", "--json", "--out", scratch]);
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as { system: string; runs: number; violations: unknown[]; coverage: Record<string, number> };
    expect(report.system).toBe("uvm-with-logging");
    expect(report.runs).toBe(30);
    expect(report.violations).toEqual([]);
    expect(report.coverage["logging.commands"]).toBeGreaterThan(0);
    expect(report.coverage["fault.1A"]).toBeGreaterThan(0);
  });

  it("passes the wrapped system's variants through: PATH:VARIANT is caught like uvm's", () => {
    const { status, stdout } = uvmcheckWithSeeds(
      (seed) => ["run", "--system", `${example}:canary-cow-copy-skip`, "--runs", "200", "--seed", String(seed), "--schedule", "none", "--out", scratch],
      (result) => result.status === 1,
    ).result;
    expect(status).toBe(1);
    expect(stdout).toMatch(/VIOLATION observation/);
  });

  it("loads from a .mjs module's named export `system`, outside the repository", () => {
    const exampleUrl = pathToFileURL(join(process.cwd(), example)).href;
    const path = module("named.mjs", `import wrapped from ${JSON.stringify(exampleUrl)};\nexport const system = wrapped;\n`);
    const { status, stdout } = uvmcheck(["variants", "--system", path, "--json"]);
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as { name: string }[]).map((variant) => variant.name)).toEqual(uvmSystem.variants.map((variant) => variant.name));
  });
});

describe("bad --system modules exit 2", () => {
  it("a path that does not exist", () => {
    const { status, stderr } = uvmcheck(["run", "--system", "./no/such/system.ts", "--runs", "1"]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/--system: system module \.\/no\/such\/system\.ts does not exist/);
  });

  it.each([
    ["an object missing fields", "export default { name: 'half' };\n", /does not export a SystemFactory: .*`create` must be a function/],
    ["a function", "export default function create() { return {}; }\n", /does not export a SystemFactory: the export is function/],
    ["nothing usable", "export const other = 1;\n", /neither a default export nor an export named `system`/],
    [
      "a factory whose create returns no system",
      "export default { name: 'empty', description: '', variants: [], requiredCoverage: [], create: () => ({}) };\n",
      /create\(\) returned an object without a `apply` method/,
    ],
    ["a module that throws when loaded", "throw new Error('broken on purpose');\n", /failed to load: broken on purpose/],
  ])("a module exporting %s", (name, text, message) => {
    const path = module(`${name.replaceAll(" ", "-")}.mjs`, text);
    const { status, stderr } = uvmcheck(["run", "--system", path, "--runs", "1"]);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe("system specs", () => {
  it("split into a reference and a variant at the last colon", () => {
    expect(splitSystemSpec("uvm")).toEqual({ reference: "uvm", variant: null });
    expect(splitSystemSpec("uvm:canary-cow-copy-skip")).toEqual({ reference: "uvm", variant: "canary-cow-copy-skip" });
    expect(splitSystemSpec("./my/system.ts:my-bug")).toEqual({ reference: "./my/system.ts", variant: "my-bug" });
    expect(splitSystemSpec("C:\\systems\\mine.ts")).toEqual({ reference: "C:\\systems\\mine.ts", variant: null });
  });

  it("load built-in names with their variant checked", async () => {
    const choice = await loadSystemSpec("uvm:canary-cow-copy-skip");
    expect(choice.system).toBe(uvmSystem);
    expect(choice.variant).toBe("canary-cow-copy-skip");
    await expect(loadSystemSpec("uvm:no-such-variant")).rejects.toThrow(SystemLoadError);
    await expect(loadSystemSpec("no-such-system")).rejects.toThrow(/unknown system "no-such-system"/);
  });

  it("accept the built-in factory and its instances, and name every missing part of others", () => {
    expect(factoryProblems(uvmSystem)).toEqual([]);
    expect(instanceProblems(uvmSystem.create({ world: defaultWorld, variant: null, seed: 1 }))).toEqual([]);
    expect(factoryProblems({ name: "", variants: [{ name: "x" }] })).toEqual([
      "`name` must be a non-empty string",
      "`description` must be a string",
      "`create` must be a function (options) => SystemUnderTest",
      "`requiredCoverage` must be an array of counter names",
      "variants[0] needs string name, description, corrupts and a kind of canary | mutant | seed-bug",
    ]);
  });
});
