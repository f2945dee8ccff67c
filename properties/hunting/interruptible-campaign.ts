//! A campaign run by run index, on any number of lanes (the main thread, or worker threads),
//! that can be stopped. Run `index` is reproducible alone (run-address.ts: a seed and path
//! derived from the campaign seed and the index), so the lanes only decide *when* each run
//! happens, never *what* it is:
//!
//!   lanes take indices in increasing order          0 1 2 3 4 5 6 ...
//!   reports are released in index order             (a report waits for every lower index)
//!   the first failing index f stops new indices      runs after f are dropped, unreported
//!   the result is the runs 0..f (or all), in order  coverage summed in index order
//!
//! hence the verdict, the coverage, the run count and the counterexample (the one of the
//! lowest failing index, shrunk by its own lane) are the same for one lane or many. Events
//! (campaign-events.ts) go to the caller in index order too.
//!
//! A stop (Ctrl-C, a time budget) is asked through a StopSignal: no new index starts, a run
//! under way finishes, a shrink under way stops at its next attempt (fast-check interrupts
//! it) and keeps what it shrank. The result is then the runs done, in an unbroken prefix of
//! indices, so `--from-run` can go on from there.

import fc from "fast-check";
import { type CampaignOptions, type CampaignResult, CampaignError, campaignCheck, type FoundViolation, type RunInput } from "./campaign.ts";
import type { CampaignEvent, FailureEvent, RunEvent } from "./campaign-events.ts";

export interface StopSignal {
  /** Whether the campaign should stop before its next run. */
  readonly requested: () => boolean;
  /** Resolves when a stop is asked for (so that lanes busy on other threads hear of it). */
  readonly asked?: Promise<void>;
}

/**
 * What every lane reads, shared between threads: [0] is 1 once a stop is asked for, [1] the
 * lowest failing index so far (runs above it are cut short: their results are not wanted).
 */
export type LaneSignals = Int32Array;

export function newLaneSignals(): LaneSignals {
  const signals = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  signals[1] = 0x7fffffff;
  return signals;
}

/** The stop signal of run `index` under `signals`. */
export function laneStop(signals: LaneSignals, index: number): StopSignal {
  return { requested: () => Atomics.load(signals, 0) !== 0 || index > Atomics.load(signals, 1) };
}

export interface InterruptibleResult extends CampaignResult {
  /** True when the campaign stopped because `stop` asked it to, before it was done. */
  readonly interrupted: boolean;
}

/** What one run left: structured-clonable, so a worker thread can send it. */
export interface RunReport {
  readonly index: number;
  /** The run's event, or null when a stop came before it started. */
  readonly run: RunEvent | null;
  /** Its first violation, before shrinking. */
  readonly failure: FailureEvent | null;
  /** Its violation, shrunk (as far as a stop let it). */
  readonly found: FoundViolation | null;
  /** Whether a stop cut the run or its shrinking short. */
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
 * Run `index` of the campaign `options` describes, shrunk if it fails. `pauses`: one turn
 * of the event loop before the run and before each shrinking attempt (a main thread that
 * must hear Ctrl-C). Requires: `options.replay` unset. Ensures: the same report for the
 * same options and index, wherever it runs, unless a stop cuts it short.
 */
export async function checkRunAt(options: CampaignOptions, index: number, stop: StopSignal, pauses: boolean): Promise<RunReport> {
  if (options.replay !== undefined) throw new RangeError("checkRunAt: replays are not campaign runs");
  let run: RunEvent | null = null;
  let failure: FailureEvent | null = null;
  const onEvent = (event: CampaignEvent) => {
    if (event.kind === "run") run ??= event;
    else failure ??= event;
  };
  const check = campaignCheck({ ...options, runIndex: index, onEvent, onRun: undefined });
  const property = fc.asyncProperty(check.arbitrary, async (input) => {
    if (pauses) await pause();
    if (!stop.requested()) check.predicate(input);
  });
  const details = await fc.check(property, { ...check.parameters, plugins: [stopWhenAsked<RunInput>(stop)] });
  // stopped before the run began: fast-check says failed, with no counterexample
  if (details.interrupted && details.counterexample === null) return { index, run: null, failure: null, found: null, interrupted: true };
  const found = check.finish(details as fc.RunDetails<[RunInput]>).violations[0] ?? null;
  return { index, run, failure, found, interrupted: details.interrupted };
}

/** How runs are carried out: `lanes` at a time, each by `execute` (in this thread or another). */
export interface RunLanes {
  readonly lanes: number;
  execute(index: number, signals: LaneSignals): Promise<RunReport>;
}

/** Runs this thread carries out itself, one at a time, pausing so that Ctrl-C is heard. */
export function inThisThread(options: CampaignOptions): RunLanes {
  return { lanes: 1, execute: (index, signals) => checkRunAt(options, index, laneStop(signals, index), true) };
}

/** The reports released so far, in index order, and what they add up to. */
class ReleasedRuns {
  next: number;
  runs = 0;
  commands = 0;
  abandoned = 0;
  readonly abandonedRuns: number[] = [];
  readonly coverage = new Map<string, number>();
  found: FoundViolation | null = null;
  /** Whether a stop cut the found violation's shrinking short. */
  foundInterrupted = false;
  private readonly waiting = new Map<number, RunReport>();

  constructor(
    start: number,
    private readonly step: number,
    private readonly onEvent: ((event: CampaignEvent) => void) | undefined,
  ) {
    this.next = start;
  }

  /** Adds `report`, then releases every report that no lower index waits for. */
  add(report: RunReport): void {
    this.waiting.set(report.index, report);
    for (let ready = this.waiting.get(this.next); ready !== undefined && this.found === null; ready = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      if (ready.run === null) return; // never ran: the unbroken prefix ends here
      this.release(ready, ready.run);
      this.next += this.step;
    }
  }

  private release(report: RunReport, run: RunEvent): void {
    this.runs++;
    this.commands += run.commands;
    if (run.failed === "capacity") {
      this.abandoned++;
      this.abandonedRuns.push(report.index);
    }
    for (const [name, count] of Object.entries(run.coverage)) this.coverage.set(name, (this.coverage.get(name) ?? 0) + count);
    this.onEvent?.({ ...run, completedRuns: this.runs, index: report.index });
    if (report.failure !== null) this.onEvent?.(report.failure);
    this.found = report.found;
    this.foundInterrupted = report.interrupted;
  }
}

/** Shard `index` of `count`: the runs whose index is `index` modulo `count` (`run --shard I/N`). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The first index of `shard` at or after `start`. */
function firstOfShard(start: number, shard: Shard): number {
  return start + ((((shard.index - start) % shard.count) + shard.count) % shard.count);
}

/**
 * The campaign `options` describes, runs `startAt` to `runs - 1` (only `shard`'s, if given;
 * or until `more` says no more, for a time budget), carried out by `lanes`. Ensures: the
 * same result for any number of lanes; `interrupted` when `stop` cut it short.
 */
export async function runIndexedCampaign(
  options: CampaignOptions,
  lanes: RunLanes,
  stop: StopSignal,
  limits: { readonly more?: () => boolean; readonly shard?: Shard } = {},
): Promise<InterruptibleResult> {
  const shard = limits.shard ?? { index: 0, count: 1 };
  const more = limits.more ?? (() => true);
  const start = firstOfShard(options.startAt ?? 0, shard);
  const released = new ReleasedRuns(start, shard.count, options.onEvent);
  const signals = newLaneSignals();
  void stop.asked?.then(() => Atomics.store(signals, 0, 1));
  let next = start;
  let budgetOver = false;
  const lane = async () => {
    for (;;) {
      if (stop.requested()) Atomics.store(signals, 0, 1);
      if (next >= options.runs || next > Atomics.load(signals, 1) || Atomics.load(signals, 0) !== 0) return;
      if (!more()) {
        budgetOver = true;
        return;
      }
      const index = next;
      next += shard.count;
      const report = await lanes.execute(index, signals);
      if (report.found !== null && report.index < Atomics.load(signals, 1)) Atomics.store(signals, 1, report.index);
      released.add(report);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, lanes.lanes) }, lane));
  const stopped = Atomics.load(signals, 0) !== 0;
  const interrupted = stopped && released.found === null && released.next < options.runs && !budgetOver;
  const shrinkingCut = released.found !== null && released.foundInterrupted;
  if (!interrupted && released.runs > 0 && released.abandoned === released.runs) {
    const which = released.runs === 1 ? "its only run was" : `all ${released.runs} runs were`;
    throw new CampaignError(`the campaign could not run: ${which} abandoned as too ambiguous to check`);
  }
  const violations = released.found === null ? [] : [released.found];
  const { runs, commands, coverage, abandoned, abandonedRuns } = released;
  return { system: options.system.name, seed: options.seed, runs, commands, violations, coverage, abandoned, abandonedRuns, interrupted: interrupted || shrinkingCut };
}
