//! `uvmcheck shrink FILE [--out FILE] [--json]`: shrinks a counterexample file further
//! (properties/counterexample-files/shrink/shrink.ts) and writes the result as a new file, next to FILE as
//! `<name>.shrunk.json` unless `--out` says where; an existing file is never replaced.
//! Prints the path written, then the sizes before and after.
//!
//! Exit 0 when the new file is written; 2 when FILE is bad, or no longer fails with its
//! stored check (nothing to shrink): one line on stderr and nothing on disk changed.

import { basename, dirname, join } from "node:path";
import { setAutoFreeze } from "immer";
import type { WorldConfig } from "../vocabulary/world.ts";
import type { CounterexampleFile } from "../properties/counterexample-files/counterexample-file.ts";
import { writeCounterexample } from "../properties/counterexample-files/counterexample-store.ts";
import { replayCommands, sameFailure } from "../properties/counterexample-files/replay.ts";
import { type ShrinkResult, shrinkCounterexample } from "../properties/counterexample-files/shrink/shrink.ts";
import { asUsageError, loadCounterexample } from "./counterexample-input.ts";
import { UsageError } from "./usage-error.ts";

export interface ShrinkFlags {
  readonly out?: string;
  readonly json?: boolean;
}

function shrunkFile(file: CounterexampleFile, result: ShrinkResult): CounterexampleFile {
  const { setup, violation } = result;
  return {
    ...file,
    configuration: { ...file.configuration, world: setup.world, failures: setup.failures, hardwareSeed: setup.hardwareSeed },
    commands: result.commands,
    failure: { check: violation.check, step: violation.step, message: violation.message },
    shrunkFrom: file.shrunkFrom ?? { commands: file.commands.length, world: file.configuration.world },
  };
}

/** Where the new file goes: `--out`, or next to the input as `<name>.shrunk.json`. */
function destination(input: string, out: string | undefined): { directory: string; stem: string } {
  const target =
    out ??
    join(
      dirname(input),
      `${basename(input)
        .replace(/\.json$/, "")
        .replace(/\.shrunk$/, "")}.shrunk.json`,
    );
  return { directory: dirname(target), stem: basename(target).replace(/\.json$/, "") };
}

function worldChanges(before: WorldConfig, after: WorldConfig): string {
  const names: [keyof WorldConfig, string][] = [
    ["frames", "frames"],
    ["swapSlots", "swap slots"],
    ["maxProcesses", "processes"],
    ["files", "files"],
    ["filePages", "file pages"],
    ["vaPages", "address-space pages"],
    ["pageWords", "page words"],
  ];
  const changed = names.filter(([key]) => before[key] !== after[key]).map(([key, name]) => `${name} ${before[key]} → ${after[key]}`);
  return changed.length === 0 ? "world unchanged" : changed.join(", ");
}

export async function shrinkCommand(path: string, flags: ShrinkFlags): Promise<number> {
  const { file, setup } = await loadCounterexample(path);
  setAutoFreeze(false);
  const replayed = asUsageError(() => replayCommands(setup, file.commands)).violation;
  if (replayed === null) throw new UsageError(`${path}: no longer fails, nothing to shrink (\`uvmcheck replay\` shows it passing)`);
  if (!sameFailure(replayed, file.failure)) {
    throw new UsageError(`${path}: now fails with ${replayed.check}, not the stored ${file.failure.check}; replay it before shrinking`);
  }
  const result = shrinkCounterexample(setup, file.commands);
  if (result === null) throw new Error("shrink: a failing counterexample stopped failing (nondeterminism in the system or the checker)");
  const { directory, stem } = destination(path, flags.out);
  const written = writeCounterexample(directory, stem, shrunkFile(file, result));
  if (flags.json === true) {
    const report = {
      file: written,
      before: result.before,
      after: result.after,
      failure: result.violation.check,
      attempts: result.attempts,
      complete: result.complete,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  process.stdout.write(`wrote ${written}\n`);
  process.stdout.write(`  commands: ${result.before.commands} → ${result.after.commands}; ${worldChanges(result.before.world, result.after.world)}\n`);
  process.stdout.write(`  same failure: ${result.violation.check} at step ${result.violation.step}: ${result.violation.message}\n`);
  process.stdout.write(`  ${result.attempts} attempts${result.complete ? ", 1-minimal" : ", attempt budget exhausted before a fixpoint"}\n`);
  return 0;
}
