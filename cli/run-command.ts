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
import { runCampaignInterruptibly } from "../properties/hunting/interruptible-campaign.ts";
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
  return wrap(`uvmcheck run: system ${settings.system.name}${variant}, seed ${settings.seed}, ${runs}, schedule ${settings.schedule}`.split(" "), "  ").join("\n");
}

/** Runs the campaign with progress and Ctrl-C handling; the tally holds what was done even if it stops. */
async function campaignWithProgress(settings: RunSettings, tally: CampaignTally, interrupt: Interrupt) {
  const progress = new Progress({ label: "checking", noun: "run", total: settings.runs - settings.fromRun, enabled: !settings.json, hideCursor: true });
  interrupt.install();
  try {
    return await runCampaignInterruptibly(
      {
        system: settings.system,
        world: settings.world,
        runs: settings.runs,
        startAt: settings.fromRun,
        seed: settings.seed,
        maxCommands: settings.maxCommands,
        variant: settings.variant,
        contract: settings.contract,
        failures: !settings.ample,
        schedule: settings.schedule,
        onEvent: (event) => {
          tally.add(event);
          if (event.kind === "run") progress.update(tally.runs);
        },
      },
      interrupt,
    );
  } finally {
    progress.stop();
    interrupt.uninstall();
  }
}

export async function runCommand(flags: RunFlags, session: Session): Promise<number> {
  const settings = await runSettingsFrom(flags);
  session.reports.note({ system: settings.system.name, variant: settings.variant, seed: settings.seed, caseName: settings.again });
  setAutoFreeze(false);
  if (!settings.json) process.stdout.write(`${header(settings)}\n`);
  const database: DatabaseReplay | null =
    settings.db === null ? null : replayDatabase(settings.db, settings.system, { sameSystem: sameSystemAs(settings.reference), variant: settings.variant });
  if (database !== null && !settings.json) process.stdout.write(`${formatDatabase(database).join("\n")}\n`);
  const tally = new CampaignTally(() => performance.now());
  const interrupt = new Interrupt("the campaign");
  const result = await campaignWithProgress(settings, tally, interrupt);
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
  process.stdout.write(settings.json ? `${JSON.stringify(runJson(end))}\n` : `${runTextLines(end).join("\n")}\n`);
  return exitCode;
}
