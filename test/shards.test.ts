// `uvmcheck run --shard I/N` and `uvmcheck merge`: four shards run as four processes, their
// JSON lines merged, give the report one process gives for the whole campaign (the same
// runs, coverage, verdict and counterexample, and the same exit code).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { uvmcheck } from "./support/cli.ts";
import { temporaryDirectory } from "./support/counterexample.ts";

/** The fields a merge must reproduce: everything but timings, thread counts, file names and command lines naming folders. */
function comparable(stdout: string): Record<string, unknown> {
  const { elapsedSeconds: _e, jobs: _j, reproduce: _r, shards: _s, otherFindings: _o, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
  return { ...rest, violations: (rest.violations as { file: string }[]).map(({ file: _file, ...violation }) => violation) };
}

/** Runs the campaign `args` as 4 shards (separate processes) and merges them. */
function shardedAndMerged(args: readonly string[]) {
  const directory = temporaryDirectory();
  const files = [0, 1, 2, 3].map((index) => {
    const shard = uvmcheck([...args, "--jobs", "1", "--shard", `${index}/4`, "--out", join(directory, `found-${index}`)]);
    expect(shard.stderr).not.toMatch(/uvmcheck: /);
    const path = join(directory, `shard-${index}.jsonl`);
    writeFileSync(path, shard.stdout);
    return path;
  });
  return { files, merged: uvmcheck(["merge", ...files, "--json", "--out", join(directory, "merged")]) };
}

describe("run --shard and merge", () => {
  it.each([
    ["a passing campaign", ["run", "--runs", "14", "--seed", "6", "--max-commands", "30", "--no-db"], 0],
    ["a failing campaign", ["run", "--variant", "canary-cow-copy-skip", "--seed", "1", "--runs", "40", "--schedule", "none", "--no-db"], 1],
  ] as const)("4 shards merged equal one process: %s", (_name, args, status) => {
    const whole = uvmcheck([...args, "--json", "--jobs", "1", "--out", temporaryDirectory()]);
    expect(whole.status, whole.stderr).toBe(status);
    const { files, merged } = shardedAndMerged(args);
    expect(merged.status, merged.stderr).toBe(status);
    expect(comparable(merged.stdout)).toEqual(comparable(whole.stdout));
    expect(JSON.parse(merged.stdout).shards).toBe(4);
    const lines = files.map((path) => uvmcheck(["merge", path, "--json"]));
    expect(lines[0]!.status).toBe(2);
    expect(lines[0]!.stderr.trim()).toBe("uvmcheck: merge: shard 1/4 is missing");
  });

  it("refuses shards of different campaigns and a bad --shard, in one line, exit 2", () => {
    const directory = temporaryDirectory();
    const a = join(directory, "a.jsonl");
    const b = join(directory, "b.jsonl");
    writeFileSync(a, uvmcheck(["run", "--runs", "2", "--seed", "1", "--max-commands", "5", "--no-db", "--jobs", "1", "--shard", "0/2", "--out", directory]).stdout);
    writeFileSync(b, uvmcheck(["run", "--runs", "2", "--seed", "2", "--max-commands", "5", "--no-db", "--jobs", "1", "--shard", "1/2", "--out", directory]).stdout);
    const mixed = uvmcheck(["merge", a, b]);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr.trim()).toBe(`uvmcheck: merge: ${b} is a shard of another campaign than ${a} (different flags)`);
    const bad = uvmcheck(["run", "--shard", "4/4"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^uvmcheck: --shard's I must be/);
  });
});

describe("the shipped campaign definitions", () => {
  const root = join(import.meta.dirname, "..");

  it("the GitHub Actions workflow runs one shard per matrix entry, then merges them all", () => {
    const workflow = readFileSync(join(root, ".github", "workflows", "campaign.yml"), "utf8");
    const shards = Number(/SHARDS: "(\d+)"/.exec(workflow)?.[1]);
    const matrix = /shard: \[([\d, ]+)\]/.exec(workflow)?.[1]?.split(",").map(Number);
    expect(matrix).toEqual(Array.from({ length: shards }, (_, index) => index));
    expect(workflow).toContain(`--shard "\${{ matrix.shard }}/$SHARDS"`);
    expect(workflow).toMatch(/needs: shard\n\s+if: always\(\)/);
    expect(workflow).toContain("npx uvmcheck merge shards/shard-*.jsonl");
  });

  it("the Kubernetes Indexed Job runs shard JOB_COMPLETION_INDEX of as many as it has completions", () => {
    const job = readFileSync(join(root, "deploy", "k8s", "campaign-job.yaml"), "utf8");
    expect(job).toContain("completionMode: Indexed");
    const completions = Number(/completions: (\d+)/.exec(job)?.[1]);
    expect(job).toContain(`value: "${completions}"`);
    expect(job).toContain('--shard "$JOB_COMPLETION_INDEX/$SHARDS"');
  });
});
