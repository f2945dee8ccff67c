//! `uvmcheck replay FILE [--trace] [--json]`: runs a counterexample file's stored commands
//! through every check.
//!
//! Exit 1 if it still fails (the failure is printed, and whether it is the stored one),
//! 0 if it now passes, 2 if the file is bad (one line on stderr; the file is not touched).
//! `--trace` prints the step-by-step trace (properties/counterexample-files/trace.ts); `--json` prints one JSON
//! object instead of text, with the trace in it when both are given.

import { formatCommand } from "../vocabulary/command-format.ts";
import { replayCommands, sameFailure } from "../properties/counterexample-files/replay.ts";
import type { Violation } from "../properties/checking/runner.ts";
import { type Trace, traceCommands } from "../properties/counterexample-files/trace.ts";
import { formatTrace } from "../properties/counterexample-files/trace-format.ts";
import { asUsageError, type LoadedCounterexample, loadCounterexample } from "./counterexample-input.ts";

export interface ReplayFlags {
  readonly trace?: boolean;
  readonly json?: boolean;
}

function verdictLines(loaded: LoadedCounterexample, violation: Violation | null, commandCount: number): string[] {
  const stored = loaded.file.failure;
  const storedText = `stored failure: ${stored.check} at step ${stored.step}: ${stored.message}`;
  if (violation === null) return [`PASSES ${loaded.path}: all ${commandCount} commands pass every check`, storedText];
  const same = sameFailure(violation, stored) ? "the same failure as stored" : "a DIFFERENT failure from the stored one";
  return [
    `FAILS ${loaded.path}: ${violation.check} at step ${violation.step} (${formatCommand(violation.command)})`,
    `  ${violation.message}`,
    `  ${same}; ${storedText}`,
  ];
}

function jsonReport(loaded: LoadedCounterexample, violation: Violation | null, trace: Trace | null): string {
  const failure = violation === null ? null : { check: violation.check, step: violation.step, message: violation.message };
  const report = {
    file: loaded.path,
    system: loaded.file.system,
    variant: loaded.setup.variant,
    status: violation === null ? "passes" : "fails",
    failure,
    stored: loaded.file.failure,
    sameFailure: violation !== null && sameFailure(violation, loaded.file.failure),
    commands: loaded.file.commands.length,
    ...(trace === null ? {} : { trace }),
  };
  return `${JSON.stringify(report)}\n`;
}

export async function replayCommand(path: string, flags: ReplayFlags): Promise<number> {
  const loaded = await loadCounterexample(path);
  const { file, setup } = loaded;
  const trace = flags.trace === true ? asUsageError(() => traceCommands(setup, file.commands)) : null;
  const violation = trace === null ? asUsageError(() => replayCommands(setup, file.commands)).violation : trace.failure;
  if (flags.json === true) process.stdout.write(jsonReport(loaded, violation, trace));
  else {
    if (trace !== null) {
      const heading = {
        system: file.system,
        variant: setup.variant,
        contract: setup.contract.name,
        hardwareSeed: setup.hardwareSeed,
        failures: setup.failures,
        world: setup.world,
      };
      process.stdout.write(`${formatTrace(trace, heading)}\n`);
    }
    process.stdout.write(`${verdictLines(loaded, violation, file.commands.length).join("\n")}\n`);
  }
  return violation === null ? 0 : 1;
}
