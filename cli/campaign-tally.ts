//! The command line's running total of a campaign, built from its events
//! (properties/hunting/campaign-events.ts) as they arrive: runs done, commands, coverage,
//! abandoned runs, and the statistics `--statistics` prints (run lengths, the outcome and
//! errno mix, time per run). It is what `run` reports when Ctrl-C stops a campaign before
//! it returns, and what a command running campaigns on several worker threads would add
//! their events into (one tally, any number of sources).
//!
//! The tally stamps each run with the wall clock when its event arrives: time per run is the
//! gap since the previous event (or the start). Nothing here feeds back into a campaign.

import type { CampaignEvent, FailureEvent } from "../properties/hunting/campaign-events.ts";

export class CampaignTally {
  /** Runs done (passed, failed or abandoned), as the events counted them. */
  runs = 0;
  commands = 0;
  abandoned = 0;
  readonly coverage = new Map<string, number>();
  /** Commands per run, in arrival order. */
  readonly lengths: number[] = [];
  /** Outcomes over every run: `ok`, `value`, or an errno, with how often. */
  readonly outcomes = new Map<string, number>();
  /** Seconds per run, in arrival order. */
  readonly seconds: number[] = [];
  /** The first violation as it happened, before shrinking. */
  failure: FailureEvent | null = null;
  private last: number;

  constructor(private readonly now: () => number) {
    this.last = now();
  }

  /** Adds `event`. Ensures: the totals include it. */
  add(event: CampaignEvent): void {
    if (event.kind === "failure") {
      this.failure ??= event;
      return;
    }
    const now = this.now();
    this.seconds.push(Math.max(0, now - this.last) / 1000);
    this.last = now;
    this.runs++;
    this.commands += event.commands;
    if (event.failed === "capacity") this.abandoned++;
    this.lengths.push(event.commands);
    for (const [name, count] of Object.entries(event.coverage)) this.coverage.set(name, (this.coverage.get(name) ?? 0) + count);
    for (const [label, count] of Object.entries(event.outcomes)) this.outcomes.set(label, (this.outcomes.get(label) ?? 0) + count);
  }
}
