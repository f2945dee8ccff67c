//! `uvmcheck run`: the default checking campaign.
//!
//! Exit 0 when no violation was found, 1 when one was (printed with everything needed to
//! reproduce it), 2 on bad usage. `--json` prints exactly one JSON object on stdout.
//!
//! A violation is also written as a counterexample file (properties/counterexample-files/counterexample-file.ts)
//! into `--out DIR` (default `counterexamples/found/`, beside the stored regressions and
//! never among them: the suite replays only `counterexamples/*.json`), atomically and never
//! over an existing file; its path is the first line of the violation report (`file` in the JSON).

import { SingleBar } from "cli-progress";
import { setAutoFreeze } from "immer";
import { type ScheduleChoice, scheduleChoices } from "../properties/generation/thread-arbitraries.ts";
import { defaultMaxCommands, type FoundViolation, runCampaign } from "../properties/hunting/campaign.ts";
import { counterexampleFromFinding, type FindingContext } from "../properties/counterexample-files/counterexample-file.ts";
import { CONFIGURATION_LIMIT } from "../properties/checking/linearizer.ts";
import { counterexampleStem, writeCounterexample } from "../properties/counterexample-files/counterexample-store.ts";
import { splitSystemSpec } from "../systems/load-system.ts";
import { ampleMemory, exhaustibleMemory } from "../properties/checking/runner.ts";
import { seedFrom, type SystemFlags, systemFrom, type WorldFlags, worldFrom } from "./campaign-options.ts";
import { formatCoverage, formatViolation } from "./report.ts";
import { parseInteger, UsageError } from "./usage-error.ts";

/** Where `run` writes the counterexamples it finds: beside the stored regressions, never among them. */
export const findingsFolder = "counterexamples/found";

export interface RunFlags extends WorldFlags, SystemFlags {
  readonly runs?: string;
  readonly seed?: string;
  readonly maxCommands?: string;
  readonly json?: boolean;
  readonly ample?: boolean;
  readonly out?: string;
  readonly schedule?: string;
}

/** Writes `found` into `directory`; returns the path, or null (and says why on stderr) if it could not. */
function saveCounterexample(found: FoundViolation, context: FindingContext, directory: string): string | null {
  const file = counterexampleFromFinding(found, context);
  try {
    return writeCounterexample(directory, counterexampleStem(file), file);
  } catch (error) {
    process.stderr.write(`uvmcheck: could not write the counterexample into ${directory}: ${error instanceof Error ? error.message : String(error)}\n`);
    return null;
  }
}

/** The world flags actually given (so `--ample`'s defaults give way to them). */
function definedOnly(flags: WorldFlags): WorldFlags {
  return Object.fromEntries(
    Object.entries({
      frames: flags.frames,
      swapSlots: flags.swapSlots,
      pageWords: flags.pageWords,
      processes: flags.processes,
      livenessBound: flags.livenessBound,
    }).filter(([, value]) => value !== undefined),
  );
}

function scheduleFrom(text: string | undefined): ScheduleChoice {
  if (text === undefined) return "mixed";
  const choice = scheduleChoices.find((known) => known === text);
  if (choice === undefined) throw new UsageError(`--schedule must be one of ${scheduleChoices.join(", ")} (got "${text}")`);
  return choice;
}

export async function runCommand(flags: RunFlags): Promise<number> {
  const { system, variant, spec } = await systemFrom(flags);
  const ample = flags.ample === true;
  const world = worldFrom(ample ? { frames: "4096", swapSlots: "4096", ...definedOnly(flags) } : flags);
  const runs = parseInteger("--runs", flags.runs ?? "300", 1, 10_000_000);
  const maxCommands = parseInteger("--max-commands", flags.maxCommands ?? String(defaultMaxCommands), 1, 10_000);
  const seed = seedFrom(flags.seed);
  const schedule = scheduleFrom(flags.schedule);
  const json = flags.json === true;
  setAutoFreeze(false);
  if (!json) process.stdout.write(`uvmcheck run: system ${system.name}${variant === null ? "" : ` variant ${variant}`}, seed ${seed}, ${runs} runs\n`);
  const bar = !json && process.stderr.isTTY ? new SingleBar({ format: "  checking [{bar}] {value}/{total} runs", hideCursor: true }) : null;
  bar?.start(runs, 0);
  const contract = ample ? ampleMemory : exhaustibleMemory;
  const result = runCampaign({
    system,
    world,
    runs,
    seed,
    maxCommands,
    variant,
    contract,
    failures: !ample,
    schedule,
    onRun: (done) => bar?.update(Math.min(done, runs)),
  });
  bar?.stop();
  const context: FindingContext = { system: splitSystemSpec(spec).reference, variant, contract: contract.name, maxCommands };
  const files = result.violations.map((found) => saveCounterexample(found, context, flags.out ?? findingsFolder));
  if (json) {
    const report = {
      system: result.system,
      seed: result.seed,
      runs: result.runs,
      commands: result.commands,
      abandoned: result.abandoned,
      violations: result.violations.map((found, index) => ({
        file: files[index],
        ...found.violation,
        commands: found.commands,
        seed: found.seed,
        path: found.path,
        replayPath: found.replayPath,
        hardwareSeed: found.hardwareSeed,
        world: found.world,
        swarm: found.swarm,
      })),
      coverage: Object.fromEntries(result.coverage),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    result.violations.forEach((found, index) => {
      process.stdout.write(`counterexample written to ${files[index] ?? "(not written)"}\n${formatViolation(found)}\n`);
    });
    process.stdout.write(`${result.runs} runs, ${result.commands} commands checked, ${result.violations.length === 0 ? "no violation" : "1 violation"}\n`);
    if (result.abandoned > 0) {
      process.stdout.write(
        `${result.abandoned} run(s) abandoned: a thread history too ambiguous to check (more than ${CONFIGURATION_LIMIT} linearizer configurations), neither passed nor failed\n`,
      );
    }
    process.stdout.write(`coverage:\n${formatCoverage(result.coverage, system.requiredCoverage)}\n`);
  }
  return result.violations.length === 0 ? 0 : 1;
}
