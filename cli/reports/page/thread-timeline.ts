//! The threads of a counterexample along its steps, as Jepsen draws a history: one lane per
//! thread, time flowing down, and in each step what the thread did:
//!
//!   start      the step handed it an operation (`start thread=1 operation=(...)`)
//!   park       it went to sleep at a sleep point the seed names (`U12 vnode read`)
//!   resume     a `resume` let it go on
//!   run        another command waited for what it held, and ran it first (priority
//!              inheritance): it went on without a `resume`
//!   complete   its operation returned, with the outcome its caller got
//!
//! and, between a park and the next event, that it sleeps there. Built from what a replay
//! records after each step: the threads parked and the operations completed.

import type { Command, ThreadOperation } from "../../../vocabulary/command.ts";
import { formatCommand } from "../../../vocabulary/command-format.ts";
import { formatOutcome } from "../../../vocabulary/outcome.ts";
import type { ParkedThread, ThreadCompletion } from "../../../vocabulary/system-under-test.ts";

/** What a replay saw after one step. */
export interface ThreadSnapshot {
  readonly command: Command;
  readonly parked: readonly ParkedThread[];
  readonly completions: readonly ThreadCompletion[];
}

export type ThreadEventKind = "start" | "park" | "resume" | "run" | "complete" | "sleeping";

export interface ThreadEvent {
  readonly kind: ThreadEventKind;
  /** One line: the operation, the sleep point, or the outcome. */
  readonly text: string;
}

export interface ThreadLane {
  readonly thread: number;
  /** Per step, what the thread did (several events in one step are in order); empty: idle. */
  readonly steps: readonly (readonly ThreadEvent[])[];
}

/** The thread a command starts or resumes, if any. */
function threadOf(command: Command): { kind: "start" | "resume"; thread: number; operation?: ThreadOperation } | null {
  if (command.kind === "start") return { kind: "start", thread: command.thread, operation: command.operation };
  if (command.kind === "resume") return { kind: "resume", thread: command.thread };
  return null;
}

/** Every thread that appears in `snapshots`, by increasing id. */
function threadsIn(snapshots: readonly ThreadSnapshot[]): number[] {
  const threads = new Set<number>();
  for (const snapshot of snapshots) {
    const moved = threadOf(snapshot.command);
    if (moved !== null) threads.add(moved.thread);
    for (const parked of snapshot.parked) threads.add(parked.thread);
    for (const completion of snapshot.completions) threads.add(completion.thread);
  }
  return [...threads].sort((a, b) => a - b);
}

function laneOf(thread: number, snapshots: readonly ThreadSnapshot[]): ThreadLane {
  let sleepingAt: string | null = null;
  const steps = snapshots.map((snapshot) => {
    const events: ThreadEvent[] = [];
    const moved = threadOf(snapshot.command);
    const mine = moved !== null && moved.thread === thread ? moved : null;
    if (mine?.kind === "start") events.push({ kind: "start", text: `starts ${formatCommand(mine.operation as Command)}` });
    if (mine?.kind === "resume") events.push({ kind: "resume", text: sleepingAt === null ? "resumed" : `resumed from ${sleepingAt}` });
    const parked = snapshot.parked.find((entry) => entry.thread === thread) ?? null;
    const completion = snapshot.completions.find((entry) => entry.thread === thread) ?? null;
    const movedOn = completion !== null || (parked !== null && parked.site !== sleepingAt);
    if (mine === null && sleepingAt !== null && movedOn) events.push({ kind: "run", text: `runs on from ${sleepingAt} (another command waited for it)` });
    if (completion !== null) events.push({ kind: "complete", text: `completes ${formatCommand(completion.operation as Command)} → ${formatOutcome(completion.outcome)}` });
    if (parked !== null && (parked.site !== sleepingAt || mine !== null)) events.push({ kind: "park", text: `parks at ${parked.site}` });
    else if (parked !== null) events.push({ kind: "sleeping", text: `sleeps at ${parked.site}` });
    sleepingAt = parked?.site ?? null;
    return events;
  });
  return { thread, steps };
}

/** Ensures: one lane per thread that appears, each with one entry per snapshot. */
export function threadLanes(snapshots: readonly ThreadSnapshot[]): ThreadLane[] {
  return threadsIn(snapshots).map((thread) => laneOf(thread, snapshots));
}
