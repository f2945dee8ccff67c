//! `uvmcheck mutants`: the mutation report. For every mutant of the system (with
//! `--all-variants` every canary and seed-bug variant too; with `--only NAME[,NAME...]` just
//! those), the default campaign (`uvmcheck run`'s: exhaustible memory, failures on, the
//! world of the world flags) runs seed after seed (`--first-seed`, then the next, each
//! `--runs` runs) until the first violation, `--max-seeds` seeds, or `--budget-seconds` of
//! wall-clock time (no seed starts once it is spent). Per variant it reports killed or not,
//! seconds and commands to the first violation, the shrunk counterexample's length
//! (fast-check's, and properties/counterexample-files/shrink's) and the check that caught it
//! (properties/hunting/mutant-hunt.ts); then the median and worst time-to-kill and shrunk lengths and,
//! with `--matrix`, which check caught which variant (properties/hunting/catch-matrix.ts).
//!
//! `--jobs N` hunts N variants at once on worker threads (a tinypool pool; a machine with N
//! cores); every result but the seconds is the same as on one thread. `--json` prints exactly
//! one JSON object; `--markdown` prints the report as Markdown (the generated part of
//! docs/mutants.md). Exit 0 when every variant was killed, 1 when one survived, 2 on bad
//! usage (one line on stderr).

import { SingleBar } from "cli-progress";
import { setAutoFreeze } from "immer";
import Tinypool from "tinypool";
import { catchMatrix, checksOf } from "../properties/hunting/catch-matrix.ts";
import type { HuntResult } from "../properties/hunting/mutant-hunt.ts";
import type { SystemFactory, VariantInfo } from "../vocabulary/system-under-test.ts";
import { systemSpecFrom, type WorldFlags, worldFrom } from "./campaign-options.ts";
import { formatMarkdownReport, formatTextReport, jsonReport, type MutantsReport } from "./mutants-report.ts";
import { type HuntTask, runHuntTask } from "./mutants-task.ts";
import { parseInteger, UsageError } from "./usage-error.ts";

export interface MutantsFlags extends WorldFlags {
  readonly system?: string;
  readonly only?: string;
  readonly allVariants?: boolean;
  readonly budgetSeconds?: string;
  readonly runs?: string;
  readonly firstSeed?: string;
  readonly maxSeeds?: string;
  readonly maxCommands?: string;
  readonly matrix?: boolean;
  readonly json?: boolean;
  readonly markdown?: boolean;
  readonly jobs?: string;
}

/** Everything a hunt needs but the variant's name. */
interface HuntSettings extends Omit<HuntTask, "variant"> {
  readonly system: SystemFactory;
  readonly jobs: number;
}

/** `--budget-seconds`: a non-negative number of seconds, fractions allowed. */
export function parseSeconds(name: string, text: string): number {
  if (!/^\d+(\.\d+)?$/.test(text.trim())) throw new UsageError(`${name} must be a non-negative number of seconds, got "${text}"`);
  const seconds = Number(text);
  if (seconds > 86_400) throw new UsageError(`${name} must be at most 86400, got ${text}`);
  return seconds;
}

/** The variants to hunt: `--only`'s, else the mutants (every variant with `--all-variants`). */
function chosenVariants(system: SystemFactory, flags: MutantsFlags): readonly VariantInfo[] {
  if (flags.only !== undefined) {
    const names = flags.only.split(",").map((name) => name.trim());
    return names.map((name) => {
      const variant = system.variants.find((known) => known.name === name);
      if (variant === undefined) throw new UsageError(`--only: unknown variant "${name}" for system ${system.name}; \`uvmcheck variants\` lists them`);
      return variant;
    });
  }
  const chosen = flags.allVariants === true ? system.variants : system.variants.filter((variant) => variant.kind === "mutant");
  if (chosen.length === 0) throw new UsageError(`system ${system.name} has no ${flags.allVariants === true ? "variants" : "mutants"} to hunt`);
  return chosen;
}

async function settingsFrom(flags: MutantsFlags): Promise<HuntSettings> {
  const spec = flags.system ?? "uvm";
  const choice = await systemSpecFrom("--system", spec);
  if (choice.variant !== null) throw new UsageError(`--system ${spec} names variant ${choice.variant}; use --only ${choice.variant} to hunt one variant`);
  return {
    system: choice.system,
    systemSpec: spec,
    world: worldFrom(flags),
    runs: parseInteger("--runs", flags.runs ?? "300", 1, 10_000_000),
    firstSeed: parseInteger("--first-seed", flags.firstSeed ?? "1", 0, 0x7fffffff),
    maxSeeds: parseInteger("--max-seeds", flags.maxSeeds ?? "1000000", 1, 1_000_000),
    maxCommands: parseInteger("--max-commands", flags.maxCommands ?? "60", 1, 10_000),
    budgetSeconds: parseSeconds("--budget-seconds", flags.budgetSeconds ?? "180"),
    jobs: parseInteger("--jobs", flags.jobs ?? "1", 1, 64),
  };
}

function taskFor(settings: HuntSettings, variant: VariantInfo): HuntTask {
  const { systemSpec, world, runs, firstSeed, maxSeeds, maxCommands, budgetSeconds } = settings;
  return { systemSpec, variant: variant.name, world, runs, firstSeed, maxSeeds, maxCommands, budgetSeconds };
}

/** Hunts every variant in turn on this thread; `done` after each. Ensures: results in `variants` order. */
function huntInTurn(settings: HuntSettings, variants: readonly VariantInfo[], done: (finished: number, next: string) => void): HuntResult[] {
  const results: HuntResult[] = [];
  for (const variant of variants) {
    done(results.length, variant.name);
    results.push(runHuntTask(settings.system, taskFor(settings, variant)));
  }
  return results;
}

/** Hunts the variants on `settings.jobs` worker threads (cli/mutants-worker.mjs). Ensures: results in `variants` order. */
async function huntInPool(settings: HuntSettings, variants: readonly VariantInfo[], done: (finished: number, next: string) => void): Promise<HuntResult[]> {
  const pool = new Tinypool({ filename: new URL("./mutants-worker.mjs", import.meta.url).href, minThreads: settings.jobs, maxThreads: settings.jobs });
  let finished = 0;
  try {
    return await Promise.all(
      variants.map(async (variant) => {
        const result = (await pool.run(taskFor(settings, variant))) as HuntResult;
        done(++finished, variant.name);
        return result;
      }),
    );
  } finally {
    await pool.destroy();
  }
}

export async function mutantsCommand(flags: MutantsFlags): Promise<number> {
  const settings = await settingsFrom(flags);
  const variants = chosenVariants(settings.system, flags);
  if (flags.json === true && flags.markdown === true) throw new UsageError("--json and --markdown exclude each other");
  setAutoFreeze(false);
  const bar =
    flags.json !== true && process.stderr.isTTY ? new SingleBar({ format: "  hunting [{bar}] {value}/{total} variants  {variant}", hideCursor: true }) : null;
  bar?.start(variants.length, 0, { variant: variants[0]!.name });
  const done = (finished: number, name: string) => bar?.update(finished, { variant: name });
  const results = settings.jobs === 1 ? huntInTurn(settings, variants, done) : await huntInPool(settings, variants, done);
  bar?.update(variants.length, { variant: "" });
  bar?.stop();
  const report: MutantsReport = {
    system: settings.system.name,
    runs: settings.runs,
    firstSeed: settings.firstSeed,
    budgetSeconds: settings.budgetSeconds,
    variants,
    results,
    matrix: catchMatrix(
      checksOf(settings.system),
      results.map(({ variant, caughtBy }) => ({ variant, caughtBy })),
    ),
  };
  if (flags.json === true) process.stdout.write(`${JSON.stringify(jsonReport(report))}\n`);
  else if (flags.markdown === true) process.stdout.write(formatMarkdownReport(report, reproduceCommand(flags)));
  else process.stdout.write(formatTextReport(report, flags.matrix === true));
  return results.every((result) => result.killed) ? 0 : 1;
}

/** The command line that produced this report (for the Markdown header); flags at their defaults are left out. */
function reproduceCommand(flags: MutantsFlags): string {
  const words = ["npx uvmcheck mutants"];
  const add = (flag: string, value: string | boolean | undefined, byDefault?: string) => {
    if (value === true) words.push(flag);
    else if (typeof value === "string" && value !== byDefault) words.push(flag, value);
  };
  add("--system", flags.system, "uvm");
  add("--all-variants", flags.allVariants);
  add("--only", flags.only);
  add("--runs", flags.runs, "300");
  add("--first-seed", flags.firstSeed, "1");
  add("--max-seeds", flags.maxSeeds);
  add("--max-commands", flags.maxCommands, "60");
  add("--budget-seconds", flags.budgetSeconds, "180");
  add("--jobs", flags.jobs, "1");
  add("--frames", flags.frames);
  add("--swap-slots", flags.swapSlots);
  add("--page-words", flags.pageWords);
  add("--processes", flags.processes);
  add("--liveness-bound", flags.livenessBound);
  add("--markdown", true);
  return words.join(" ");
}
