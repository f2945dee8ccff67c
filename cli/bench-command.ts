//! `uvmcheck bench`: the speed figures of issue 16, each measured in this one process after a
//! warm-up, in interleaved rounds, printed as the median with its spread (the lowest and
//! highest round relative to the median: bench/measure.ts); every ratio is taken between
//! cases measured in the same rounds:
//!
//!   campaign     the default campaign (generation included, what `run` does) in checked
//!                commands per second on one core, as a ratio of the previous version's
//!                figure (bench/previous-version.ts, docs/performance.md) and as a fraction
//!                of the fast-check floor (the same arbitraries, a no-op model)
//!   streams      the implementation alone and the model alone on the same command stream
//!   micro        a case-1A fault and a resident read hit, in µs per operation
//!   world        a checked step with 32 and with --pages resident pages
//!   run length   the per-command cost of checked runs of exactly --long commands vs
//!                exactly --max-commands (a seeded stream, no threads)
//!   threads      the same campaign runs (five times --runs) with --jobs 2 and --jobs 1
//!   scale        run 0 of a `--profile scale` campaign (bench/scale-campaign.ts): checked
//!                commands per second, and the largest world it reached
//!
//! then the machine (CPU, cores, Node.js, load average when it started). Each goal of the
//! issue is printed with whether today's figure meets it. A run that fails a check (a
//! planted bug) stops where it fails; bench measures speed, `uvmcheck run` finds bugs.
//! Figures, not assertions: tests never time.

import { availableParallelism, cpus, loadavg } from "node:os";
import { setAutoFreeze } from "immer";
import { benchStream, type CampaignCount, campaignCase, checkedStops, checkedStreamCase, floorCase, residentCase, streamCases } from "../bench/cases.ts";
import { type Peak, scaleCampaignCase } from "../bench/scale-campaign.ts";
import { scaleSweepEvery } from "../properties/checking/incremental-check.ts";
import { type BenchCase, cpuMilliseconds, type Figure, measureInterleaved, ratioOf, scaled } from "../bench/measure.ts";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import { type CampaignOptions, defaultMaxCommands } from "../properties/hunting/campaign.ts";
import { inThisThread, type RunLanes, runIndexedCampaign } from "../properties/hunting/interruptible-campaign.ts";
import { splitSystemSpec } from "../systems/load-system.ts";
import { timeCase1AFaults, timeResidentReadHits } from "../systems/uvm-microbenchmarks.ts";
import { formatBench } from "./bench-text.ts";
import { withLanes } from "./campaign-lanes.ts";
import { type SystemFlags, seedFrom, systemFrom, type WorldFlags, worldFrom } from "./campaign-options.ts";
import { parseInteger } from "./usage-error.ts";

export interface BenchFlags extends WorldFlags, SystemFlags {
  readonly runs?: string;
  readonly seed?: string;
  readonly maxCommands?: string;
  readonly repetitions?: string;
  readonly pages?: string;
  readonly long?: string;
  readonly json?: boolean;
}

/** Ensures: what the figures were measured on (the load when called). */
export function machine() {
  const processors = cpus();
  const [oneMinute] = loadavg();
  return { cpu: processors[0]?.model.trim() ?? "unknown", cores: processors.length, node: process.version, loadAverage: Number((oneMinute ?? 0).toFixed(2)) };
}

/** A microbenchmark as a case: `operations` operations a round; units: operations. */
function microCase(name: string, operations: number, time: (operations: number, now: () => number) => number): BenchCase {
  return { name, run: () => ({ seconds: time(operations, cpuMilliseconds) * operations, units: operations }) };
}

/** The same campaign on `lanes`, as a case, in elapsed time (threads run at once); units: runs. */
function lanesCase(name: string, options: CampaignOptions, lanes: RunLanes): BenchCase {
  const never = { requested: () => false };
  return {
    name,
    run: async () => {
      const start = performance.now();
      const result = await runIndexedCampaign(options, lanes, never);
      return { seconds: (performance.now() - start) / 1000, units: result.runs };
    },
  };
}

/** The flags, checked: a bad one is a UsageError. */
async function benchSettings(flags: BenchFlags) {
  const { system, variant, spec } = await systemFrom(flags);
  const runs = parseInteger("--runs", flags.runs ?? "20", 1, 100_000);
  const maxCommands = parseInteger("--max-commands", flags.maxCommands ?? String(defaultMaxCommands), 1, 10_000);
  const repetitions = parseInteger("--repetitions", flags.repetitions ?? "5", 1, 1000);
  const pages = parseInteger("--pages", flags.pages ?? "4096", 33, 60_000);
  const long = parseInteger("--long", flags.long ?? "1000", maxCommands + 1, 10_000);
  const seed = flags.seed === undefined ? 1 : seedFrom(flags.seed);
  return { system, variant, reference: splitSystemSpec(spec).reference, world: worldFrom(flags), runs, maxCommands, repetitions, pages, long, seed };
}

export async function benchCommand(flags: BenchFlags): Promise<number> {
  const { system, variant, reference, world, runs, maxCommands, repetitions, pages, long, seed } = await benchSettings(flags);
  const host = machine();
  setAutoFreeze(false);
  // the campaign figures are the faithful system's (a planted bug would stop and shrink them)
  const options: CampaignOptions = { system, world, runs, seed, maxCommands, variant: null, contract: exhaustibleMemory, failures: true };
  const stream = benchStream(world, runs * 5, maxCommands, seed, system);
  // with a planted bug, which runs of the stream a checked run stops early (not timed)
  const stoppedRuns = variant === null ? 0 : checkedStops(system, variant, world, stream);
  const counted: CampaignCount = { commands: 0, runs: 0 };
  const longRuns = Math.max(1, Math.round((runs * maxCommands) / long));
  const failures = true;
  // the thread counts are compared on five times the runs: a few runs cost most of a
  // campaign (those with several operations pending), and among 20 one of them alone is often
  // more than half the work, which no number of lanes can split
  const jobsRuns = runs * 5;
  const jobsOptions: CampaignOptions = { ...options, runs: jobsRuns };
  const taskSpec = {
    systemSpec: reference,
    variant: null,
    world,
    runs: jobsRuns,
    seed,
    maxCommands,
    contract: exhaustibleMemory.name,
    failures,
    schedule: "mixed" as const,
  };
  const jobs = Math.max(2, Math.min(availableParallelism(), 2));
  // checked incrementally, enough reads a round for two sweeps at --pages (incremental-check.ts: one step per 16 pages)
  const incrementalReads = 2 * Math.ceil((pages + 64) / 16);
  const peak: Peak = { frames: 0, processes: 0, mappedPages: 0 };
  // a scale run grows the world only over enough commands (run 0's first thirty may map nothing)
  const scaleCommands = Math.max(maxCommands, defaultMaxCommands);
  const figures = await withLanes(jobs, jobsOptions, taskSpec, (pool) => {
    const cases: BenchCase[] = [
      campaignCase("campaign", options, counted),
      floorCase(options),
      ...streamCases(system, variant, world, stream),
      ...(system.name === "uvm" ? [microCase("case-1A fault", 20_000, timeCase1AFaults), microCase("resident read hit", 50_000, timeResidentReadHits)] : []),
      residentCase(system, world, 32, 20),
      residentCase(system, world, pages, 20),
      residentCase(system, world, 32, incrementalReads, scaleSweepEvery),
      residentCase(system, world, pages, incrementalReads, scaleSweepEvery),
      checkedStreamCase(`run length ${maxCommands}`, system, world, benchStream(world, Math.round(longRuns * (long / maxCommands)), maxCommands, seed, system)),
      checkedStreamCase(`run length ${long}`, system, world, benchStream(world, longRuns, long, seed, system)),
      lanesCase("jobs 1", jobsOptions, inThisThread(jobsOptions)),
      lanesCase(`jobs ${jobs}`, jobsOptions, pool),
      scaleCampaignCase(system, 1, seed, scaleCommands, peak),
    ];
    return measureInterleaved(cases, repetitions);
  });
  const ratios = {
    // per run: the campaign's cost per command times its (fixed) commands per run
    campaignOverFloor: scaled(ratioOf(figures, "campaign", "floor"), counted.commands / Math.max(counted.runs, 1)),
    modelOverImplementation: ratioOf(figures, "model", "implementation"),
    residentLargeOverSmall: ratioOf(figures, `resident ${pages}`, "resident 32"),
    residentLargeOverSmallIncremental: ratioOf(figures, `resident ${pages} incremental`, "resident 32 incremental"),
    longOverShort: ratioOf(figures, `run length ${long}`, `run length ${maxCommands}`),
    jobsOneOverMany: ratioOf(figures, "jobs 1", `jobs ${jobs}`),
  };
  const settings = { system: system.name, variant, seed, runs, maxCommands, scaleCommands, repetitions, pages, long, jobs, jobsRuns };
  const report = { ...settings, campaign: counted, scalePeak: peak, stoppedRuns, figures, ratios, machine: host };
  if (flags.json === true) process.stdout.write(`${JSON.stringify(report, (_key, value) => (value instanceof Map ? Object.fromEntries(value) : value))}\n`);
  else process.stdout.write(`${formatBench(report).join("\n")}\n`);
  return 0;
}

export interface BenchReport {
  readonly system: string;
  readonly variant: string | null;
  readonly seed: number;
  /** Runs of the implementation's stream a violation stopped early (a planted bug). */
  readonly stoppedRuns: number;
  readonly runs: number;
  readonly maxCommands: number;
  /** The scale campaign's commands per run: --max-commands, at least the default. */
  readonly scaleCommands: number;
  readonly repetitions: number;
  readonly pages: number;
  readonly long: number;
  readonly jobs: number;
  /** The runs of the thread-count comparison. */
  readonly jobsRuns: number;
  readonly campaign: CampaignCount;
  /** The largest world the scale campaign reached. */
  readonly scalePeak: Peak;
  readonly figures: ReadonlyMap<string, Figure>;
  readonly ratios: Readonly<
    Record<
      "campaignOverFloor" | "modelOverImplementation" | "residentLargeOverSmall" | "residentLargeOverSmallIncremental" | "longOverShort" | "jobsOneOverMany",
      Figure
    >
  >;
  readonly machine: ReturnType<typeof machine>;
}
