//! `uvmcheck run`'s flags, checked all at once before anything runs: the system and variant,
//! the world, the numbers, the schedule, and every place the run will write (`--out`,
//! `--db`, `--junit`, `--report`), so a mistake is one line and exit 2 at once, never after
//! the campaign. Also the command line that runs the same campaign again.

import { availableParallelism } from "node:os";
import { type GenerationProfile, generationProfiles, scaleWorld, scaleWorldDefaults } from "../properties/generation/growth.ts";
import { type ScheduleChoice, scheduleChoices } from "../properties/generation/thread-arbitraries.ts";
import { ampleMemory, type Contract, exhaustibleMemory } from "../properties/checking/runner.ts";
import { defaultMaxCommands } from "../properties/hunting/campaign.ts";
import type { Shard } from "../properties/hunting/interruptible-campaign.ts";
import { splitSystemSpec } from "../systems/load-system.ts";
import type { SystemFactory } from "../vocabulary/system-under-test.ts";
import type { WorldConfig } from "../vocabulary/world.ts";
import { seedFrom, type SystemFlags, systemFrom, type WorldFlags, worldFlagWords, worldFrom } from "./campaign-options.ts";
import { checkWritableFile, checkWritableFolder } from "./destination.ts";
import { shellWord } from "./output.ts";
import { shardFrom } from "./shard-file.ts";
import { parseInteger, UsageError } from "./usage-error.ts";

/** Where `run` (and `diff`, `mutants`) write the counterexamples they find: beside the stored regressions, never among them (git ignores it). */
export const findingsFolder = "counterexamples/found";

/** The example database `run` replays first: the stored regressions and, in `found/`, earlier findings. */
export const databaseFolder = "counterexamples";

export interface RunFlags extends WorldFlags, SystemFlags {
  readonly runs?: string;
  readonly seed?: string;
  readonly maxCommands?: string;
  readonly json?: boolean;
  readonly ample?: boolean;
  readonly out?: string;
  readonly schedule?: string;
  readonly profile?: string;
  /** A folder, false for `--no-db`, undefined for the default (`counterexamples/`). */
  readonly db?: string | boolean;
  readonly fromRun?: string;
  readonly html?: boolean;
  readonly statistics?: boolean;
  readonly junit?: string;
  readonly report?: string;
  readonly jobs?: string;
  readonly duration?: string;
  readonly shard?: string;
}

export interface RunSettings {
  readonly system: SystemFactory;
  readonly variant: string | null;
  /** The system as given, without the variant (`uvm`, `./mine.mjs`). */
  readonly reference: string;
  readonly world: WorldConfig;
  readonly runs: number;
  readonly fromRun: number;
  readonly maxCommands: number;
  readonly seed: number;
  readonly schedule: ScheduleChoice;
  /** `--profile`: the generators (properties/generation/growth.ts). */
  readonly profile: GenerationProfile;
  readonly contract: Contract;
  readonly ample: boolean;
  readonly out: string;
  /** Where stored counterexamples are replayed from; null: none. */
  readonly db: string | null;
  readonly json: boolean;
  readonly html: boolean;
  readonly statistics: boolean;
  /** Worker threads (`--jobs`, default every core): changes when runs happen, never what they find. */
  readonly jobs: number;
  /** `--shard I/N`: only the runs whose index is I modulo N, printed as JSON lines (cli/shard-file.ts); or null. */
  readonly shard: Shard | null;
  /** `merge`: the number of shards merged into this report; null for a run. */
  readonly shards: number | null;
  /** `--duration`: run until this many seconds have passed (at most `runs` runs), or null. */
  readonly durationSeconds: number | null;
  /** The command line that runs this campaign again (without --from-run). */
  readonly again: string;
}

/** The world flags actually given (so `--ample`'s defaults give way to them). */
function definedOnly(flags: WorldFlags): WorldFlags {
  const given = {
    frames: flags.frames,
    swapSlots: flags.swapSlots,
    pageWords: flags.pageWords,
    vaPages: flags.vaPages,
    processes: flags.processes,
    livenessBound: flags.livenessBound,
  };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
}

function scheduleFrom(text: string | undefined): ScheduleChoice {
  if (text === undefined) return "mixed";
  const choice = scheduleChoices.find((known) => known === text);
  if (choice === undefined) throw new UsageError(`--schedule must be one of ${scheduleChoices.join(", ")} (got "${text}")`);
  return choice;
}

/** Ensures: every flag valid and every destination writable, or a UsageError for the first that is not. */
export async function runSettingsFrom(flags: RunFlags): Promise<RunSettings> {
  const { system, variant, spec } = await systemFrom(flags);
  const ample = flags.ample === true;
  const profile = profileFrom(flags.profile);
  const scale = profile === "scale" ? scaleWorldDefaults : {};
  const sized = worldFrom({ ...scale, ...(ample ? { frames: "4096", swapSlots: "4096" } : {}), ...definedOnly(flags) });
  const world = profile === "scale" ? scaleWorld(sized) : sized;
  const durationSeconds = flags.duration === undefined ? null : durationFrom(flags.duration);
  const runs = parseInteger("--runs", flags.runs ?? (durationSeconds === null ? "300" : String(unlimitedRuns)), 1, unlimitedRuns);
  const fromRun = parseInteger("--from-run", flags.fromRun ?? "0", 0, runs - 1);
  const maxCommands = parseInteger("--max-commands", flags.maxCommands ?? String(defaultMaxCommands), 1, 10_000);
  const seed = seedFrom(flags.seed);
  const schedule = scheduleFrom(flags.schedule);
  const out = flags.out ?? findingsFolder;
  checkWritableFolder("--out", out);
  const db = flags.db === false ? null : typeof flags.db === "string" ? flags.db : databaseFolder;
  for (const [flag, path] of [
    ["--junit", flags.junit],
    ["--report", flags.report],
  ] as const) {
    if (path !== undefined) checkWritableFile(flag, path, { replace: true });
  }
  const settings = { system, variant, reference: splitSystemSpec(spec).reference, world, runs, fromRun, maxCommands, seed, schedule, profile, ample, out, db };
  const contract = ample ? ampleMemory : exhaustibleMemory;
  const jobs = parseInteger("--jobs", flags.jobs ?? String(availableParallelism()), 1, 256);
  const shard = flags.shard === undefined ? null : shardFrom(flags.shard);
  if (shard !== null && durationSeconds !== null) throw new UsageError("--shard and --duration exclude each other: a shard runs its slice of --runs");
  const parallel = { jobs, durationSeconds, shard, shards: null };
  const rest = { contract, json: flags.json === true, html: flags.html === true, statistics: flags.statistics === true, ...parallel };
  return { ...settings, ...rest, again: againCommand(flags, seed) };
}

function profileFrom(text: string | undefined): GenerationProfile {
  if (text === undefined) return "default";
  const profile = generationProfiles.find((known) => known === text);
  if (profile === undefined) throw new UsageError(`--profile must be one of ${generationProfiles.join(", ")} (got "${text}")`);
  return profile;
}

/** The most runs of a campaign; with `--duration` and no `--runs`, the time ends it first. */
const unlimitedRuns = 10_000_000;

/** `--duration`: `90s`, `10m`, `2h` or plain seconds. Ensures: seconds > 0, or a UsageError. */
function durationFrom(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  const seconds = match === null ? Number.NaN : Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? "s") as "s" | "m" | "h"];
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--duration must be a time like 90s, 10m or 2h (got "${text}")`);
  return seconds;
}

/** `npx uvmcheck run ...` with the flags that change the campaign (defaults left out). */
function againCommand(flags: RunFlags, seed: number): string {
  const words = ["npx", "uvmcheck", "run"];
  const add = (flag: string, value: string | boolean | undefined, byDefault?: string) => {
    if (value === true) words.push(flag);
    else if (typeof value === "string" && value !== byDefault) words.push(flag, shellWord(value));
  };
  add("--system", flags.system, "uvm");
  add("--variant", flags.variant);
  words.push("--seed", String(seed));
  if (flags.duration === undefined) add("--runs", flags.runs ?? "300");
  else add("--runs", flags.runs);
  add("--duration", flags.duration);
  add("--max-commands", flags.maxCommands, String(defaultMaxCommands));
  add("--schedule", flags.schedule, "mixed");
  add("--profile", flags.profile, "default");
  add("--ample", flags.ample);
  words.push(...worldFlagWords(flags));
  add("--out", flags.out, findingsFolder);
  return words.join(" ");
}
