//! Incremental checking: after a step, compare only the part of the world the step may have
//! changed, and sweep the whole world periodically and through the heal phase that ends
//! every run. The period is `sweepEvery` steps, or one step per PAGES_PER_SWEEP_STEP pages
//! the last sweep observed if that is more: a sweep costs what the world holds, so in a large
//! world it comes as much less often as it costs more, and its share of a step stays bounded.
//!
//!   step ──▶ which processes' model observation may have changed?  (signatures below)
//!        ──▶ + the processes the command names, + the files if they may have changed
//!        ──▶ the system observes that part only (observePart), compared with the model's
//!              agrees    ──▶ done; the heap walks wait for the next sweep
//!              differs   ──▶ the full check, exactly as without incremental checking
//!   every period-th step, every step with a thread pending or completing or several
//!   model configurations alive, and every step of the heal phase: the full check; and
//!   before a clearFailures, a sweep of the world the last step left (a silent swap write
//!   loss since the last sweep is explained only while failures are on)
//!
//! A process's model observation is a function of its process record, the overlays its
//! regions hold, the files and shared memories they show and the lost tags; the model is
//! immutable with structural sharing, so when none of those objects is a new one, what it
//! sees is what it saw. The *signature* lists them; two equal signatures (element by element
//! identity) mean the same observation. That part is exact. What it cannot know is where
//! the system changed something the model did not: a bug that corrupts a process the step
//! did not touch is found at the next sweep, at the latest when the run ends
//! (test/incremental-check.test.ts shows every canary's verdict unchanged).

import type { Command } from "../../vocabulary/command.ts";
import { assert } from "../../vocabulary/assert.ts";
import { type Divergence, firstDivergence, type Observation, type ObservationPart, partPids, partRange } from "../../vocabulary/observation.ts";
import type { SystemUnderTest } from "../../vocabulary/system-under-test.ts";
import { type Pid, pid } from "../../vocabulary/units.ts";
import { observeLoans, observeProcess, observeSegments } from "../../model/observe.ts";
import type { ModelState, Process } from "../../model/state.ts";

/** The scale profile's sweep period: a full check at least every this many steps. */
export const scaleSweepEvery = 16;

/** Commands after which the files are compared even if the model's did not change (they flush or drop file pages). */
const fileCommands: ReadonlySet<Command["kind"]> = new Set(["fileWrite", "fileEvict", "pageout", "munmap", "exit"]);

export class IncrementalCheck {
  /** Each live process's signature at the last step. [part] */
  private signatures = new Map<number, readonly unknown[]>();
  /** The model's files at the last step. [part] */
  private files: unknown = null;
  /** Steps since the last full check. [part] */
  private sinceSweep = 0;
  /** Steps between two sweeps: sweepEvery, or more in a large world (`swept`). [swept] */
  private period: number;
  /** Full checks only from now on: set by the heal phase (Runner.heal). */
  fullOnly = false;
  /** Steps checked by part and in full, for statistics and tests. [Runner] */
  readonly counts = { part: 0, full: 0 };

  constructor(readonly sweepEvery: number) {
    assert(Number.isInteger(sweepEvery), "IncrementalCheck: sweepEvery not an integer");
    assert(sweepEvery >= 1, "IncrementalCheck: sweepEvery below 1");
    this.period = sweepEvery;
  }

  /**
   * The part of the world `command` may have changed, with the model now in `state`; or null
   * when this step takes the full check (a sweep is due, the heal phase, or not `eligible`).
   * Requires: called once per step, after the model took the step. Ensures: the signatures
   * are this step's, whatever it returns.
   */
  part(state: ModelState, command: Command, eligible: boolean): ObservationPart | null {
    const signatures = new Map<number, readonly unknown[]>();
    const pids = new Set<Pid>();
    for (const [key, process] of Object.entries(state.processes)) {
      const signature = signatureOf(state, process);
      signatures.set(Number(key), signature);
      const before = this.signatures.get(Number(key));
      if (before === undefined || !sameSignature(before, signature)) pids.add(pid(Number(key)));
    }
    for (const key of this.signatures.keys()) if (!signatures.has(key)) pids.add(pid(key));
    const ranges = new Map<Pid, { start: number; end: number }>();
    if ("pid" in command && !pids.has(command.pid)) {
      if ("va" in command) ranges.set(command.pid, { start: command.va, end: command.va + ("pages" in command ? command.pages : 1) });
      else pids.add(command.pid);
    }
    const files = state.files !== this.files || fileCommands.has(command.kind);
    this.signatures = signatures;
    this.files = state.files;
    this.sinceSweep++;
    if (!eligible || this.fullOnly || this.sinceSweep >= this.period) {
      this.sinceSweep = 0;
      this.counts.full++;
      return null;
    }
    this.counts.part++;
    return { pids, ranges, files };
  }

  /** Called with the whole world's observation after each full check: sets the period after it. */
  swept(observation: Observation): void {
    this.sinceSweep = 0;
    this.period = sweptPeriod(this.sweepEvery, observation);
  }

  /** Whether steps were checked by part since the last full check (the runner sweeps before a clearFailures then). */
  get owesSweep(): boolean {
    return this.sinceSweep > 0;
  }
}

/** Pages a sweep observes per step of the period after it (see the header). */
const PAGES_PER_SWEEP_STEP = 16;

/** Requires: `observation` is the whole world's, just checked in full. Ensures: the period fits its size. */
export function sweptPeriod(sweepEvery: number, observation: Observation): number {
  const pages = observation.processes.reduce((sum, process) => sum + process.pages.length, 0) + observation.files.reduce((sum, file) => sum + file.length, 0);
  return Math.max(sweepEvery, Math.floor(pages / PAGES_PER_SWEEP_STEP));
}

/** The first difference between the model's and the system's observation of `part`, or null. Requires: the system has observePart. */
export function partDivergence(state: ModelState, part: ObservationPart, system: SystemUnderTest): Divergence | null {
  assert(system.observePart !== undefined, "partDivergence: the system cannot observe a part");
  const live = partPids(part).filter((key) => state.processes[key] !== undefined);
  const processes = live.map((key) => {
    const range = partRange(part, key);
    return observeProcess(state, state.processes[key]!, range.start, range.end);
  });
  const expected = { processes, files: part.files ? state.files : [], loans: observeLoans(state), segments: observeSegments(state) };
  return firstDivergence(expected, system.observePart(part));
}

/** The objects `process`'s observation is a function of, in a fixed order. */
function signatureOf(state: ModelState, process: Process): readonly unknown[] {
  const parts: unknown[] = [process, state.lostTags];
  for (const region of process.regions) {
    if (region.overlay !== null) parts.push(state.overlays[region.overlay.overlay]);
    const source = region.source;
    if (source.kind === "file") parts.push(state.files[source.file]);
    else if (source.kind === "sharedMemory") parts.push(state.sharedMemories[source.memory]);
    else if (source.kind !== "zero" && source.kind !== "none") parts.push(state); // a source this signature does not know: always changed
  }
  return parts;
}

function sameSignature(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}
