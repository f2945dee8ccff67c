//! A sweep of campaigns over many seeds: what the README's false-alarm figure is printed by.
//!
//!   npx tsx bench/sweep.ts --seeds 1-20 --runs 2000 [--system uvm|dragonfly] [--max-commands N] [--jobs 2] [--out DIR]
//!
//! Each seed is one `uvmcheck run --no-db --json` (a child process, `--jobs` at once, each
//! counterexample written under `--out`, by default a fresh temporary folder); a line per
//! seed as it ends (with the index of each abandoned run), then the totals: seeds, runs,
//! commands checked, violations, abandoned runs. Exit 0 when no seed found a violation or
//! abandoned a run, 1 otherwise, 2 on bad arguments.

import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface SeedResult {
  readonly seed: number;
  readonly runs: number;
  readonly commands: number;
  readonly violations: readonly string[];
  readonly abandoned: number;
  /** The abandoned runs' indices: `uvmcheck run --seed S --from-run I --runs I+1` is one of them. */
  readonly abandonedRuns: readonly number[];
}

interface SweepOptions {
  readonly seeds: readonly number[];
  readonly system: string;
  readonly runs: number;
  readonly maxCommands: number;
  readonly jobs: number;
  readonly out: string;
}

const cli = join(import.meta.dirname, "..", "cli", "uvmcheck.mjs");

/** Parses `--seeds A-B|A,B,C --system S --runs N --max-commands N --jobs N --out DIR`; a string is the one-line error. */
function parseOptions(argv: readonly string[]): SweepOptions | string {
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index]!;
    if (!["--seeds", "--system", "--runs", "--max-commands", "--jobs", "--out"].includes(name) || argv[index + 1] === undefined) return `sweep: unknown option or missing value: ${name}`;
    values.set(name, argv[index + 1]!);
  }
  const integer = (name: string, fallback: number) => {
    const text = values.get(name);
    return text === undefined ? fallback : /^[1-9][0-9]*$/.test(text) ? Number(text) : Number.NaN;
  };
  const seedsText = values.get("--seeds") ?? "1-20";
  const range = /^([0-9]+)-([0-9]+)$/.exec(seedsText);
  const seeds = range === null ? seedsText.split(",").map(Number) : Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, index) => Number(range[1]) + index);
  const options = { seeds, system: values.get("--system") ?? "uvm", runs: integer("--runs", 300), maxCommands: integer("--max-commands", 100), jobs: integer("--jobs", 1), out: values.get("--out") ?? "" };
  if (seeds.length === 0 || seeds.some((seed) => !Number.isInteger(seed) || seed < 0)) return `sweep: --seeds wants A-B or A,B,C (non-negative integers), not ${seedsText}`;
  if ([options.runs, options.maxCommands, options.jobs].some(Number.isNaN)) return "sweep: --runs, --max-commands and --jobs want positive integers";
  return { ...options, out: options.out === "" ? mkdtempSync(join(tmpdir(), "uvmcheck-sweep-")) : options.out };
}

/** One seed's campaign, as `uvmcheck run --json` reports it. */
function runSeed(seed: number, options: SweepOptions): Promise<SeedResult> {
  const args = [cli, "run", "--no-db", "--json", "--system", options.system, "--seed", String(seed), "--runs", String(options.runs), "--max-commands", String(options.maxCommands)];
  const child = spawn(process.execPath, [...args, "--out", join(options.out, `seed-${seed}`)], { stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("close", () => {
      try {
        const report = JSON.parse(stdout) as { runs: number; commands: number; abandoned: number; abandonedRuns: number[]; violations: { check: string; message: string; file?: string }[] };
        const violations = report.violations.map((found) => `${found.check}: ${found.message}${found.file === undefined ? "" : ` (${found.file})`}`);
        resolve({ seed, runs: report.runs, commands: report.commands, violations, abandoned: report.abandoned, abandonedRuns: report.abandonedRuns });
      } catch {
        reject(new Error(`sweep: seed ${seed}: uvmcheck run printed no JSON report`));
      }
    });
  });
}

async function sweep(options: SweepOptions): Promise<SeedResult[]> {
  const results: SeedResult[] = [];
  const queue = [...options.seeds];
  const worker = async () => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
      const result = await runSeed(seed, options);
      results.push(result);
      console.log(`seed ${seed}: ${result.runs} runs, ${result.commands} commands, ${result.violations.length} violations, ${result.abandoned} abandoned`);
      for (const violation of result.violations) console.log(`  ${violation}`);
      if (result.abandonedRuns.length > 0) console.log(`  abandoned: run index ${result.abandonedRuns.join(", ")}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.jobs, options.seeds.length) }, worker));
  return results;
}

const options = parseOptions(process.argv.slice(2));
if (typeof options === "string") {
  console.error(options);
  process.exit(2);
}
let results: SeedResult[];
try {
  results = await sweep(options);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
const total = (field: "runs" | "commands" | "abandoned") => results.reduce((sum, result) => sum + result[field], 0);
const violations = results.reduce((sum, result) => sum + result.violations.length, 0);
console.log(
  `sweep: ${options.system}, ${results.length} seeds x --runs ${options.runs} --max-commands ${options.maxCommands}: ${total("runs")} runs, ${total("commands")} commands checked, ${violations} violations, ${total("abandoned")} abandoned`,
);
process.exitCode = violations > 0 || total("abandoned") > 0 ? 1 : 0;
