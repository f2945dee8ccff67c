//! `uvmcheck merge FILES...`: the shards of one campaign (`uvmcheck run --shard I/N`, one
//! file each, cli/shard-file.ts), run on as many machines, put back together into the report
//! `uvmcheck run` prints for the whole campaign, with the same exit code:
//!
//!   1. every file read and checked: all shards of the same campaign (the same flags), each
//!      of 0..N-1 exactly once; otherwise one line and exit 2
//!   2. the runs in index order; the campaign's first failing run is the lowest failing index
//!      over all shards, and the campaign stops there, as run does: runs above it are left
//!      out of the totals (coverage, commands)
//!   3. its counterexample saved into `--out` (not again if the folder holds the same
//!      finding); the other shards' findings after it are listed once per failure signature
//!      (properties/counterexample-files/failure-signature.ts)
//!   4. the report: text or `--json`, the CI reports, exit 0 / 1 (130 when a shard was cut short)

import { counterexampleFromFinding } from "../properties/counterexample-files/counterexample-file.ts";
import { failureSignature } from "../properties/counterexample-files/failure-signature.ts";
import type { FoundViolation } from "../properties/hunting/campaign.ts";
import { CampaignTally } from "./campaign-tally.ts";
import { exitCodes, finishReports } from "./error-report.ts";
import { saveFinding } from "./finding-file.ts";
import { count } from "./output.ts";
import { type CampaignEnd, runCiFields, runJson, runTextLines } from "./run-json.ts";
import { findingsFolder, type RunSettings, runSettingsFrom } from "./run-settings.ts";
import type { Session } from "./session.ts";
import { readShardFile, type ShardFile, type ShardRun } from "./shard-file.ts";
import { UsageError } from "./usage-error.ts";

export interface MergeFlags {
  readonly json?: boolean;
  readonly out?: string;
  readonly statistics?: boolean;
}

/** Ensures: the files sorted by shard index, all of one campaign and complete as a set; or a UsageError. */
function checkedShards(paths: readonly string[]): ShardFile[] {
  if (paths.length === 0) throw new UsageError("merge: name the shard files (the outputs of `uvmcheck run --shard I/N`)");
  const files = paths.map(readShardFile).sort((a, b) => a.header.shard.index - b.header.shard.index);
  const first = files[0]!;
  const flags = JSON.stringify(first.header.flags);
  for (const file of files) {
    if (JSON.stringify(file.header.flags) !== flags) throw new UsageError(`merge: ${file.path} is a shard of another campaign than ${first.path} (different flags)`);
    if (file.header.shard.count !== first.header.shard.count) throw new UsageError(`merge: ${file.path} is shard ${file.header.shard.index}/${file.header.shard.count}, ${first.path} one of ${first.header.shard.count}`);
  }
  const shards = first.header.shard.count;
  for (let index = 0; index < shards; index++) {
    const holding = files.filter((file) => file.header.shard.index === index);
    if (holding.length === 0) throw new UsageError(`merge: shard ${index}/${shards} is missing`);
    if (holding.length > 1) throw new UsageError(`merge: shard ${index}/${shards} given twice (${holding.map((file) => file.path).join(", ")})`);
  }
  return files;
}

function signatureOf(found: FoundViolation, settings: RunSettings): string {
  const origin = { system: settings.reference, variant: settings.variant, contract: settings.contract.name, maxCommands: settings.maxCommands };
  return failureSignature(counterexampleFromFinding(found, origin), settings.reference);
}

/** The campaign's runs in order up to its first failing run (or a missing run: a shard cut short). */
function campaignRuns(files: readonly ShardFile[], settings: RunSettings): { runs: ShardRun[]; complete: boolean; later: ShardRun[] } {
  const byIndex = new Map(files.flatMap((file) => file.runs.map((run) => [run.index, run] as const)));
  const runs: ShardRun[] = [];
  for (let index = settings.fromRun; index < settings.runs; index++) {
    const run = byIndex.get(index);
    if (run === undefined) {
      const stopped = files.some((file) => file.end === null || file.end.interrupted);
      if (stopped) return { runs, complete: false, later: [] };
      throw new UsageError(`merge: run ${index} is in no shard file (was a file cut short?)`);
    }
    runs.push(run);
    if (run.verdict === "violation") break;
  }
  const last = runs.at(-1)?.index ?? -1;
  const later = [...byIndex.values()].filter((run) => run.index > last && run.found !== undefined).sort((a, b) => a.index - b.index);
  return { runs, complete: true, later };
}

export async function mergeCommand(paths: readonly string[], flags: MergeFlags, session: Session): Promise<number> {
  const files = checkedShards(paths);
  const base = await runSettingsFrom({ ...files[0]!.header.flags, json: flags.json === true, statistics: flags.statistics === true, out: flags.out ?? findingsFolder, db: false, jobs: "1" });
  const settings: RunSettings = { ...base, shards: files.length };
  session.reports.note({ system: settings.system.name, variant: settings.variant, seed: settings.seed, caseName: settings.again });
  const { runs, complete, later } = campaignRuns(files, settings);
  const tally = new CampaignTally(() => 0);
  const coverage = new Map<string, number>();
  for (const [position, run] of runs.entries()) {
    tally.add({ kind: "run", index: run.index, completedRuns: position + 1, commands: run.commands, outcomes: run.outcomes, coverage: run.coverage, failed: run.verdict === "abandoned" ? "capacity" : run.check });
    for (const [name, value] of Object.entries(run.coverage)) coverage.set(name, (coverage.get(name) ?? 0) + value);
  }
  const found = runs.at(-1)?.found ?? null;
  const violations = found === null ? [] : [found];
  const result = { system: settings.system.name, seed: settings.seed, runs: runs.length, commands: tally.commands, violations, coverage, abandoned: tally.abandoned, interrupted: !complete };
  const origin = { reference: settings.reference, variant: settings.variant, contract: settings.contract.name, maxCommands: settings.maxCommands };
  const saved = found === null ? null : saveFinding(found, origin, settings.out);
  const exitCode = !complete ? exitCodes.interrupted : found !== null ? exitCodes.violation : exitCodes.passed;
  const end: CampaignEnd = { settings, result, tally, found, saved, page: null, database: null, exitCode, seconds: session.elapsedMilliseconds() / 1000 };
  finishReports(session, runCiFields(end));
  const seen = new Set(found === null ? [] : [signatureOf(found, settings)]);
  const others = later.filter((run) => {
    const signature = signatureOf(run.found!, settings);
    return !seen.has(signature) && seen.add(signature) !== undefined;
  });
  const otherFindings = others.map((run) => ({ index: run.index, check: run.check, counterexample: run.counterexample }));
  if (flags.json === true) process.stdout.write(`${JSON.stringify({ ...runJson(end), shards: files.length, otherFindings })}\n`);
  else process.stdout.write(`${[...otherLines(otherFindings), ...runTextLines(end)].join("\n")}\n`);
  return exitCode;
}

function otherLines(others: readonly { index: number; check: string | null; counterexample: string | null }[]): string[] {
  if (others.length === 0) return [];
  const head = `${count(others.length, "other finding")} of the shards, after the first failing run (not in the totals; one per failure signature):`;
  return [head, ...others.map((other) => `  run ${other.index}: ${other.check} ${other.counterexample ?? "(no file)"}`)];
}
