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
//! The hunts run on worker threads (a tinypool pool of `--jobs N`, 1 by default), so the
//! command stays responsive: Ctrl-C stops the hunts at once and reports the variants done
//! (exit 130). Every result but the seconds is the same however many threads hunt. The
//! counterexample that killed each variant is written into `--out DIR` (default
//! `counterexamples/mutants/`) and named in the report. `--json` prints exactly one JSON
//! object; `--markdown` prints the report as Markdown (the generated part of
//! docs/mutants.md); `--junit` has one test case per variant (killed: passed; survived:
//! failed). Exit 0 when every variant was killed, 1 when one survived, 2 on bad usage (one
//! line on stderr).

import { setAutoFreeze } from "immer";
import Tinypool from "tinypool";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import { defaultMaxCommands } from "../properties/hunting/campaign.ts";
import { splitSystemSpec } from "../systems/load-system.ts";
import { checkWritableFolder } from "./destination.ts";
import { finishReports } from "./error-report.ts";
import { type FindingOrigin, saveFinding } from "./finding-file.ts";
import { Interrupt } from "./interrupt.ts";
import { mutantsCiFields } from "./mutants-ci.ts";
import { Progress } from "./progress.ts";
import { findingsFolder } from "./run-settings.ts";
import type { Session } from "./session.ts";
import { catchMatrix, checksOf } from "../properties/hunting/catch-matrix.ts";
import type { HuntResult } from "../properties/hunting/mutant-hunt.ts";
import type { SystemFactory, VariantInfo } from "../vocabulary/system-under-test.ts";
import { systemSpecFrom, type WorldFlags, worldFlagWords, worldFrom } from "./campaign-options.ts";
import { formatMarkdownReport, formatTextReport, jsonReport, type MutantsReport } from "./mutants-report.ts";
import type { HuntTask } from "./mutants-task.ts";
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
  readonly out?: string;
  readonly junit?: string;
  readonly report?: string;
}

/** Everything a hunt needs but the variant's name. */
interface HuntSettings extends Omit<HuntTask, "variant"> {
  readonly system: SystemFactory;
  readonly jobs: number;
}

/** `--budget-seconds`: a positive number of seconds, fractions allowed. */
export function parseSeconds(name: string, text: string): number {
  if (!/^\d+(\.\d+)?$/.test(text.trim())) throw new UsageError(`${name} must be a positive number of seconds, got "${text}"`);
  const seconds = Number(text);
  if (seconds <= 0) throw new UsageError(`${name} must be more than 0 (a budget of 0 hunts nothing), got ${text}`);
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
    maxCommands: parseInteger("--max-commands", flags.maxCommands ?? String(defaultMaxCommands), 1, 10_000),
    budgetSeconds: parseSeconds("--budget-seconds", flags.budgetSeconds ?? "180"),
    jobs: parseInteger("--jobs", flags.jobs ?? "1", 1, 64),
  };
}

function taskFor(settings: HuntSettings, variant: VariantInfo): HuntTask {
  const { systemSpec, world, runs, firstSeed, maxSeeds, maxCommands, budgetSeconds } = settings;
  return { systemSpec, variant: variant.name, world, runs, firstSeed, maxSeeds, maxCommands, budgetSeconds };
}

/**
 * Hunts the variants on `settings.jobs` worker threads (cli/mutants-worker.mjs) until done
 * or interrupted. Ensures: the results of the variants done, in `variants` order.
 */
async function huntInPool(settings: HuntSettings, variants: readonly VariantInfo[], progress: Progress, interrupt: Interrupt): Promise<HuntResult[]> {
  const pool = new Tinypool({ filename: new URL("./mutants-worker.mjs", import.meta.url).href, minThreads: settings.jobs, maxThreads: settings.jobs });
  const results: (HuntResult | undefined)[] = variants.map(() => undefined);
  let finished = 0;
  const hunts = variants.map(async (variant, index) => {
    results[index] = (await pool.run(taskFor(settings, variant))) as HuntResult;
    progress.update(++finished, variant.name);
  });
  try {
    await Promise.race([Promise.all(hunts), interrupt.asked]);
  } finally {
    for (const hunt of hunts) hunt.catch(() => {}); // hunts cut short by destroy() reject; their results are not wanted
    await pool.destroy();
  }
  return results.filter((result) => result !== undefined);
}

export async function mutantsCommand(flags: MutantsFlags, session: Session): Promise<number> {
  const settings = await settingsFrom(flags);
  const variants = chosenVariants(settings.system, flags);
  if (flags.json === true && flags.markdown === true) throw new UsageError("--json and --markdown exclude each other");
  const out = flags.out ?? `${findingsFolder}/mutants`;
  checkWritableFolder("--out", out);
  session.reports.note({ system: settings.system.name, caseName: "uvmcheck mutants" });
  setAutoFreeze(false);
  const progress = new Progress({ label: "hunting", noun: "variant", total: variants.length, enabled: flags.json !== true, hideCursor: true });
  const interrupt = new Interrupt("the hunt").install();
  let results: HuntResult[];
  try {
    results = await huntInPool(settings, variants, progress, interrupt);
  } finally {
    progress.stop();
    interrupt.uninstall();
  }
  const done = variants.filter((variant) => results.some((result) => result.variant === variant.name));
  const files = results.map((result) => (result.found === null ? null : saveFinding(result.found, originOf(settings, result), out)));
  const report: MutantsReport = {
    system: settings.system.name,
    runs: settings.runs,
    firstSeed: settings.firstSeed,
    budgetSeconds: settings.budgetSeconds,
    variants: done,
    results,
    matrix: catchMatrix(
      checksOf(settings.system),
      results.map(({ variant, caughtBy }) => ({ variant, caughtBy })),
    ),
  };
  const exitCode = interrupt.requested() ? interrupt.exitCode : results.every((result) => result.killed) ? 0 : 1;
  finishReports(session, mutantsCiFields(report, variants, files, interrupt.requested(), session.elapsedMilliseconds() / 1000));
  const interrupted = interrupt.requested() ? `INTERRUPTED after ${done.length} of ${variants.length} variants\n` : "";
  if (flags.json === true) process.stdout.write(`${JSON.stringify({ ...jsonReport(report, files), interrupted: interrupt.requested() })}\n`);
  else if (flags.markdown === true) process.stdout.write(formatMarkdownReport(report, reproduceCommand(flags)));
  else process.stdout.write(`${formatTextReport(report, flags.matrix === true, files)}${interrupted}`);
  return exitCode;
}

function originOf(settings: HuntSettings, result: HuntResult): FindingOrigin {
  return { reference: splitSystemSpec(settings.systemSpec).reference, variant: result.variant, contract: exhaustibleMemory.name, maxCommands: settings.maxCommands };
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
  add("--max-commands", flags.maxCommands, String(defaultMaxCommands));
  add("--budget-seconds", flags.budgetSeconds, "180");
  add("--jobs", flags.jobs, "1");
  words.push(...worldFlagWords(flags));
  add("--markdown", true);
  return words.join(" ");
}
