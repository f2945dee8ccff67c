//! `uvmcheck run`: the default checking campaign.
//!
//!   1. every flag and destination checked (run-settings.ts): a mistake is exit 2 at once
//!   2. the stored counterexamples that apply to the system replayed (the example database,
//!      properties/counterexample-files/example-database.ts; `--db DIR`, `--no-db`)
//!   3. the campaign, with progress on stderr; Ctrl-C stops it between runs
//!   4. a violation saved as a counterexample file into `--out DIR` (unless the folder holds
//!      the same finding), and as an HTML page with `--html`
//!   5. the CI reports (`--junit`, `--report`), then the output: text (run-text.ts) or one
//!      JSON object (run-json.ts)
//!
//! Exit 0: no violation, and no stored counterexample failing against its status. 1: a
//! violation, or a stored one failing again. 2: bad usage or an error. 130 (143): stopped by
//! Ctrl-C (SIGTERM), after printing what was done and writing the reports.

import { setAutoFreeze } from "immer";
import { type DatabaseReplay, failingAgain, replayDatabase } from "../properties/counterexample-files/example-database.ts";
import type { CampaignOptions } from "../properties/hunting/campaign.ts";
import { runIndexedCampaign } from "../properties/hunting/interruptible-campaign.ts";
import type { RunEvent } from "../properties/hunting/campaign-events.ts";
import { withLanes } from "./campaign-lanes.ts";
import { campaignFlags, shardLines } from "./shard-file.ts";
import type { CampaignSpec } from "./campaign-task.ts";
import { CampaignTally } from "./campaign-tally.ts";
import { formatDatabase } from "./database-text.ts";
import { exitCodes, finishReports } from "./error-report.ts";
import { saveFinding } from "./finding-file.ts";
import { Interrupt } from "./interrupt.ts";
import { count, wrap } from "./output.ts";
import { Progress } from "./progress.ts";
import { type CampaignEnd, runCiFields, runJson, runTextLines } from "./run-json.ts";
import { type RunFlags, type RunSettings, runSettingsFrom } from "./run-settings.ts";
import type { Saved } from "./run-text.ts";
import type { Session } from "./session.ts";
import { sameSystemAs } from "./system-reference.ts";
import { writeFindingPage } from "./report-command.ts";

export type { RunFlags } from "./run-settings.ts";

function header(settings: RunSettings): string {
  const variant = settings.variant === null ? "" : ` variant ${settings.variant}`;
  const from = settings.fromRun === 0 ? "" : ` from run ${settings.fromRun}`;
  const runs = `${count(settings.runs, "run")}${from} of up to ${count(settings.maxCommands, "command")}`;
  return wrap(
    `uvmcheck run: system ${settings.system.name}${variant}, seed ${settings.seed}, ${runs}, schedule ${settings.schedule}${settings.profile === "default" ? "" : `, profile ${settings.profile}`}`.split(
      " ",
    ),
    "  ",
  ).join("\n");
}

/** The campaign's options, and the same as plain data for worker threads. */
function campaignOf(settings: RunSettings, tally: CampaignTally, progress: Progress, runs: RunEvent[]): { options: CampaignOptions; spec: CampaignSpec } {
  const { system, world, seed, maxCommands, variant, contract, schedule, profile } = settings;
  const failures = !settings.ample;
  const options: CampaignOptions = {
    ...{ system, world, runs: settings.runs, seed, maxCommands, variant, contract, failures, schedule, profile, startAt: settings.fromRun },
    onEvent: (event) => {
      tally.add(event);
      if (event.kind !== "run") return;
      if (settings.shard !== null) runs.push(event);
      if (settings.durationSeconds === null) progress.update(tally.runs);
      else progress.update(Math.floor(progress.seconds), count(tally.runs, "run"));
    },
  };
  const spec = { systemSpec: settings.reference, variant, world, runs: settings.runs, seed, maxCommands, contract: contract.name, failures, schedule, profile };
  return { options, spec };
}

/** Runs the campaign with progress and Ctrl-C handling; the tally holds what was done even if it stops. */
async function campaignWithProgress(settings: RunSettings, tally: CampaignTally, interrupt: Interrupt, runs: RunEvent[]) {
  const budget = settings.durationSeconds;
  const total = budget === null ? settings.runs - settings.fromRun : Math.ceil(budget);
  const progress = new Progress({ label: "checking", noun: budget === null ? "run" : "second", total, enabled: !settings.json, hideCursor: true });
  const { options, spec } = campaignOf(settings, tally, progress, runs);
  const lanes = Math.min(settings.jobs, Math.ceil((settings.runs - settings.fromRun) / (settings.shard?.count ?? 1)));
  const limits = { ...(budget === null ? {} : { more: () => progress.seconds < budget }), ...(settings.shard === null ? {} : { shard: settings.shard }) };
  interrupt.install();
  try {
    return await withLanes(lanes, options, spec, (carried) => runIndexedCampaign(options, carried, interrupt, limits));
  } finally {
    progress.stop();
    interrupt.uninstall();
  }
}

export async function runCommand(flags: RunFlags, session: Session): Promise<number> {
  const settings = await runSettingsFrom(flags);
  session.reports.note({ system: settings.system.name, variant: settings.variant, seed: settings.seed, caseName: settings.again });
  setAutoFreeze(false);
  const lines = settings.json || settings.shard !== null ? "json" : "text";
  if (lines === "text") process.stdout.write(`${header(settings)}\n`);
  const database: DatabaseReplay | null =
    settings.db === null || settings.shard !== null
      ? null
      : replayDatabase(settings.db, settings.system, { sameSystem: sameSystemAs(settings.reference), variant: settings.variant });
  if (database !== null && lines === "text") process.stdout.write(`${formatDatabase(database).join("\n")}\n`);
  const tally = new CampaignTally(() => performance.now());
  const interrupt = new Interrupt("the campaign");
  const runs: RunEvent[] = [];
  const result = await campaignWithProgress(settings, tally, interrupt, runs);
  const found = result.violations[0] ?? null;
  const origin = { reference: settings.reference, variant: settings.variant, contract: settings.contract.name, maxCommands: settings.maxCommands };
  const saved: Saved | null = found === null ? null : saveFinding(found, origin, settings.out);
  const page = found !== null && settings.html && saved !== null && saved.kind !== "unwritten" ? await writeFindingPage(saved.path) : null;
  const exitCode = result.interrupted
    ? interrupt.exitCode
    : found !== null || (database !== null && failingAgain(database).length > 0)
      ? exitCodes.violation
      : exitCodes.passed;
  const end: CampaignEnd = { settings, result, tally, found, saved, page, database, exitCode, seconds: session.elapsedMilliseconds() / 1000 };
  finishReports(session, runCiFields(end));
  if (settings.shard !== null) {
    const shardHeader = { kind: "shard", format: 1, shard: settings.shard, flags: campaignFlags(flags, settings.seed) } as const;
    process.stdout.write(`${shardLines(shardHeader, runs, found, saved, result.interrupted).join("\n")}\n`);
    return exitCode;
  }
  process.stdout.write(settings.json ? `${JSON.stringify(runJson(end))}\n` : `${runTextLines(end).join("\n")}\n`);
  return exitCode;
}
