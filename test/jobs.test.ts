// `uvmcheck run --jobs N` and `--duration`: run i is drawn from (seed, i) alone, so the
// verdict, the coverage and the counterexample (the lowest failing run's) are the same on
// one thread and on worker threads; a time budget runs until it is spent, and the runs it
// did are the runs a run count gives.
import { describe, expect, it } from "vitest";
import { runAddress, runsPerBlock } from "../properties/hunting/run-address.ts";
import { uvmcheck } from "./support/cli.ts";
import { temporaryDirectory } from "./support/counterexample.ts";

/** The JSON of a run, without what depends on the clock or the thread count. */
function withoutTimings(stdout: string): Record<string, unknown> {
  const json = JSON.parse(stdout) as Record<string, unknown>;
  expect(json.sameForAnyJobs).toBe(true);
  const { elapsedSeconds: _elapsed, jobs: _jobs, ...rest } = json;
  return rest;
}

describe("run addresses", () => {
  it("the first block keeps the seed, path = index; later blocks get a mixed seed of their own", () => {
    expect(runAddress(7, 0)).toEqual({ seed: 7, path: "0" });
    expect(runAddress(7, runsPerBlock - 1)).toEqual({ seed: 7, path: String(runsPerBlock - 1) });
    const later = runAddress(7, runsPerBlock + 3);
    expect(later.path).toBe("3");
    expect(later.seed).not.toBe(7);
    expect(runAddress(7, runsPerBlock + 3)).toEqual(later);
    expect(runAddress(8, runsPerBlock + 3).seed).not.toBe(later.seed);
    expect(later.seed).toBeGreaterThanOrEqual(0);
    expect(later.seed).toBeLessThanOrEqual(0x7fffffff);
  });
});

describe("uvmcheck run --jobs", () => {
  it("gives the same JSON with --jobs 1 and --jobs 2 when every run passes", () => {
    const args = ["run", "--runs", "12", "--seed", "4", "--max-commands", "30", "--no-db", "--json", "--out", temporaryDirectory()];
    const one = uvmcheck([...args, "--jobs", "1"]);
    const two = uvmcheck([...args, "--jobs", "2"]);
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    expect(JSON.parse(two.stdout).jobs).toBe(2);
    expect(withoutTimings(two.stdout)).toEqual(withoutTimings(one.stdout));
  });

  it("gives the same counterexample (the lowest failing run's, shrunk) and coverage with --jobs 1 and --jobs 2", () => {
    const args = ["run", "--variant", "canary-cow-copy-skip", "--seed", "1", "--runs", "40", "--schedule", "none", "--no-db", "--json"];
    const one = uvmcheck([...args, "--jobs", "1", "--out", temporaryDirectory()]);
    const two = uvmcheck([...args, "--jobs", "2", "--out", temporaryDirectory()]);
    expect(one.status, one.stderr).toBe(1);
    expect(two.status, two.stderr).toBe(1);
    const [first, second] = [withoutTimings(one.stdout), withoutTimings(two.stdout)];
    // the files go to different folders: their names, and the command lines naming them, differ
    const strip = ({ reproduce: _reproduce, ...json }: Record<string, unknown>) => ({
      ...json,
      violations: (json.violations as { file: string }[]).map(({ file: _file, ...rest }) => rest),
    });
    expect(strip(second)).toEqual(strip(first));
  });
});

describe("uvmcheck run --duration", () => {
  it("runs until the time is spent, and those runs are the ones --runs gives", () => {
    const args = ["run", "--seed", "9", "--max-commands", "20", "--no-db", "--jobs", "1", "--json", "--out", temporaryDirectory()];
    const timed = uvmcheck([...args, "--duration", "3s"]);
    expect(timed.status, timed.stderr).toBe(0);
    const json = withoutTimings(timed.stdout);
    expect(json.durationSeconds).toBe(3);
    const runs = json.runs as number;
    expect(runs).toBeGreaterThan(0);
    const counted = withoutTimings(uvmcheck([...args, "--runs", String(runs)]).stdout);
    expect(counted.coverage).toEqual(json.coverage);
    expect(counted.commands).toBe(json.commands);
  });

  it("refuses a duration that is not a time, in one line, exit 2", () => {
    const { status, stderr } = uvmcheck(["run", "--duration", "soon"]);
    expect(status).toBe(2);
    expect(stderr.trim()).toBe('uvmcheck: --duration must be a time like 90s, 10m or 2h (got "soon")');
  });
});
