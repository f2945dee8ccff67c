//! One shrinking attempt: run a candidate counterexample, command by command, resolving
//! each command's references against what the run has created so far (references.ts), and
//! say whether it still fails the same way.
//!
//! A run is the commands, then the heal phase (replay.ts), as in a campaign; the heal
//! phase's own commands are not part of a candidate, so deleting a stored heal command
//! costs nothing. The state of a shrink is a `Candidate`: the setup (world, failure rates,
//! hardware seed may all shrink too) and the annotated commands. `attempt` runs one; an accepted attempt
//! becomes the new current candidate, re-annotated from its own run, and holds exactly the
//! commands that ran (up to and including the failing one, as resolved).

import type { Command } from "../../../vocabulary/command.ts";
import { commandSpecOf } from "../../../vocabulary/command-fields.ts";
import type { Outcome } from "../../../vocabulary/outcome.ts";
import { healRun, newReplayRunner, type ReplaySetup, sameFailure } from "../replay.ts";
import { type Violation, ViolationError } from "../../checking/runner.ts";
import { type AnnotatedCommand, annotate, resolveCommand } from "./references.ts";

export interface Candidate {
  readonly setup: ReplaySetup;
  readonly commands: readonly AnnotatedCommand[];
  /** The violation this candidate's run ends with. */
  readonly violation: Violation;
}

/** Counts runs, so a shrink can report its effort and stop at a budget (or when asked). */
export interface Effort {
  attempts: number;
  budget: number;
}

/**
 * A step of a shrink: a generator that yields once before each attempt (a point where a
 * driver may pause, or lower the budget to stop) and returns what the step reached.
 */
export type Shrinking<T> = Generator<void, T, void>;

/** Runs `commands` under `setup`. Ensures: the commands as they ran, their outcomes, and the violation, if any. */
export function execute(
  setup: ReplaySetup,
  commands: readonly AnnotatedCommand[],
): { ran: Command[]; outcomes: (Outcome | null)[]; violation: Violation | null } {
  const runner = newReplayRunner(setup);
  const created = new Map<number, number>();
  const ran: Command[] = [];
  const outcomes: (Outcome | null)[] = [];
  for (const item of commands) {
    const command = resolveCommand(item, created);
    ran.push(command);
    try {
      const outcome = runner.run(command).outcome;
      outcomes.push(outcome);
      if (outcome.kind === "value" && commandSpecOf(command.kind)?.creates !== undefined) created.set(item.id, outcome.value);
    } catch (error) {
      if (!(error instanceof ViolationError)) throw error;
      outcomes.push(runner.attempt?.outcome ?? null);
      return { ran, outcomes, violation: error.violation };
    }
  }
  return { ran, outcomes, violation: healRun(runner).violation };
}

/**
 * Runs `commands` under `setup` and keeps the result if it fails with `target`'s check and
 * is no longer than `limit` commands. Ensures: null, or an annotated candidate of its own run.
 */
export function* attempt(
  setup: ReplaySetup,
  commands: readonly AnnotatedCommand[],
  target: Violation,
  limit: number,
  effort: Effort,
): Shrinking<Candidate | null> {
  yield;
  if (effort.attempts >= effort.budget) return null;
  effort.attempts++;
  const result = execute(setup, commands);
  if (result.violation === null || !sameFailure(result.violation, target) || result.ran.length > limit) return null;
  return { setup, commands: annotate(result.ran, result.outcomes), violation: result.violation };
}

/** The candidate `commands` make under `setup`, annotated from their run. Requires: they fail. */
export function initialCandidate(setup: ReplaySetup, commands: readonly Command[]): Candidate | null {
  const plain = commands.map((command, id) => ({ id, command, origins: {} }));
  const result = execute(setup, plain);
  if (result.violation === null) return null;
  return { setup, commands: annotate(result.ran, result.outcomes), violation: result.violation };
}
