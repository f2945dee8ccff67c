// What the command line prints and how it ends, seen from outside: the version; the same
// defaults in every help; run's report (the verdict last, the `!` legend, commands as
// key=value, plurals, 100 columns, copy-pasteable command lines, statistics); progress
// lines without a terminal; every error one line and exit 2 (a JSON object with --json,
// the stack with --verbose); a closed pipe; bench on a failing variant.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { entry, uvmcheck } from "./support/cli.ts";
import { temporaryDirectory } from "./support/counterexample.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

const version = (JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8")) as { version: string }).version;
const caught = ["run", "--variant", "canary-cow-copy-skip", "--seed", "1", "--runs", "200", "--schedule", "none"];

describe("help and version", () => {
  it("--version prints package.json's version", () => {
    const { status, stdout } = uvmcheck(["--version"]);
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(version);
  });

  it.each(["run", "diff", "mutants", "bench"])("%s --help shows the one --max-commands default, 100, and the world's defaults", (command) => {
    const { status, stdout } = uvmcheck([command, "--help"]);
    expect(status).toBe(0);
    expect(stdout.replace(/\s+/g, " ")).toMatch(/--max-commands <n> [^(]*\(default: "100"\)/);
    if (command !== "bench" || stdout.includes("--frames")) expect(stdout.replace(/\s+/g, " ")).toMatch(/--frames <n> [^(]*\(default: 12;/);
  });
});

describe("uvmcheck run's report", () => {
  it("ends with the verdict, after the coverage table, its legend, the violation and the command lines to copy", () => {
    const { status, stdout } = uvmcheck([...caught, "--out", temporaryDirectory()]);
    expect(status).toBe(1);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("VIOLATION: observation at step 1 (seed 1)");
    const order = ["coverage (", '"!" marks', "VIOLATION observation", "shrunk to 2 commands:", "4 runs, ", "reproduce: npx uvmcheck replay ", "run again: npx uvmcheck run"];
    const positions = order.map((start) => lines.findIndex((line) => line.trim().startsWith(start)));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(stdout).toMatch(/\n {5}1 {2}write pid=1 va=0 word=0 value=1\n/);
    expect(stdout).not.toMatch(/\{"kind"/);
    expect(stdout).toMatch(/4 runs, \d+ commands checked in [\d.]+ (s|min)/); // the failing run (index 3) counted
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it("says 1 run, not 1 runs, and no violation last", () => {
    const { status, stdout } = uvmcheck(["run", "--runs", "1", "--seed", "3", "--out", temporaryDirectory()]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/\n1 run, \d+ commands checked in /);
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("no violation in 1 run (seed 3)");
  });

  it("prints progress lines without a terminal, and the statistics with --statistics", () => {
    const { status, stdout, stderr } = uvmcheck(["run", "--runs", "3", "--seed", "2", "--statistics", "--out", temporaryDirectory()], {
      env: { UVMCHECK_PROGRESS_SECONDS: "0" },
    });
    expect(status).toBe(0);
    expect(stderr).toMatch(/ {2}checking: 1\/3 runs, [\d.]+ runs\/s, [\d.]+ s elapsed, about .* left\n/);
    expect(stderr).toMatch(/ {2}checking: 3\/3 runs, /);
    expect(stdout).toMatch(/\nstatistics\n {2}run length: shortest \d+, median \d+, 90% at most \d+, longest \d+ commands\n/);
    expect(stdout).toMatch(/\n {2}outcomes \(\d+ commands\): ok [\d.]+%/);
    expect(stdout).toMatch(/\n {2}time per run: median [\d.]+ ms/);
    const json = JSON.parse(uvmcheck(["run", "--runs", "3", "--seed", "2", "--statistics", "--json", "--out", temporaryDirectory()]).stdout) as {
      statistics: { runLength: { max: number }; outcomes: Record<string, number> };
      verdict: string;
    };
    expect(json.verdict).toBe("passed");
    expect(json.statistics.runLength.max).toBeGreaterThan(0);
    expect(json.statistics.outcomes.ok).toBeGreaterThan(0);
  });
});

describe("errors: one line, exit 2", () => {
  it("with --json, also one JSON object on stdout", () => {
    const { status, stdout, stderr } = uvmcheck(["run", "--runs", "0", "--json"]);
    expect(status).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(stdout)).toEqual({ error: { message: "--runs must be between 1 and 10000000, got 0", kind: "usage", exitCode: 2 } });
    const unknown = uvmcheck(["run", "--no-such-flag", "--json"]);
    expect(unknown.status).toBe(2);
    expect((JSON.parse(unknown.stdout) as { error: { kind: string } }).error.kind).toBe("usage");
  });

  it("an internal error is one line, and its stack follows only with --verbose", () => {
    const directory = temporaryDirectory();
    const module = join(directory, "refusing.mjs");
    const uvm = JSON.stringify(new URL("../systems/uvm.ts", import.meta.url).href);
    writeFileSync(
      module,
      `import { uvmSystem } from ${uvm};\nlet made = 0;\nexport default { ...uvmSystem, name: "refusing", variants: [], create(options) { if (++made > 1) throw new RangeError("refusing: no second system"); return uvmSystem.create(options); } };\n`,
    );
    const plain = uvmcheck(["run", "--system", module, "--runs", "2", "--seed", "1", "--out", directory]);
    expect(plain.status).toBe(2);
    expect(plain.stderr).toMatch(/^uvmcheck: internal error: refusing: no second system \(run again with --verbose for the stack trace\)\n$/);
    const verbose = uvmcheck(["run", "--system", module, "--runs", "2", "--seed", "1", "--out", directory, "--verbose"]);
    expect(verbose.status).toBe(2);
    expect(verbose.stderr).toMatch(/RangeError: refusing: no second system\n\s+at .*refusing\.mjs/);
  });

  it("a closed pipe ends the command quietly", async () => {
    const child = spawn(process.execPath, [entry, "variants"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    child.stdout.once("data", () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(status).toBe(0);
  });

  it("bench on a failing variant measures and says that runs stopped early, exit 0", () => {
    const { status, stdout } = uvmcheck(["bench", "--variant", "canary-cow-copy-skip", "--runs", "2", "--max-commands", "30", "--repetitions", "1", "--pages", "64", "--long", "150"]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/\d+ runs? stopped early at a violation/);
    expect(stdout).toMatch(/\nmachine: .*, \d+ cores?, Node\.js v\d+/);
    expect(stdout).toMatch(/\n {2}checked commands\/s per core +\d+ \[\d+\.\d\d-\d+\.\d\d\]/);
    expect(stdout).toMatch(/\n {2}case-1A fault .* [\d.]+ µs \[[\d.]+-[\d.]+\] +goal <= 2 µs: (met|NOT met)\n/);
    expect(stdout.match(/goal [^:]+: (met|NOT met)\n/g)).toHaveLength(6);
    expect(stdout).toContain("goal >= 20x: not measured (recorded at --runs 20 --seed 1)\n");
    for (const line of stdout.trimEnd().split("\n")) expect(line.length, line).toBeLessThanOrEqual(100);
  });
});
