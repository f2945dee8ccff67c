// Round trips through files: a violation `uvmcheck run` finds is written (atomically, never
// over another file, its path printed first) and replays to the same failure; `replay`
// exits 1 / 0 / 2 for fails / passes / bad file, leaves a bad file's bytes as they were,
// and the same seed gives byte-identical files and traces.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { uvmcheck, uvmcheckWithSeeds } from "./support/cli.ts";
import * as c from "./support/commands.ts";
import { serializeCounterexample } from "../properties/counterexample-files/counterexample-file.ts";
import { fileFor, temporaryDirectory, uvmSetup } from "./support/counterexample.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

/** A sequential campaign (no threads) that catches the canary by its observation at once. */
const found = (seed: number) => ["run", "--variant", "canary-cow-copy-skip", "--seed", String(seed), "--runs", "200", "--schedule", "none"];

/** The first seed of the budget whose campaign catches the canary by its observation (a fallback, should seed 1 stop). */
let seedCache: number | null = null;
function seed(): number {
  seedCache ??= uvmcheckWithSeeds(
    (candidate) => [...found(candidate), "--out", temporaryDirectory()],
    (result) => result.status === 1 && result.stdout.includes("VIOLATION observation"),
  ).seed;
  return seedCache;
}

/** The file name a run of `seed()` writes first. */
const fileName = (suffix = "") => `canary-cow-copy-skip-observation-${seed()}${suffix}.json`;

function runInto(directory: string, extra: readonly string[] = []) {
  const result = uvmcheck([...found(seed()), "--out", directory, ...extra]);
  expect(result.status).toBe(1);
  return result;
}

describe("uvmcheck run writes counterexample files", () => {
  it("prints the violation, then the file's path, and the file replays to the same failure", () => {
    const directory = temporaryDirectory();
    const { stdout } = runInto(directory);
    const report = stdout.split("\n");
    const start = report.findIndex((line) => line.startsWith("VIOLATION "));
    const path = join(directory, fileName());
    expect(report[start]).toMatch(/^VIOLATION observation at step (\d+)/);
    expect(report[start + 2]).toBe(`  counterexample written to ${path}`);
    expect(report).toContain(`reproduce: npx uvmcheck replay ${path}`);
    const step = Number(/at step (\d+)/.exec(report[start]!)![1]);
    const message = report[start + 1]!.trim();
    const replay = uvmcheck(["replay", path, "--json"]);
    expect(replay.status).toBe(1);
    expect(JSON.parse(replay.stdout)).toMatchObject({ status: "fails", sameFailure: true, failure: { check: "observation", step, message } });
  });

  it("names the file in --json, never overwrites an existing file, and does not write the same finding twice", () => {
    const directory = temporaryDirectory();
    runInto(directory);
    const first = join(directory, fileName());
    const bytes = readFileSync(first);
    const { stdout } = runInto(directory, ["--json"]);
    const report = JSON.parse(stdout) as { violations: { file: string; duplicate: boolean; check: string }[] };
    expect(report.violations[0]).toMatchObject({ file: first, duplicate: true, check: "observation" });
    expect(readFileSync(first)).toEqual(bytes);
    expect(readdirSync(directory)).toEqual([fileName()]);
    const other = JSON.parse(bytes.toString()) as { failure: { message: string } };
    other.failure.message = "a different finding";
    writeFileSync(first, JSON.stringify(other));
    const again = JSON.parse(runInto(directory, ["--json", "--no-db"]).stdout) as { violations: { file: string; duplicate: boolean }[] };
    expect(again.violations[0]).toMatchObject({ file: join(directory, fileName("-2")), duplicate: false });
    expect(readFileSync(again.violations[0]!.file)).toEqual(bytes);
  });

  it("gives byte-identical files and traces for the same seed", () => {
    const [one, two] = [temporaryDirectory(), temporaryDirectory()];
    runInto(one);
    runInto(two);
    const name = fileName();
    expect(readFileSync(join(one, name))).toEqual(readFileSync(join(two, name)));
    const trace = (directory: string) => uvmcheck(["replay", "--trace", join(directory, name)], { cwd: directory }).stdout.replaceAll(directory, "DIR");
    const first = trace(one);
    expect(first).toBe(trace(two));
    expect(first).toBe(trace(one));
  });
});

describe("uvmcheck replay", () => {
  const failing = fileFor(uvmSetup("canary-cow-copy-skip"), [c.mmapFile(1, 1, 0, 0), c.write(1, 0, 1)]);

  function stored(file: object | string, name = "counterexample.json") {
    const path = join(temporaryDirectory(), name);
    writeFileSync(path, typeof file === "string" ? file : serializeCounterexample(file as typeof failing));
    return path;
  }

  it("exits 1 and prints the failure while it still fails", () => {
    const { status, stdout } = uvmcheck(["replay", stored(failing)]);
    expect(status).toBe(1);
    expect(stdout).toMatch(
      /^FAILS .*: observation at step 1 \(write pid=1 va=0 word=0 value=1\) \(status open: expected to fail\)\n {2}pid 1 va 0 word 1: model 1001, implementation 57005\n {2}the same failure as stored/,
    );
  });

  it("prints the file's root cause, and gives it in --json", () => {
    const path = stored({ ...failing, rootCause: "the copy-on-write copy is skipped" });
    const text = uvmcheck(["replay", path]);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/\n {2}root cause: the copy-on-write copy is skipped\n$/);
    const json = JSON.parse(uvmcheck(["replay", "--json", path]).stdout) as { rootCause: string; expected: string };
    expect(json).toMatchObject({ rootCause: "the copy-on-write copy is skipped", expected: "fails" });
  });

  it("exits 0 once it passes (the variant switched off)", () => {
    const { status, stdout } = uvmcheck(["replay", stored({ ...failing, variant: null, status: "fixed" })]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^PASSES .*: 2 commands pass every check \(status fixed: expected to pass\)/);
  });

  it("--trace prints a legend, one fixed-column line per step, the first divergence and the frames involved", () => {
    const { status, stdout } = uvmcheck(["replay", "--trace", stored(failing)]);
    expect(status).toBe(1);
    const lines = stdout.split("\n");
    const legend = lines.indexOf("legend");
    const table = lines.findIndex((line) => line.startsWith("step  command"));
    expect(legend).toBeGreaterThan(0);
    expect(table).toBeGreaterThan(legend);
    const rows = lines.slice(table, table + 3);
    const column = (text: string) => rows[0]!.indexOf(text);
    for (const row of rows.slice(1)) expect(row.slice(column("impl") - 2, column("impl"))).toBe("  ");
    expect(rows[1]).toMatch(/^ {3}0 {2}mmap pid=1 .* {2}=0 .* {2}ok {4}ok {4}ok$/);
    expect(rows[2]).toMatch(/^ {3}1 {2}write pid=1 va=0 word=0 value=1 .* {2}ok {4}FAIL {2}-$/);
    expect(stdout).toContain("first divergence\n  pid 1 va 0 word 1: the model has 1001, the implementation 57005\n  pid 1 va 0 is translated to frame ");
    expect(stdout).toMatch(/frames involved: \d+, \d+/);
    expect(stdout).toMatch(/\nframe \d+\n {2}step {2}events +owner +translations +loans {2}wired {2}flags\n +1 {2}alloc +anon 1 +1:0:rw/);
  });

  it("--json --trace carries the trace as data", () => {
    const { status, stdout } = uvmcheck(["replay", "--trace", "--json", stored(failing)]);
    expect(status).toBe(1);
    const report = JSON.parse(stdout) as { trace: { steps: unknown[]; divergence: string[]; frames: { frame: number }[] } };
    expect(report.trace.steps).toHaveLength(2);
    expect(report.trace.divergence[0]).toMatch(/pid 1 va 0 word 1/);
    expect(report.trace.frames.length).toBeGreaterThan(0);
  });

  const text = serializeCounterexample(failing);
  const edited = (edit: (data: Record<string, unknown>) => void) => {
    const data = JSON.parse(text) as Record<string, unknown>;
    edit(data);
    return JSON.stringify(data, null, 2);
  };

  it.each([
    ["malformed JSON", "{ this is not json", /not valid JSON/],
    ["a truncated file", text.slice(0, Math.floor(text.length * 0.6)), /not valid JSON \(malformed or truncated\)/],
    ["an unknown schema version", edited((data) => (data.schemaVersion = 99)), /unknown schema version 99/],
    [
      "an unknown command kind",
      edited((data) => ((data.commands as object[])[0] = { kind: "teleport", pid: 1 })),
      /commands\[0\]\.kind: unknown command kind "teleport"/,
    ],
    ["a variant that does not exist", edited((data) => (data.variant = "canary-no-such-thing")), /variant "canary-no-such-thing" does not exist in system uvm/],
    ["a system that does not exist", edited((data) => (data.system = "vax")), /system: unknown system "vax"/],
  ])("rejects %s with one line and exit 2, for replay and shrink, changing nothing on disk", (_what, contents, message) => {
    const path = stored(contents);
    const directory = join(path, "..");
    const bytes = readFileSync(path);
    for (const command of [["replay"], ["replay", "--trace"], ["shrink"]]) {
      const { status, stdout, stderr } = uvmcheck([...command, path]);
      expect(status, command.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(message);
      expect(readFileSync(path)).toEqual(bytes);
      expect(readdirSync(directory)).toEqual(["counterexample.json"]);
    }
  });

  it("exits 2 for a file that does not exist", () => {
    const { status, stderr } = uvmcheck(["replay", join(temporaryDirectory(), "missing.json")]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/missing\.json: cannot read \(ENOENT\)/);
  });
});
