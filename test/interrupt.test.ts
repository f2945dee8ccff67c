// Ctrl-C and SIGTERM during a campaign (and during diff and shrink): the partial summary (runs done, coverage so far, the
// seed, the command that goes on where it stopped), the CI reports written, exit 130 (143),
// in text and in --json; and --from-run goes on with the same runs and the same finding as
// the whole campaign. The signal is sent once the campaign has shown it runs (a progress
// line, a log line), never after a delay.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startUvmcheck, uvmcheck, uvmcheckWithSeeds } from "./support/cli.ts";
import { temporaryDirectory } from "./support/counterexample.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

const endless = ["run", "--runs", "1000000", "--seed", "1"];

describe("Ctrl-C during run", () => {
  it("prints what was done, the command to go on, writes the reports, and exits 130", async () => {
    const directory = temporaryDirectory();
    const junit = join(directory, "junit.xml");
    const report = join(directory, "report.json");
    const running = startUvmcheck([...endless, "--out", directory, "--junit", junit, "--report", report], { env: { UVMCHECK_PROGRESS_SECONDS: "0" } });
    await running.stderrContains("checking: 2/");
    running.child.kill("SIGINT");
    const { status, stdout, stderr } = await running.exited;
    expect(status).toBe(130);
    expect(stderr).toMatch(/uvmcheck: Ctrl-C: stopping the campaign at the next pause/);
    const done = Number(/INTERRUPTED after (\d+) runs? of 1000000 \(seed 1\)\n$/.exec(stdout)![1]);
    expect(done).toBeGreaterThanOrEqual(2);
    expect(stdout).toMatch(/\ncoverage \(how often each path was taken, summed over the runs\):\n/);
    const joined = stdout.replaceAll(" \\\n    ", " "); // command lines wrap with shell continuations
    expect(joined).toContain(`\ngo on from here: npx uvmcheck run --seed 1 --runs 1000000 --out ${directory} --from-run ${done}\n`);
    const written = JSON.parse(readFileSync(report, "utf8")) as { verdict: string; runs: { done: number }; seed: number; coverage: Record<string, number> };
    expect(written).toMatchObject({ verdict: "interrupted", seed: 1, runs: { done } });
    expect(Object.keys(written.coverage).length).toBeGreaterThan(10);
    expect(readFileSync(junit, "utf8")).toMatch(/<error message="INTERRUPTED after \d+ runs? of 1000000 \(seed 1\)" type="interrupted">/);
  });

  it("with --json, prints one object with interrupted true; SIGTERM exits 143", async () => {
    const running = startUvmcheck([...endless, "--json", "--system", "examples/uvm-with-logging.ts", "--out", temporaryDirectory()], { env: { UVMCHECK_LOG: "1" } });
    await running.stderrContains("\n     3  ");
    running.child.kill("SIGTERM");
    const { status, stdout, stderr } = await running.exited;
    expect(status, stderr.split("\n").filter((line) => line.startsWith("uvmcheck")).join("\n")).toBe(143);
    const report = JSON.parse(stdout) as { interrupted: boolean; verdict: string; runs: number; exitCode: number; reproduce: { goOn: string } };
    expect(report).toMatchObject({ interrupted: true, verdict: "interrupted", exitCode: 143 });
    expect(report.reproduce.goOn).toMatch(new RegExp(`--from-run ${report.runs}$`));
  });
});

describe("Ctrl-C during mutants", () => {
  it("stops the hunts at once, reports the variants done, and marks the others skipped", async () => {
    const directory = temporaryDirectory();
    const junit = join(directory, "junit.xml");
    const only = "mutant-needs-copy-anon-read,mutant-amap-add-no-flush";
    const running = startUvmcheck(["mutants", "--only", only, "--out", directory, "--junit", junit], { env: { UVMCHECK_PROGRESS_SECONDS: "0" } });
    await running.stderrContains("hunting: 1/2 variants");
    running.child.kill("SIGINT");
    const { status, stdout } = await running.exited;
    expect(status).toBe(130);
    expect(stdout).toMatch(/\nmutant-needs-copy-anon-read +yes /);
    expect(stdout).toMatch(/INTERRUPTED after 1 of 2 variants\n$/);
    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(/<testcase classname="uvmcheck mutants" name="mutant mutant-needs-copy-anon-read" time="[\d.]+"\/>/);
    expect(xml).toMatch(/name="mutant mutant-amap-add-no-flush" time="0.000">\n {6}<skipped message="not hunted: interrupted">/);
  });
});

describe("--from-run", () => {
  it("goes on with the same runs: the same finding as the whole campaign", () => {
    type Found = { violations: { path: string; commands: unknown[] }[] };
    const caughtAt = (seed: number) => ["run", "--variant", "canary-relock-fails-efault", "--seed", String(seed), "--runs", "300", "--json", "--no-db"];
    const failingRunOf = (stdout: string) => Number((JSON.parse(stdout) as Found).violations[0]?.path.split(":")[0] ?? -1);
    // a seed whose first failing run is not among the first three, so there is a campaign to go on with
    const { seed, result } = uvmcheckWithSeeds((seed) => [...caughtAt(seed), "--out", temporaryDirectory()], (run) => failingRunOf(run.stdout) > 2);
    const caught = caughtAt(seed);
    const whole = JSON.parse(result.stdout) as Found;
    const failingRun = failingRunOf(result.stdout);
    expect(failingRun).toBeGreaterThan(2);
    const resumed = JSON.parse(uvmcheck([...caught, "--from-run", String(failingRun - 2), "--out", temporaryDirectory()]).stdout) as typeof whole;
    expect(resumed.violations[0]!.path).toBe(whole.violations[0]!.path);
    expect(resumed.violations[0]!.commands).toEqual(whole.violations[0]!.commands);
  });
});

describe("Ctrl-C during diff", () => {
  it("prints the runs compared so far, writes the reports, and exits 130", async () => {
    const directory = temporaryDirectory();
    const report = join(directory, "report.json");
    const args = ["diff", "--a", "uvm", "--b", "uvm", "--runs", "1000000", "--seed", "1", "--out", directory, "--report", report];
    const running = startUvmcheck(args, { env: { UVMCHECK_PROGRESS_SECONDS: "0" } });
    await running.stderrContains("comparing: 2/");
    running.child.kill("SIGINT");
    const { status, stdout, stderr } = await running.exited;
    expect(status).toBe(130);
    expect(stderr).toMatch(/uvmcheck: Ctrl-C: stopping the diff at the next pause/);
    const done = Number(/INTERRUPTED after (\d+) runs? of 1000000 \(seed 1\)\n$/.exec(stdout)![1]);
    expect(done).toBeGreaterThanOrEqual(2);
    expect(stdout).toContain(`${done} runs, `);
    expect(JSON.parse(readFileSync(report, "utf8"))).toMatchObject({ verdict: "interrupted", runs: done });
  });
});

describe("Ctrl-C during shrink", () => {
  it("writes the smallest counterexample found so far, which still fails, and exits 130", async () => {
    const directory = temporaryDirectory();
    const stored = JSON.parse(readFileSync("counterexamples/seed-f1-invariant-g11-translations-match-layers-1.json", "utf8")) as { commands: unknown[] };
    // 400 reads of a page not yet mapped (EFAULT, nothing changes) before the failing
    // commands: every attempt replays them, so the shrink is still at work when the signal comes.
    const padding = Array.from({ length: 400 }, () => ({ kind: "read", pid: 1, va: 8, word: 0 }));
    const long = join(directory, "long.json");
    writeFileSync(long, JSON.stringify({ ...stored, commands: [...padding, ...stored.commands] }));
    const out = join(directory, "partial.json");
    const running = startUvmcheck(["shrink", long, "--out", out], { env: { UVMCHECK_PROGRESS_SECONDS: "0" } });
    await running.stderrContains("shrinking: ");
    running.child.kill("SIGINT");
    const { status, stdout, stderr } = await running.exited;
    expect(status, stderr).toBe(130);
    expect(stdout).toContain(`wrote ${out}\n`);
    expect(stdout).toMatch(/INTERRUPTED: the file holds the smallest counterexample found so far/);
    const partial = JSON.parse(readFileSync(out, "utf8")) as { commands: unknown[] };
    expect(partial.commands.length).toBeLessThanOrEqual(padding.length + stored.commands.length);
    const replayed = uvmcheck(["replay", out]);
    expect(replayed.status, replayed.stdout).toBe(1);
  });
});
