//! A trace of one replay, for a person to follow (`uvmcheck replay --trace`):
//!
//!   steps        one row per command: the command, the implementation's outcome, the
//!                outcomes the model allows, and the three checks (outcome, observation,
//!                invariants), each ok, FAIL or not run; then the rows of the heal phase
//!                every run ends with (replay.ts)
//!   divergence   for the failing step, the first place the implementation and the model
//!                part: which process, page and word (and the frame behind it), or which
//!                invariant and which object (trace-divergence.ts)
//!   frames       for each physical frame involved, its history over every step: owner,
//!                translations, loans, wiring, flags, and what happened to it (alloc, copy,
//!                swap in/out, free), one row per step that changed it
//!
//! Frame history needs the system's optional `describeFrames`/`drainFrameEvents`; without
//! them the trace has steps and divergence only. The trace is a pure function of the setup
//! and the commands: the same file gives a byte-identical trace (trace-format.ts prints it).

import type { Command } from "../../vocabulary/command.ts";
import { formatCommand } from "../../vocabulary/command-format.ts";
import type { FrameDescription, FrameEvent } from "../../vocabulary/frame-trace.ts";
import { eventFrames, formatFrameEvent } from "../../vocabulary/frame-trace.ts";
import { formatOutcome } from "../../vocabulary/outcome.ts";
import { replayCommands, type ReplaySetup, type StepObserver } from "./replay.ts";
import type { Attempt, Runner, StepRecord, Violation } from "../checking/runner.ts";
import { explainFailure } from "./trace-divergence.ts";

export type CheckMark = "ok" | "FAIL" | "-";

export interface TraceStep {
  readonly step: number;
  /** True for a command of the heal phase that ends every run (replay.ts). */
  readonly heal: boolean;
  readonly command: string;
  /** The implementation's outcome (`ok`, `=3`, `EFAULT`), or `threw`. */
  readonly implementation: string;
  /** The outcomes the model allows, `|`-separated. */
  readonly model: string;
  readonly outcome: CheckMark;
  readonly observation: CheckMark;
  readonly invariants: CheckMark;
  /** Thread operations that completed during the step: `thread 1 read pid=1 va=0 word=0 → =1000`. */
  readonly completions: readonly string[];
  /** Where threads sleep after the step (`thread 1 at U12 vnode read`), when that changed; empty otherwise. */
  readonly parked: readonly string[];
}

export interface FrameRow {
  /** The step's number, or `heal` for the whole heal phase. */
  readonly step: string;
  readonly events: readonly string[];
  /** Null when the frame is free after the step. */
  readonly state: FrameDescription | null;
}

export interface FrameTimeline {
  readonly frame: number;
  readonly rows: readonly FrameRow[];
}

export interface Trace {
  readonly invariantCount: number;
  readonly steps: readonly TraceStep[];
  readonly failure: Violation | null;
  /** Lines explaining the first divergence of the failing step; empty when nothing failed. */
  readonly divergence: readonly string[];
  /** Null when the system cannot describe its frames. */
  readonly frames: readonly FrameTimeline[] | null;
}

/** The frames after one step (or the heal phase), and what happened to them during it. */
interface FrameSnapshot {
  readonly step: string;
  readonly frames: ReadonlyMap<number, FrameDescription>;
  readonly events: readonly FrameEvent[];
}

type Checked = Pick<StepRecord, "outcome" | "allowed" | "completions"> | Attempt | null;

function checkMarks(attempt: Attempt | null, violation: Violation | null): Pick<TraceStep, "outcome" | "observation" | "invariants"> {
  if (violation === null || violation.check === "healed") return { outcome: "ok", observation: "ok", invariants: "ok" };
  if (violation.check === "outcome" || violation.check === "linearizability" || attempt?.outcome === null) return { outcome: "FAIL", observation: "-", invariants: "-" };
  if (violation.check === "observation") return { outcome: "ok", observation: "FAIL", invariants: "-" };
  return { outcome: "ok", observation: "ok", invariants: "FAIL" };
}

function traceStep(
  step: number,
  command: Command,
  checked: Checked,
  marks: Pick<TraceStep, "outcome" | "observation" | "invariants">,
  heal: boolean,
): TraceStep {
  const implementation = checked === null || checked.outcome === null ? "threw" : formatOutcome(checked.outcome);
  const model = checked === null ? "" : checked.allowed.map(formatOutcome).join(" | ");
  const completions = (checked === null ? [] : checked.completions).map(
    (completion) => `thread ${completion.thread} ${formatCommand(completion.operation)} → ${formatOutcome(completion.outcome)}`,
  );
  return { step, heal, command: formatCommand(command), implementation, model, ...marks, completions, parked: [] };
}

function snapshotOf(step: string, runner: Runner): FrameSnapshot {
  const system = runner.system;
  const frames = new Map((system.describeFrames?.() ?? []).map((description) => [description.frame, description] as const));
  return { step, frames, events: system.drainFrameEvents?.() ?? [] };
}

/** Ensures: a trace of `commands` (and the heal phase) under `setup`; deterministic. */
export function traceCommands(setup: ReplaySetup, commands: readonly Command[]): Trace {
  const steps: TraceStep[] = [];
  const snapshots: FrameSnapshot[] = [];
  let parkedBefore = "";
  /** The parked threads after the step, listed when they changed. */
  const withParked = (step: TraceStep, runner: Runner): TraceStep => {
    const parked = (runner.system.parkedThreads?.() ?? []).map((thread) => `thread ${thread.thread} sleeps at ${thread.site} (${formatCommand(thread.operation)})`);
    const changed = parked.join("\n") !== parkedBefore;
    parkedBefore = parked.join("\n");
    return changed && parked.length > 0 ? { ...step, parked } : step;
  };
  const observer: StepObserver = {
    afterStep: (index, runner, violation) => {
      const marks = violation === null ? checkMarks(null, null) : checkMarks(runner.attempt, violation);
      steps.push(withParked(traceStep(index, commands[index]!, violation === null ? runner.steps[index]! : runner.attempt, marks, false), runner));
      snapshots.push(snapshotOf(String(index), runner));
    },
    afterHeal: (runner, healed, violation) => {
      const start = steps.length;
      healed.forEach((command, offset) => {
        const record = runner.steps[start + offset];
        const marks = record === undefined ? checkMarks(runner.attempt, violation) : checkMarks(null, null);
        steps.push(traceStep(start + offset, command, record ?? runner.attempt, marks, true));
      });
      snapshots.push(snapshotOf("heal", runner));
    },
  };
  const result = replayCommands(setup, commands, observer, { recordFrameEvents: true });
  const system = result.runner.system;
  const invariantCount = system.invariantNames.length;
  const failure = result.violation;
  const describable = system.describeFrames !== undefined;
  if (failure === null) return { invariantCount, steps, failure, divergence: [], frames: describable ? [] : null };
  const last = snapshots.at(-1)!;
  const explanation = explainFailure(failure, result.runner.attempt, last.frames);
  const named = new Set([...explanation.frames, ...framesOfSwapSlots(failure.message, snapshots), ...last.events.flatMap(eventFrames)]);
  const involved = named.size > 0 ? named : new Set(changedFrames(snapshots));
  const frames = describable ? [...involved].sort((a, b) => a - b).map((frame) => timeline(frame, snapshots)) : null;
  return { invariantCount, steps, failure, divergence: explanation.lines, frames };
}

/** Frames whose data went to or came from a swap slot the message names (`swap slot 3`, `slot 3`). */
function framesOfSwapSlots(message: string, snapshots: readonly FrameSnapshot[]): number[] {
  const slots = new Set([...message.matchAll(/\bslot (\d+)/g)].map((match) => Number(match[1])));
  const events = snapshots.flatMap((snapshot) => snapshot.events);
  return events.flatMap((event) => ((event.kind === "swapOut" || event.kind === "swapIn") && slots.has(event.slot) ? [event.frame] : []));
}

/** Frames whose description the last step changed (the involved frames when nothing names any). */
function changedFrames(snapshots: readonly FrameSnapshot[]): number[] {
  const after = snapshots.at(-1)!.frames;
  const before = snapshots.at(-2)?.frames ?? new Map<number, FrameDescription>();
  const frames = new Set([...after.keys(), ...before.keys()]);
  return [...frames].filter((frame) => !sameDescription(before.get(frame) ?? null, after.get(frame) ?? null));
}

function sameDescription(a: FrameDescription | null, b: FrameDescription | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The rows of `frame`: every step whose events touched it or which changed its description, and the last. */
function timeline(frame: number, snapshots: readonly FrameSnapshot[]): FrameTimeline {
  const rows: FrameRow[] = [];
  let previous: FrameDescription | null = null;
  snapshots.forEach((snapshot, index) => {
    const events = snapshot.events.filter((event) => eventFrames(event).includes(frame)).map((event) => formatFrameEvent(event, frame));
    const state = snapshot.frames.get(frame) ?? null;
    if (events.length > 0 || !sameDescription(previous, state) || index === snapshots.length - 1) rows.push({ step: snapshot.step, events, state });
    previous = state;
  });
  return { frame, rows };
}
