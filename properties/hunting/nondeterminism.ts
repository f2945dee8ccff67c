//! A system that answers differently to the same commands breaks the contract every check
//! relies on (vocabulary/system-under-test.ts, "Determinism"): shrinking replays a failing
//! run many times, and the campaign replays the shrunk run once more to record it. When that
//! last replay passes, the campaign does not give up: it replays the first failing run's
//! own commands, unshrunk, on a fresh system, compares each outcome with the one the run
//! got, and names the first step where they differ:
//!
//!   the system answered differently on replay at step 7 (write pid=1 va=0 word=0 value=3):
//!   EFAULT in the run, ok on replay
//!
//! If every outcome is the same, the difference hides in what the system shows or checks
//! (its observation, its invariants) and the message names the failing step instead. The
//! unshrunk commands are what the counterexample file then keeps.

import type { Command } from "../../vocabulary/command.ts";
import { formatCommand } from "../../vocabulary/command-format.ts";
import { formatOutcome, type Outcome, outcomeEquals } from "../../vocabulary/outcome.ts";
import { type Violation, ViolationError } from "../checking/runner.ts";
import { newReplayRunner, type ReplaySetup } from "../counterexample-files/replay.ts";

/** The first failing run of a campaign, as it ran (before shrinking). */
export interface FirstFailure {
  readonly violation: Violation;
  /** The commands that ran, ending with the failing one. */
  readonly commands: readonly Command[];
  /** The outcome of each command that completed (the failing one's too when it returned). */
  readonly outcomes: readonly Outcome[];
}

export interface Nondeterminism {
  /** The first step whose outcome differed on replay, or the failing step if none did. */
  readonly step: number;
  /** One line: `the system answered differently on replay at step N (...)`. */
  readonly message: string;
}

/**
 * Replays `first.commands` under `setup` (the failing run's own), comparing outcomes.
 * Requires: `setup` is the failing run's. Ensures: the first step that answered differently,
 * or null when the replay fails with the run's check at the run's failing step.
 */
export function findNondeterminism(setup: ReplaySetup, first: FirstFailure): Nondeterminism | null {
  const runner = newReplayRunner(setup);
  for (let step = 0; step < first.commands.length; step++) {
    const command = first.commands[step]!;
    let outcome: Outcome | null;
    let problem = "";
    try {
      outcome = runner.run(command).outcome;
    } catch (error) {
      if (!(error instanceof ViolationError)) throw error;
      outcome = runner.attempt?.outcome ?? null;
      problem = `${error.violation.check}: ${error.violation.message}`;
      if (step === first.violation.step && error.violation.check === first.violation.check) return null;
    }
    const expected = first.outcomes[step];
    if (expected !== undefined && (outcome === null || !outcomeEquals(expected, outcome))) {
      const replayed = outcome === null ? "an exception" : formatOutcome(outcome);
      return { step, message: `${lead(step, command)}: ${formatOutcome(expected)} in the run, ${replayed} on replay` };
    }
    if (problem !== "" && step < first.violation.step) {
      return { step, message: `${lead(step, command)}: the run passed it, the replay failed ${problem}` };
    }
    if (problem !== "") break;
  }
  if (first.violation.check === "healed" && healedFails(runner)) return null;
  const step = first.violation.step;
  const command = first.commands[Math.min(step, first.commands.length - 1)]!;
  return {
    step,
    message: `${lead(step, command)}: the same outcomes at every step, but the run's ${first.violation.check} failure did not recur (the system's observation or invariants differ)`,
  };
}

/** Whether the leak check after the stored commands (a heal phase among them) fails. */
function healedFails(runner: ReturnType<typeof newReplayRunner>): boolean {
  try {
    runner.checkHealed();
    return false;
  } catch (error) {
    if (!(error instanceof ViolationError)) throw error;
    return error.violation.check === "healed";
  }
}

function lead(step: number, command: Command): string {
  return `the system answered differently on replay at step ${step} (${formatCommand(command)})`;
}
