//! What a campaign tells its caller while it runs, one event at a time, so that a caller can
//! show progress, keep statistics and, when interrupted, report what was done so far. The
//! events are plain, structured-clonable data: a campaign on a worker thread can post them
//! to the thread that aggregates them (cli/campaign-tally.ts), in any number.
//!
//!   run       a generated run ended (passed, failed or abandoned): its length, the mix of
//!             outcomes the system returned, the coverage counters it reached
//!   failure   the first violation, before shrinking: the concrete commands that ran, so a
//!             caller can still save them if shrinking is interrupted or cannot reproduce it
//!
//! Events carry no time: a campaign has no clock. A caller that wants time per run stamps
//! the events as they arrive.

import type { Command } from "../../vocabulary/command.ts";
import type { Outcome } from "../../vocabulary/outcome.ts";
import type { StepRecord, Violation } from "../checking/runner.ts";

export interface RunEvent {
  readonly kind: "run";
  /** The run's index in the campaign (0-based), where the campaign runs by index (interruptible-campaign.ts). */
  readonly index?: number;
  /** Runs the campaign has completed, this one included (1-based). */
  readonly completedRuns: number;
  /** Commands this run executed (the heal phase included). */
  readonly commands: number;
  /** How often each outcome came back: `ok`, `value`, or the errno (`ENOMEM`). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** The run's coverage counters. */
  readonly coverage: Readonly<Record<string, number>>;
  /** The check that failed, `capacity` for an abandoned run, or null when the run passed. */
  readonly failed: string | null;
}

export interface FailureEvent {
  readonly kind: "failure";
  readonly violation: Violation;
  /** The commands that ran, ending with the failing one (unshrunk). */
  readonly commands: readonly Command[];
}

export type CampaignEvent = RunEvent | FailureEvent;

/**
 * The label an outcome is counted under in `RunEvent.outcomes`.
 * Ensures: `ok`, `value`, or an errno.
 */
export function outcomeLabel(outcome: Outcome): string {
  if (outcome.kind === "error") return outcome.errno;
  return outcome.kind;
}

/** Ensures: counts of `outcomeLabel` over the steps, keys in first-seen order. */
export function outcomeMix(steps: readonly StepRecord[]): Record<string, number> {
  const mix: Record<string, number> = {};
  for (const step of steps) {
    const label = outcomeLabel(step.outcome);
    mix[label] = (mix[label] ?? 0) + 1;
  }
  return mix;
}

/**
 * The commands a failing run executed, ending with the failing one (none twice).
 * Ensures: ends with `violation.command` (or the run's last command, for a heal-phase leak).
 */
export function failingCommands(steps: readonly StepRecord[], violation: Violation): Command[] {
  const executed = steps.map((record) => record.command);
  return violation.step >= executed.length ? [...executed, violation.command] : executed.slice(0, violation.step + 1);
}
