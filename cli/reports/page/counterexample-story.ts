//! Everything the counterexample page shows, gathered by replaying the file (twice: once for
//! the trace, properties/counterexample-files/trace.ts, once for what the trace does not
//! keep): the steps, the threads' lanes (thread-timeline.ts), for a linearizability failure
//! the operation that cannot be placed and the prefix the checker did explain, for an
//! observation failure both observations as a tree (observation-diff.ts), the frames
//! involved, and the command lines that reproduce it. A pure function of the file and the
//! system: the same file gives the same story, so the same page.

import type { CounterexampleFile } from "../../../properties/counterexample-files/counterexample-file.ts";
import { replayCommands, type ReplaySetup, type StepObserver } from "../../../properties/counterexample-files/replay.ts";
import { type Trace, traceCommands } from "../../../properties/counterexample-files/trace.ts";
import type { TraceHeading } from "../../../properties/counterexample-files/trace-format.ts";
import { observe } from "../../../model/observe.ts";
import type { Command } from "../../../vocabulary/command.ts";
import { formatCommand } from "../../../vocabulary/command-format.ts";
import { formatOutcome } from "../../../vocabulary/outcome.ts";
import { type DiffNode, diffValue } from "./observation-diff.ts";
import { type ThreadLane, type ThreadSnapshot, threadLanes } from "./thread-timeline.ts";

/** A linearizability failure: the operation no instant of its window explains. */
export interface Unplaceable {
  readonly thread: number;
  /** The operation, `write pid=1 va=0 word=0 value=1`. */
  readonly operation: string;
  /** The step that started it (null if the file does not show it). */
  readonly startedAt: number | null;
  /** The step in which it completed, with the outcome nothing explains. */
  readonly completedAt: number;
  readonly returned: string;
  /** Steps 0 .. explained-1 passed every check: the longest prefix the checker explained. */
  readonly explained: number;
  /** Other operations whose windows overlap its window. */
  readonly concurrent: readonly { readonly thread: number; readonly operation: string; readonly startedAt: number; readonly completedAt: number | null }[];
}

export interface CounterexampleStory {
  readonly path: string;
  readonly file: CounterexampleFile;
  readonly heading: TraceHeading;
  readonly trace: Trace;
  readonly lanes: readonly ThreadLane[];
  readonly unplaceable: Unplaceable | null;
  /** For an observation failure: the model's observation against the implementation's. */
  readonly diff: DiffNode | null;
  readonly reproduce: readonly string[];
}

interface Recorded {
  readonly snapshots: ThreadSnapshot[];
  diff: DiffNode | null;
}

function record(setup: ReplaySetup, commands: readonly Command[]): Recorded {
  const recorded: Recorded = { snapshots: [], diff: null };
  const observer: StepObserver = {
    afterStep: (index, runner, violation) => {
      const completions = violation === null ? (runner.steps[index]?.completions ?? []) : (runner.attempt?.completions ?? []);
      recorded.snapshots.push({ command: commands[index]!, parked: runner.system.parkedThreads?.() ?? [], completions });
      if (violation?.check === "observation") recorded.diff = diffValue("observation", observe(runner.model), runner.system.observe());
    },
    afterHeal: (runner, healed, violation) => {
      const start = recorded.snapshots.length;
      healed.forEach((command, offset) => {
        const completions = runner.steps[start + offset]?.completions ?? runner.attempt?.completions ?? [];
        recorded.snapshots.push({ command, parked: [], completions });
      });
      if (violation?.check === "observation") recorded.diff = diffValue("observation", observe(runner.model), runner.system.observe());
    },
  };
  replayCommands(setup, commands, observer);
  return recorded;
}

function startOf(snapshots: readonly ThreadSnapshot[], thread: number, before: number): number | null {
  for (let step = Math.min(before, snapshots.length - 1); step >= 0; step--) {
    const command = snapshots[step]!.command;
    if (command.kind === "start" && command.thread === thread) return step;
  }
  return null;
}

function completionOf(snapshots: readonly ThreadSnapshot[], thread: number, from: number): number | null {
  for (let step = from; step < snapshots.length; step++) if (snapshots[step]!.completions.some((entry) => entry.thread === thread)) return step;
  return null;
}

function unplaceableOf(trace: Trace, snapshots: readonly ThreadSnapshot[]): Unplaceable | null {
  const failure = trace.failure;
  if (failure === null || failure.check !== "linearizability") return null;
  const thread = Number(/thread (\d+)/.exec(failure.message)?.[1] ?? Number.NaN);
  const completedAt = failure.step;
  const completion = snapshots[completedAt]?.completions.find((entry) => entry.thread === thread);
  if (completion === undefined) return null;
  const startedAt = startOf(snapshots, thread, completedAt);
  const concurrent = [...new Set(snapshots.flatMap((snapshot) => (snapshot.command.kind === "start" ? [snapshot.command.thread as number] : [])))]
    .filter((other) => other !== thread)
    .flatMap((other) => {
      const otherStart = startOf(snapshots, other, completedAt);
      if (otherStart === null) return [];
      const otherEnd = completionOf(snapshots, other, otherStart);
      if (otherEnd !== null && otherEnd < (startedAt ?? 0)) return [];
      const command = snapshots[otherStart]!.command;
      const operation = command.kind === "start" ? formatCommand(command.operation as Command) : "";
      return [{ thread: other, operation, startedAt: otherStart, completedAt: otherEnd }];
    });
  const operation = formatCommand(completion.operation as Command);
  return { thread, operation, startedAt, completedAt, returned: formatOutcome(completion.outcome), explained: completedAt, concurrent };
}

function reproduceLines(path: string, file: CounterexampleFile): string[] {
  const quoted = /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
  const lines = [`npx uvmcheck replay ${quoted}`, `npx uvmcheck replay --trace ${quoted}`, `npx uvmcheck shrink ${quoted}`];
  if (file.seed !== null) lines.push(`# found by a campaign: seed ${file.seed}, path "${file.path ?? ""}", replayPath "${file.replayPath ?? ""}"`);
  return lines;
}

/** Requires: `setup` is the file's (counterexample-input.ts). Ensures: deterministic. */
export function counterexampleStory(path: string, file: CounterexampleFile, setup: ReplaySetup, system: string): CounterexampleStory {
  const trace = traceCommands(setup, file.commands);
  const recorded = record(setup, file.commands);
  const heading: TraceHeading = {
    system,
    variant: setup.variant,
    contract: setup.contract.name,
    hardwareSeed: setup.hardwareSeed,
    failures: setup.failures,
    world: setup.world,
  };
  return {
    path,
    file,
    heading,
    trace,
    lanes: threadLanes(recorded.snapshots),
    unplaceable: unplaceableOf(trace, recorded.snapshots),
    diff: recorded.diff,
    reproduce: reproduceLines(path, file),
  };
}
