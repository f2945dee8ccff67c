//! `uvmcheck diff --a SYSTEM --b SYSTEM`: runs two systems and the model on the same command
//! sequences and reports the first command on which A and B differ, shrunk, with which side
//! the model agrees with (properties/hunting/diff.ts).
//!
//! A SYSTEM is a system spec (systems/load-system.ts): `uvm`, `uvm:VARIANT`, a module path,
//! or `PATH:VARIANT`. Exit 0 when A and B agreed on every run, 1 when they diverged, 2 on bad
//! usage. `--json` prints exactly one JSON object on stdout.

import { SingleBar } from "cli-progress";
import { setAutoFreeze } from "immer";
import { type DiffResult, type FoundDivergence, runDiff } from "../properties/hunting/diff.ts";
import { ampleMemory, exhaustibleMemory } from "../properties/checking/runner.ts";
import { seedFrom, systemSpecFrom, type WorldFlags, worldFrom } from "./campaign-options.ts";
import { parseInteger, UsageError } from "./usage-error.ts";

export interface DiffFlags extends WorldFlags {
  readonly a?: string;
  readonly b?: string;
  readonly runs?: string;
  readonly seed?: string;
  readonly maxCommands?: string;
  readonly json?: boolean;
  readonly ample?: boolean;
}

/** Requires: commander parsed `flags`. Ensures: returns the exit code (0 agree, 1 diverge). */
export async function diffCommand(flags: DiffFlags): Promise<number> {
  if (flags.a === undefined || flags.b === undefined) throw new UsageError("diff needs both --a SYSTEM and --b SYSTEM");
  const a = await systemSpecFrom("--a", flags.a);
  const b = await systemSpecFrom("--b", flags.b);
  const world = worldFrom(flags);
  const runs = parseInteger("--runs", flags.runs ?? "300", 1, 10_000_000);
  const maxCommands = parseInteger("--max-commands", flags.maxCommands ?? "60", 1, 10_000);
  const seed = seedFrom(flags.seed);
  const json = flags.json === true;
  setAutoFreeze(false);
  if (!json) process.stdout.write(`uvmcheck diff: A ${a.spec}, B ${b.spec}, seed ${seed}, ${runs} runs\n`);
  const bar = !json && process.stderr.isTTY ? new SingleBar({ format: "  comparing [{bar}] {value}/{total} runs", hideCursor: true }) : null;
  bar?.start(runs, 0);
  const contract = flags.ample === true ? ampleMemory : exhaustibleMemory;
  const result = runDiff({ a, b, world, runs, seed, maxCommands, contract, onRun: (done) => bar?.update(Math.min(done, runs)) });
  bar?.stop();
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${formatDiffResult(result, reproduceLine(flags, seed, runs, maxCommands))}\n`);
  return result.divergence === null ? 0 : 1;
}

const verdictText = {
  A: "the model agrees with A",
  B: "the model agrees with B",
  both: "the model allows both (the specification is nondeterministic here)",
  neither: "the model agrees with neither",
} as const;

/** The command line that runs the same diff again (world flags included). */
function reproduceLine(flags: DiffFlags, seed: number, runs: number, maxCommands: number): string {
  const world = [
    ["--frames", flags.frames],
    ["--swap-slots", flags.swapSlots],
    ["--page-words", flags.pageWords],
    ["--processes", flags.processes],
    ["--liveness-bound", flags.livenessBound],
  ].flatMap(([flag, value]) => (value === undefined ? [] : [`${flag} ${value}`]));
  const ample = flags.ample === true ? ["--ample"] : [];
  return ["uvmcheck diff", `--a ${flags.a}`, `--b ${flags.b}`, `--seed ${seed}`, `--runs ${runs}`, `--max-commands ${maxCommands}`, ...world, ...ample].join(
    " ",
  );
}

/** The families left out (if any), the divergence block (legend line first), then the summary line. */
export function formatDiffResult(result: DiffResult, reproduce: string): string {
  const leftOut = result.familiesLeftOut.map(({ family, missingFrom }) => `${family} (${missingFrom === "both" ? "neither runs it" : `${missingFrom} does not run it`})`);
  const lines = leftOut.length === 0 ? [] : [`families left out: ${leftOut.join(", ")}`];
  if (result.divergence !== null) lines.push(...formatDivergenceBlock(result.divergence, reproduce));
  const bothThrew = result.runsEndedByBothThrowing === 0 ? "" : `, ${result.runsEndedByBothThrowing} runs ended with both sides throwing`;
  lines.push(
    `${result.runs} runs, ${result.commands} commands run on both sides${bothThrew}, ${result.divergence === null ? "no divergence" : "1 divergence"}`,
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
    `  reproduce: ${reproduce}  (path="${found.path}" hardwareSeed=${found.hardwareSeed})`,
    `  swarm: ${Object.entries(found.swarm)
      .map(([kind, weight]) => `${kind}=${weight}`)
      .join(" ")}`,
    `  shrunk to ${found.commands.length} commands; ${agreed}:`,
    ...found.commands.map((command, index) => `  ${index === found.index ? "▶" : " "} ${String(index).padStart(3)}  ${JSON.stringify(command)}`),
  ];
}
