//! `uvmcheck diff --a SYSTEM --b SYSTEM`: runs two systems and the model on the same command
//! sequences and reports the first command on which A and B differ, shrunk, with which side
//! the model agrees with (properties/hunting/diff.ts).
//!
//! A SYSTEM is a system spec (systems/load-system.ts): `uvm`, `uvm:VARIANT`, a module path,
//! or `PATH:VARIANT`. Exit 0 when A and B agreed on every run, 1 when they diverged, 2 on bad
//! usage. `--json` prints exactly one JSON object on stdout. Ctrl-C (SIGTERM) stops before
//! the next run: the runs compared so far are reported (and a divergence found, shrunk as
//! far as it got), the reports written, exit 130 (143).
//!
//! The comparison is per command, so diff runs no threads (no `start`/`resume`: `run`
//! checks threads against the model). A divergence is a difference between A and B, not
//! necessarily a violation; when the shrunk commands also fail a side against the model
//! (replayed through every check, heal phase included), that side's failure is written as a
//! counterexample file into `--out DIR` like `run`'s (diff-file.ts), and the report names it.

import { setAutoFreeze } from "immer";
import { type DiffResult, type FoundDivergence, runDiffInterruptibly } from "../properties/hunting/diff.ts";
import { defaultMaxCommands } from "../properties/hunting/campaign.ts";
import { ampleMemory, exhaustibleMemory } from "../properties/checking/runner.ts";
import { formatCommand } from "../vocabulary/command-format.ts";
import { seedFrom, systemSpecFrom, type WorldFlags, worldFlagWords, worldFrom } from "./campaign-options.ts";
import { checkWritableFolder } from "./destination.ts";
import { diffCiFields, fileLines, type SideFile, saveDivergence } from "./diff-file.ts";
import { finishReports } from "./error-report.ts";
import { Interrupt } from "./interrupt.ts";
import { count, clip, wrap } from "./output.ts";
import { Progress } from "./progress.ts";
import { findingsFolder } from "./run-settings.ts";
import type { Session } from "./session.ts";
import { parseInteger, UsageError } from "./usage-error.ts";

export interface DiffFlags extends WorldFlags {
  readonly out?: string;
  readonly junit?: string;
  readonly report?: string;
  readonly a?: string;
  readonly b?: string;
  readonly runs?: string;
  readonly seed?: string;
  readonly maxCommands?: string;
  readonly json?: boolean;
  readonly ample?: boolean;
  readonly strict?: boolean;
}

/** Requires: commander parsed `flags`. Ensures: returns the exit code (0 agree, 1 diverge). */
export async function diffCommand(flags: DiffFlags, session: Session): Promise<number> {
  if (flags.a === undefined || flags.b === undefined) throw new UsageError("diff needs both --a SYSTEM and --b SYSTEM");
  const a = await systemSpecFrom("--a", flags.a);
  const b = await systemSpecFrom("--b", flags.b);
  const world = worldFrom(flags);
  const runs = parseInteger("--runs", flags.runs ?? "300", 1, 10_000_000);
  const maxCommands = parseInteger("--max-commands", flags.maxCommands ?? String(defaultMaxCommands), 1, 10_000);
  const seed = seedFrom(flags.seed);
  const out = flags.out ?? findingsFolder;
  checkWritableFolder("--out", out);
  const json = flags.json === true;
  session.reports.note({ a: a.spec, b: b.spec, seed, caseName: reproduceLine(flags, seed, runs, maxCommands) });
  setAutoFreeze(false);
  if (!json) process.stdout.write(`uvmcheck diff: A ${a.spec}, B ${b.spec}, seed ${seed}, ${count(runs, "run")} of up to ${count(maxCommands, "command")}, no threads\n`);
  const progress = new Progress({ label: "comparing", noun: "run", total: runs, enabled: !json });
  const contract = flags.ample === true ? ampleMemory : exhaustibleMemory;
  const interrupt = new Interrupt("the diff").install();
  let result: DiffResult & { readonly interrupted: boolean };
  try {
    result = await runDiffInterruptibly({ a, b, world, runs, seed, maxCommands, contract, strict: flags.strict === true, onRun: (done) => progress.update(done) }, interrupt);
  } finally {
    progress.stop();
    interrupt.uninstall();
  }
  const files = result.divergence === null ? [] : saveDivergence(result.divergence, { a, b, world, contract, maxCommands }, out);
  const exitCode = result.interrupted ? interrupt.exitCode : result.divergence === null ? 0 : 1;
  finishReports(session, diffCiFields(result, files));
  if (json) process.stdout.write(`${JSON.stringify({ ...result, files, exitCode })}\n`);
  else process.stdout.write(`${formatDiffResult(result, reproduceLine(flags, seed, runs, maxCommands), files)}\n`);
  if (!json && result.interrupted) process.stdout.write(`INTERRUPTED after ${count(result.runs, "run")} of ${runs} (seed ${seed})\n`);
  return exitCode;
}

const verdictText = {
  A: "the model agrees with A",
  B: "the model agrees with B",
  both: "the model allows both (the specification is nondeterministic here)",
  neither: "the model agrees with neither",
} as const;

/** The command line that runs the same diff again (world flags included). */
function reproduceLine(flags: DiffFlags, seed: number, runs: number, maxCommands: number): string {
  const world = worldFlagWords(flags);
  const ample = flags.ample === true ? ["--ample"] : [];
  if (flags.strict === true) ample.push("--strict");
  return ["npx uvmcheck diff", `--a ${flags.a}`, `--b ${flags.b}`, `--seed ${seed}`, `--runs ${runs}`, `--max-commands ${maxCommands}`, ...world, ...ample].join(
    " ",
  );
}

/** The families left out (if any), the divergence block (legend line first), the files written, then the summary line. */
export function formatDiffResult(result: DiffResult, reproduce: string, files: readonly SideFile[] = []): string {
  const leftOut = result.familiesLeftOut.map(({ family, missingFrom }) => `${family} (${missingFrom === "both" ? "neither runs it" : `${missingFrom} does not run it`})`);
  const lines = leftOut.length === 0 ? [] : [`families left out: ${leftOut.join(", ")}`];
  if (result.divergence !== null) lines.push(...formatDivergenceBlock(result.divergence, reproduce), ...fileLines(files));
  const bothThrew = result.runsEndedByBothThrowing === 0 ? "" : `, ${count(result.runsEndedByBothThrowing, "run")} ended with both sides throwing`;
  const choice = result.firstSpecifiedChoice;
  if (choice !== null) {
    lines.push(
      `specified choices: ${count(result.runsEndedBySpecifiedChoice, "run")} ended where A and B answered differently and the model allows both (--strict reports them)`,
      clip(`  first: command ${choice.index} (${formatCommand(choice.command)}): ${choice.kind}, A ${choice.a}, B ${choice.b}`),
    );
  }
  lines.push(
    `${count(result.runs, "run")}, ${count(result.commands, "command")} run on both sides${bothThrew}, ${result.divergence === null ? "no divergence" : "1 divergence"}`,
  );
  return lines.join("\n");
}

function formatDivergenceBlock(found: FoundDivergence, reproduce: string): string[] {
  const before = found.index === 1 ? "command 0" : `commands 0..${found.index - 1}`;
  const agreed = found.index === 0 ? "they differ at the first command" : `A and B agree on ${before} and differ at ${found.index}`;
  const lostTrack = found.modelLostTrackAt === null ? "" : ` (A and B already both disagreed with the model at command ${found.modelLostTrackAt})`;
  return [
    `DIVERGENCE at command ${found.index} (${found.command.kind}): ${found.kind}`,
    `  A: ${found.a}   B: ${found.b}   model allows: ${found.modelAllows.join(" | ")}`,
    ...(found.observation === null ? [] : [`  ${found.observation}`]),
    `  ${verdictText[found.modelAgrees]}${lostTrack}`,
    `  reproduce: ${reproduce}`,
    `  path="${found.path}" hardwareSeed=${found.hardwareSeed}`.slice(0, 100),
    ...wrap(["  swarm:", ...Object.entries(found.swarm).map(([kind, weight]) => `${kind}=${weight}`)], "    "),
    `  shrunk to ${found.commands.length} commands; ${agreed}:`,
    ...found.commands.map((command, index) => clip(`  ${index === found.index ? "▶" : " "} ${String(index).padStart(3)}  ${formatCommand(command)}`)),
  ];
}
