//! `uvmcheck run`: the default checking campaign.
//!
//! Exit 0 when no violation was found, 1 when one was (printed with everything needed to
//! reproduce it), 2 on bad usage. `--json` prints exactly one JSON object on stdout.

import { SingleBar } from "cli-progress";
import { setAutoFreeze } from "immer";
import { runCampaign } from "../properties/campaign.ts";
import { ampleMemory, exhaustibleMemory } from "../properties/runner.ts";
import { seedFrom, type SystemFlags, systemFrom, type WorldFlags, worldFrom } from "./campaign-options.ts";
import { formatCoverage, formatViolation } from "./report.ts";
import { parseInteger } from "./usage-error.ts";

export interface RunFlags extends WorldFlags, SystemFlags {
  readonly runs?: string;
  readonly seed?: string;
  readonly maxCommands?: string;
  readonly json?: boolean;
  readonly ample?: boolean;
}

export async function runCommand(flags: RunFlags): Promise<number> {
  const { system, variant } = systemFrom(flags);
  const world = worldFrom(flags);
  const runs = parseInteger("--runs", flags.runs ?? "300", 1, 10_000_000);
  const maxCommands = parseInteger("--max-commands", flags.maxCommands ?? "60", 1, 10_000);
  const seed = seedFrom(flags.seed);
  const json = flags.json === true;
  setAutoFreeze(false);
  if (!json) process.stdout.write(`uvmcheck run: system ${system.name}${variant === null ? "" : ` variant ${variant}`}, seed ${seed}, ${runs} runs\n`);
  const bar = !json && process.stderr.isTTY ? new SingleBar({ format: "  checking [{bar}] {value}/{total} runs", hideCursor: true }) : null;
  bar?.start(runs, 0);
  const result = runCampaign({
    system,
    world,
    runs,
    seed,
    maxCommands,
    variant,
    contract: flags.ample === true ? ampleMemory : exhaustibleMemory,
    onRun: (done) => bar?.update(Math.min(done, runs)),
  });
  bar?.stop();
  if (json) {
    const report = {
      system: result.system,
      seed: result.seed,
      runs: result.runs,
      commands: result.commands,
      violations: result.violations.map((found) => ({
        ...found.violation,
        commands: found.commands,
        seed: found.seed,
        path: found.path,
        replayPath: found.replayPath,
        hardwareSeed: found.hardwareSeed,
        swarm: found.swarm,
      })),
      coverage: Object.fromEntries(result.coverage),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    for (const found of result.violations) process.stdout.write(`${formatViolation(found)}\n`);
    process.stdout.write(`${result.runs} runs, ${result.commands} commands checked, ${result.violations.length === 0 ? "no violation" : "1 violation"}\n`);
    process.stdout.write(`coverage:\n${formatCoverage(result.coverage, system.requiredCoverage)}\n`);
  }
  return result.violations.length === 0 ? 0 : 1;
}
