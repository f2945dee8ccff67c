//! A campaign that can be stopped: the same runs as runCampaign (campaign.ts's
//! campaignCheck, run by fast-check with the same seed and parameters), with a pause between
//! one run and the next in which the event loop runs, so that a signal handler (Ctrl-C) or
//! a timer can ask it to stop. Asked, it stops before the next run (or the next shrinking
//! attempt) through a fast-check plugin that interrupts execution, and returns what it did:
//!
//!   stopped before a violation   the runs so far, their coverage; no violation
//!   stopped while shrinking      the violation, shrunk as far as it got
//!
//! A pause costs one turn of the event loop per run; it changes nothing fast-check draws,
//! so the same options give the same runs, counterexample and coverage as runCampaign.

import fc from "fast-check";
import { type CampaignOptions, type CampaignResult, campaignCheck, type RunInput } from "./campaign.ts";

export interface StopSignal {
  /** Whether the campaign should stop before its next run. */
  readonly requested: () => boolean;
}

export interface InterruptibleResult extends CampaignResult {
  /** True when the campaign stopped because `stop` asked it to, before it was done. */
  readonly interrupted: boolean;
}

/** One turn of the event loop. */
export function pause(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A fast-check plugin that interrupts the check once `stop` asks for it (fast-check ≥ 4.10). */
export function stopWhenAsked<Input>(stop: StopSignal): fc.Plugin<[Input]> {
  return () => ({
    decorateRun: (nested) => (value) => (stop.requested() ? new fc.PreconditionFailure(true) : nested(value)),
  });
}

/**
 * Requires: `options.replay` unset (replays are not interrupted). Ensures: the result
 * runCampaign gives for `options` when never asked to stop; otherwise the runs done so far,
 * `interrupted` true.
 */
export async function runCampaignInterruptibly(options: CampaignOptions, stop: StopSignal): Promise<InterruptibleResult> {
  if (options.replay !== undefined) throw new RangeError("runCampaignInterruptibly: replays are not interruptible");
  const check = campaignCheck(options);
  const property = fc.asyncProperty(check.arbitrary, async (input) => {
    await pause();
    if (!stop.requested()) check.predicate(input);
  });
  const details = await fc.check(property, { ...check.parameters, plugins: [stopWhenAsked<RunInput>(stop)] });
  return { ...check.finish(details as fc.RunDetails<[RunInput]>), interrupted: details.interrupted };
}
