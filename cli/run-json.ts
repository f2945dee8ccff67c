//! The end of `uvmcheck run`, in the three forms it leaves: the text a person reads
//! (verdict last), the one JSON object `--json` prints, and the fields of the CI reports
//! (`--junit`, `--report`). All three come from one CampaignEnd, so they agree.
//!
//! JSON keys: system, seed, runs, commands, abandoned, abandonedRuns (their indices), violations (each with `file`,
//! `duplicate`, the failure, the shrunk commands, seed, path, replayPath, hardwareSeed,
//! world, swarm, and `nondeterminism` when the system answered differently on replay),
//! coverage; then verdict (`passed`, `violation`, `interrupted`), exitCode, interrupted,
//! elapsedSeconds, jobs and sameForAnyJobs (true: `--jobs` changes no other field),
//! durationSeconds with `--duration`, database (the stored counterexamples replayed first, or null),
//! reproduce, page, and statistics with `--statistics`. Only elapsedSeconds and
//! statistics' time per run vary between two runs of the same seed.

import { type DatabaseReplay, failingAgain } from "../properties/counterexample-files/example-database.ts";
import type { FoundViolation } from "../properties/hunting/campaign.ts";
import type { InterruptibleResult } from "../properties/hunting/interruptible-campaign.ts";
import { CONFIGURATION_LIMIT } from "../properties/checking/linearizer.ts";
import type { Verdict } from "./reports/ci-reports.ts";
import type { CampaignTally } from "./campaign-tally.ts";
import { exitCodes } from "./error-report.ts";
import { commandLines, count, duration, rate, shellWord, wrap } from "./output.ts";
import type { RunSettings } from "./run-settings.ts";
import { formatCoverage, formatViolation, type Saved } from "./run-text.ts";
import { formatStatistics, statisticsOf } from "./statistics.ts";

export interface CampaignEnd {
  readonly settings: RunSettings;
  readonly result: InterruptibleResult;
  readonly tally: CampaignTally;
  readonly found: FoundViolation | null;
  readonly saved: Saved | null;
  /** The HTML page written with --html, or why not. */
  readonly page: string | null;
  readonly database: DatabaseReplay | null;
  readonly exitCode: number;
  readonly seconds: number;
}

function verdictOf(end: CampaignEnd): Verdict {
  if (end.result.interrupted) return "interrupted";
  return end.exitCode === exitCodes.passed ? "passed" : "violation";
}

function replayCommand(end: CampaignEnd): string | null {
  const saved = end.saved;
  return saved === null || saved.kind === "unwritten" ? null : `npx uvmcheck replay ${shellWord(saved.path)}`;
}

/** `--from-run K` for going on where an interrupted campaign stopped, or null. */
function goOnCommand(end: CampaignEnd): string | null {
  const next = end.settings.fromRun + end.result.runs;
  return end.result.interrupted && end.found === null && next < end.settings.runs ? `${end.settings.again} --from-run ${next}` : null;
}

export function runJson(end: CampaignEnd) {
  const { result, saved } = end;
  const violations = result.violations.map((found) => ({
    file: saved === null || saved.kind === "unwritten" ? null : saved.path,
    duplicate: saved?.kind === "duplicate",
    ...found.violation,
    commands: found.commands,
    seed: found.seed,
    path: found.path,
    replayPath: found.replayPath,
    hardwareSeed: found.hardwareSeed,
    world: found.world,
    swarm: found.swarm,
    ...(found.nondeterminism === undefined ? {} : { nondeterminism: found.nondeterminism }),
  }));
  return {
    system: result.system,
    seed: result.seed,
    runs: result.runs,
    commands: result.commands,
    abandoned: result.abandoned,
    abandonedRuns: result.abandonedRuns ?? [],
    violations,
    coverage: Object.fromEntries(result.coverage),
    verdict: verdictOf(end),
    exitCode: end.exitCode,
    interrupted: result.interrupted,
    elapsedSeconds: Number(end.seconds.toFixed(3)),
    jobs: end.settings.jobs,
    sameForAnyJobs: true,
    ...(end.settings.durationSeconds === null ? {} : { durationSeconds: end.settings.durationSeconds }),
    database: end.database,
    reproduce: { run: end.settings.again, replay: replayCommand(end), goOn: goOnCommand(end) },
    page: end.page,
    ...(end.settings.statistics ? { statistics: statisticsOf(end.tally, end.settings.maxCommands) } : {}),
  };
}

function summaryLines(end: CampaignEnd): string[] {
  const { result, seconds } = end;
  const { jobs, shards } = end.settings;
  const threads = shards !== null ? `across ${count(shards, "shard")}` : jobs === 1 ? "on this thread" : `on ${count(jobs, "worker thread")}`;
  const lines = [
    `${count(result.runs, "run")}, ${count(result.commands, "command")} checked in ${duration(seconds)} (${rate(result.runs / seconds)} runs/s) ${threads}`,
    "  each run depends on the seed and its index alone: the same result for any --jobs",
  ];
  const first = end.settings.fromRun;
  if (end.settings.durationSeconds !== null && end.found === null && !result.interrupted) lines.push(`  the time budget ended it: runs ${first} to ${first + result.runs - 1} again with --runs ${first + result.runs}`);
  if (result.abandoned > 0) {
    const indices = result.abandonedRuns?.length ? ` (run index ${result.abandonedRuns.join(", ")})` : "";
    const words = `${count(result.abandoned, "run")} abandoned${indices}: a thread history too ambiguous to check (more than ${CONFIGURATION_LIMIT} linearizer configurations), neither passed nor failed`;
    lines.push(...wrap(words.split(" "), "  "));
  }
  const replay = replayCommand(end);
  if (replay !== null) lines.push(...commandLines("reproduce:", replay));
  if (end.page !== null) lines.push(`page: ${end.page}`);
  lines.push(...commandLines("run again:", end.settings.again));
  const goOn = goOnCommand(end);
  if (goOn !== null) lines.push(...commandLines("go on from here:", goOn));
  return lines;
}

function verdictLine(end: CampaignEnd): string {
  const { result, found, settings } = end;
  const regressions = end.database === null ? 0 : failingAgain(end.database).length;
  const stored = regressions === 0 ? "" : `; ${count(regressions, "stored counterexample")} failing again (above)`;
  if (result.interrupted) {
    const shrinking = found === null ? "" : `; a ${found.violation.check} violation was found, shrunk only partly`;
    return `INTERRUPTED after ${count(result.runs, "run")} of ${settings.runs - settings.fromRun} (seed ${settings.seed})${shrinking}${stored}`;
  }
  if (found !== null) return `VIOLATION: ${found.violation.check} at step ${found.violation.step} (seed ${settings.seed})${stored}`;
  if (regressions > 0) return `FAILED: ${count(regressions, "stored counterexample")} failing again; no new violation in ${count(result.runs, "run")}`;
  return `no violation in ${count(result.runs, "run")} (seed ${settings.seed})`;
}

/** Ensures: the verdict is the last line. */
export function runTextLines(end: CampaignEnd): string[] {
  const lines = formatCoverage(end.result.coverage, end.settings.system.requiredCoverage);
  if (end.settings.statistics) lines.push(...formatStatistics(statisticsOf(end.tally, end.settings.maxCommands)));
  if (end.found !== null && end.saved !== null) lines.push(...formatViolation(end.found, end.saved));
  lines.push(...summaryLines(end), verdictLine(end));
  return lines;
}

/** The fields of the CI reports. */
export function runCiFields(end: CampaignEnd) {
  const { result, found, saved } = end;
  const file = saved === null || saved.kind === "unwritten" ? [] : [saved.path];
  const regressions = end.database === null ? [] : failingAgain(end.database).map((entry) => entry.path);
  const failure =
    found !== null
      ? { failureType: found.violation.check, message: `${found.violation.check} at step ${found.violation.step}: ${found.violation.message}` }
      : regressions.length > 0
        ? { failureType: "stored counterexample", message: `${count(regressions.length, "stored counterexample")} failing again: ${regressions.join(", ")}` }
        : {};
  return {
    verdict: verdictOf(end),
    ...failure,
    ...(end.result.interrupted ? { message: verdictLine(end) } : {}),
    details: runTextLines(end).slice(-4).join("\n"),
    runs: { requested: end.settings.runs, done: result.runs, from: end.settings.fromRun },
    commands: result.commands,
    abandoned: result.abandoned,
    coverage: Object.fromEntries(result.coverage),
    counterexamples: [...file, ...regressions],
    database: end.database === null ? null : { directory: end.database.directory, entries: end.database.entries },
    timings: { elapsedSeconds: Number(end.seconds.toFixed(3)), runsPerSecond: Number((result.runs / Math.max(end.seconds, 1e-3)).toFixed(2)) },
    reproduce: end.settings.again,
    statistics: statisticsOf(end.tally, end.settings.maxCommands),
  };
}
