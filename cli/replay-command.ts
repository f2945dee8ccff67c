//! `uvmcheck replay FILE [--trace] [--json] [--system SPEC]`: runs a counterexample file's
//! stored commands through every check, and prints the file's one-line root cause when it
//! has one.
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
import { failureOf } from "../properties/counterexample-files/counterexample-file.ts";
import { asUsageError, type LoadedCounterexample, loadCounterexample } from "./counterexample-input.ts";
import { count } from "./output.ts";
import type { Session } from "./session.ts";

export interface ReplayFlags {
  readonly trace?: boolean;
  readonly json?: boolean;
  readonly system?: string;
}

function verdictLines(loaded: LoadedCounterexample, violation: Violation | null, commandCount: number): string[] {
  const stored = loaded.file.failure;
  const storedText = `stored failure: ${stored.check} at step ${stored.step}: ${stored.message}`;
  const rootCause = loaded.file.rootCause === undefined ? [] : [`  root cause: ${loaded.file.rootCause}`];
  const expected = loaded.file.status === "fixed" ? "status fixed: expected to pass" : "status open: expected to fail";
  if (violation === null) return [`PASSES ${loaded.path}: ${count(commandCount, "command")} pass every check (${expected})`, `  ${storedText}`, ...rootCause];
  const same = sameFailure(violation, stored) ? "the same failure as stored" : "a DIFFERENT failure from the stored one";
  const stack = violation.stack === undefined ? [] : ["  stack trace of the crash:", ...violation.stack.split("\n").map((line) => `    ${line.trim()}`)];
  return [
    `FAILS ${loaded.path}: ${violation.check} at step ${violation.step} (${formatCommand(violation.command)}) (${expected})`,
    `  ${violation.message}`,
    ...stack,
    `  ${same}; ${storedText}`,
    ...rootCause,
  ];
}

function jsonReport(loaded: LoadedCounterexample, violation: Violation | null, trace: Trace | null): string {
  const failure = violation === null ? null : failureOf(violation);
  const report = {
    file: loaded.path,
    system: loaded.file.system,
    variant: loaded.setup.variant,
    status: violation === null ? "passes" : "fails",
    failure,
    stored: loaded.file.failure,
    expected: loaded.file.status === "fixed" ? "passes" : "fails",
    rootCause: loaded.file.rootCause ?? null,
    sameFailure: violation !== null && sameFailure(violation, loaded.file.failure),
    commands: loaded.file.commands.length,
    ...(trace === null ? {} : { trace }),
  };
  return `${JSON.stringify(report)}\n`;
}

/** Ensures: exit 1 if the file still fails, 0 if it passes; a bad file is a UsageError. */
export async function replayCommand(path: string, flags: ReplayFlags, _session: Session): Promise<number> {
  const loaded = await loadCounterexample(path, flags.system);
  const { file, setup } = loaded;
  const trace = flags.trace === true ? asUsageError(() => traceCommands(setup, file.commands)) : null;
  const violation = trace === null ? asUsageError(() => replayCommands(setup, file.commands)).violation : trace.failure;
  if (flags.json === true) process.stdout.write(jsonReport(loaded, violation, trace));
  else {
    if (trace !== null) {
      const heading = {
        system: loaded.systemReference,
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
