// Reports for CI: --junit (JUnit XML: one test case per campaign, one per variant for
// mutants) and --report (one JSON object: verdict, seed, runs, coverage, counterexample
// paths, timings), written on success, on a violation and on an error (Ctrl-C: see
// interrupt.test.ts). Also the XML escaping on its own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { junitXml, xmlEscape } from "../cli/reports/junit.ts";
import { uvmcheck } from "./support/cli.ts";
import { temporaryDirectory } from "./support/counterexample.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

function reports(extra: readonly string[]) {
  const directory = temporaryDirectory();
  const junit = join(directory, "out", "junit.xml");
  const report = join(directory, "out", "report.json");
  const result = uvmcheck([...extra, "--junit", junit, "--report", report]);
  return { ...result, directory, junit: readFileSync(junit, "utf8"), report: JSON.parse(readFileSync(report, "utf8")) as Record<string, unknown> };
}

describe("--junit and --report", () => {
  it("on success: a passed test case and the verdict passed, with seed, runs, coverage and timings", () => {
    const { status, junit, report } = reports(["run", "--runs", "2", "--seed", "1", "--no-db", "--out", temporaryDirectory()]);
    expect(status).toBe(0);
    expect(junit).toMatch(/<testsuites name="uvmcheck" tests="1" failures="0" errors="0" skipped="0" time="[\d.]+">/);
    expect(junit).toMatch(/<testcase classname="uvmcheck run" name="npx uvmcheck run --seed 1 --runs 2 --out [^"]*" time="[\d.]+"\/>/);
    expect(report).toMatchObject({ command: "run", verdict: "passed", seed: 1, system: "uvm", runs: { requested: 2, done: 2 }, counterexamples: [] });
    expect(Object.keys(report.coverage as object).length).toBeGreaterThan(10);
    expect((report.timings as { elapsedSeconds: number }).elapsedSeconds).toBeGreaterThan(0);
  });

  it("on a violation: a failed test case with the check, and the counterexample's path", () => {
    const out = temporaryDirectory();
    const { status, junit, report } = reports(["run", "--variant", "canary-cow-copy-skip", "--seed", "1", "--runs", "200", "--schedule", "none", "--out", out]);
    expect(status).toBe(1);
    expect(junit).toMatch(/failures="1"/);
    expect(junit).toMatch(/<failure message="observation at step 1: pid 1 va 0 word 1: model 1001, implementation 57005" type="observation">/);
    expect(report).toMatchObject({ verdict: "violation", counterexamples: [join(out, "canary-cow-copy-skip-observation-1.json")] });
  });

  it("on an error: an errored test case and the verdict error, with the message", () => {
    const { status, junit, report } = reports(["run", "--runs", "many"]);
    expect(status).toBe(2);
    expect(junit).toMatch(/errors="1"/);
    expect(junit).toMatch(/<error message="--runs must be an integer, got &quot;many&quot;" type="error">/);
    expect(report).toMatchObject({ command: "run", verdict: "error", message: '--runs must be an integer, got "many"' });
  });

  it("mutants: one test case per variant, killed ones passed, and the killing counterexample kept", () => {
    const out = temporaryDirectory();
    const { status, stdout, junit, report } = reports(["mutants", "--only", "mutant-needs-copy-anon-read", "--out", out, "--json"]);
    expect(status).toBe(0);
    expect(junit).toMatch(/<testcase classname="uvmcheck mutants" name="mutant mutant-needs-copy-anon-read" time="[\d.]+"\/>/);
    const file = (JSON.parse(stdout) as { mutants: { file: string }[] }).mutants[0]!.file;
    expect(file.startsWith(out)).toBe(true);
    expect(report).toMatchObject({ verdict: "passed", killed: 1, total: 1, counterexamples: [file] });
    expect(uvmcheck(["replay", file]).status).toBe(1);
  });
});

describe("JUnit XML", () => {
  it("escapes markup and drops the control characters XML forbids", () => {
    expect(xmlEscape(`a<b & "c" 'd'\u0001>`)).toBe("a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
    const xml = junitXml("suite", [{ name: "x", seconds: 1.23456, outcome: "skipped", message: "not hunted" }], 2);
    expect(xml).toContain(`<testcase classname="suite" name="x" time="1.235">\n      <skipped message="not hunted"></skipped>\n    </testcase>`);
    expect(xml).toMatch(/tests="1" failures="0" errors="0" skipped="1" time="2.000"/);
  });
});
