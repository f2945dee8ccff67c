//! The contract between the checker and a system under test.
//!
//! The checker drives a system with commands and, after each one, compares what it returned
//! and what it holds with the model, then asks the system to check its own heap-walk
//! invariants. The UVM implementation is one such system (systems/uvm.ts); a user can plug in
//! another one with `--system PATH` (systems/load-system.ts, docs/pluggable-systems.md).
//!
//!   SystemFactory ──create({ world, variant, seed })──▶ SystemUnderTest   (one per run)
//!                                                          │
//!        for each command:  apply ─▶ Outcome               │  compared with the model
//!                           observe ─▶ Observation         │  compared with the model
//!                           checkInvariants ─▶ violation?  │  the system's own heap walks
//!        after the run:     coverage ─▶ counters           │  summed over the campaign
//!
//! Determinism: the same options and the same commands must give the same outcomes,
//! observations, violations and counters. Randomness comes only from `options.seed`; no
//! clock, no `Math.random`, no state shared between instances that changes behaviour.

import type { AllowanceName } from "./allowance.ts";
import type { Command, ThreadOperation } from "./command.ts";
import type { CommandFamily } from "./command-family.ts";
import type { FailureRates } from "./failure.ts";
import type { FrameDescription, FrameEvent } from "./frame-trace.ts";
import type { Observation, ObservationPart } from "./observation.ts";
import type { Outcome } from "./outcome.ts";
import type { ThreadId } from "./units.ts";
import type { WorldConfig } from "./world.ts";

/** A broken heap-walk invariant: which one, and the first object that breaks it. */
export interface InvariantViolation {
  readonly invariant: string;
  readonly message: string;
}

/** A system's heap walk over its own heap: null when it holds, else the first object that breaks it. */
export interface HeapWalk<Heap> {
  readonly name: string;
  /** Holds only when no thread is parked mid-operation (checked then only). */
  readonly quiescentOnly?: boolean;
  check(heap: Heap): string | null;
}

/** The first of `walks` that `heap` breaks, in order; walks marked quiescentOnly only when `quiescent`. */
export function firstBrokenWalk<Heap>(walks: readonly HeapWalk<Heap>[], heap: Heap, quiescent: boolean): InvariantViolation | null {
  for (const walk of walks) {
    if (walk.quiescentOnly === true && !quiescent) continue;
    const message = walk.check(heap);
    if (message !== null) return { invariant: walk.name, message };
  }
  return null;
}

export interface SystemUnderTest {
  /**
   * Executes one command to completion, as the user process would see it.
   * Ensures: the outcome is the system call's result (`ok`, `value`, or an errno); a bad
   * argument is an errno, never an exception. Throws only for a bug in the system: an
   * AssertionFailure (a broken internal rule), a LivenessFailure, or any other crash.
   */
  apply(command: Command): Outcome;
  /**
   * Optional: how many new copies the last `apply` made and left in place, whatever it
   * returned: a page's own copy of what it showed (a copy-on-write promotion, a zero fill),
   * and a loan to anons' new borrower of a page (UVM: every new anon). An access or mlock that
   * answers ENOMEM may or may not keep the copies its faults made (allowance
   * `copyKeptOnEnomem`), a loan to anons may reuse an earlier borrower or not
   * (`objectLoanReusesAnon`); with this count the checker keeps only the model's states with
   * that many new copies instead of every one (a count none has, or undefined: not counted,
   * keeps them all). A wrong count shows later, as an observation the kept states cannot
   * explain; a count must be the model's (a copy per page), not a sharing the model abstracts.
   */
  copiesMade?(): number | undefined;
  /**
   * Reads every mapped page of every live process (pids increasing, pages by increasing va),
   * every file and every outstanding loan, out of the system's own structures, without
   * faulting and without changing anything (vocabulary/observation.ts).
   */
  observe(): Observation;
  /**
   * Optional, for incremental checking: `observe()` restricted to `part`, the live processes
   * among `part.pids` (pids increasing), the files only if `part.files` (else none), every
   * loan. Ensures: each entry equal to the same entry of `observe()`; changes nothing.
   * Absent: every step is checked against the whole observation.
   */
  observePart?(part: ObservationPart): Observation;
  /**
   * Runs every heap-walk invariant over the system's structures, in `invariantNames` order.
   * With `quiescent` false (a thread is parked mid-operation), those that hold only when
   * nothing is in progress are skipped. Ensures: returns the first one broken, or null;
   * changes nothing. A system without internal structures to check returns null.
   */
  checkInvariants(options?: { readonly quiescent: boolean }): InvariantViolation | null;
  /** The names of the invariants `checkInvariants` evaluates, in evaluation order (may be empty). */
  readonly invariantNames: readonly string[];
  /**
   * How often each named path has been taken since creation. Ensures: the same names after
   * every command (zero counts included), so a campaign can sum them and show the untaken.
   */
  coverage(): ReadonlyMap<string, number>;
  /** Optional, for statistics and the scale profile's tests: how many physical frames hold a page now (the resident set, kernel pages included). */
  framesInUse?(): number;
  /** Optional, for traces: every frame in use now, in increasing frame number (vocabulary/frame-trace.ts). */
  describeFrames?(): readonly FrameDescription[];
  /** Optional, for traces: the frame events since the last call, in order (none unless created with `recordFrameEvents`). */
  drainFrameEvents?(): readonly FrameEvent[];
  /**
   * Optional: after the heal phase (failures off, every loan given back, every process
   * exited), what is still held that nothing owns: leaked frames, swap slots, loans.
   */
  checkHealed?(): InvariantViolation | null;
  /**
   * Optional, for systems with threads (the `start` and `resume` commands): the operations
   * that completed since the last call, in completion order. A system without threads
   * answers EINVAL to `start` and `resume`.
   */
  drainCompletions?(): readonly ThreadCompletion[];
  /** Optional, with threads: the parked threads, by increasing id. */
  parkedThreads?(): readonly ParkedThread[];
}

/** A thread's operation finished: the outcome its caller gets. */
export interface ThreadCompletion {
  readonly thread: ThreadId;
  readonly operation: ThreadOperation;
  readonly outcome: Outcome;
}

/** A thread parked at a sleep point. */
export interface ParkedThread {
  readonly thread: ThreadId;
  readonly operation: ThreadOperation;
  /** The sleep point, as the seed names it (e.g. `U12 vnode read`). */
  readonly site: string;
}

/** A named planted bug: a canary, a mutant, or a seed-bug variant. */
export interface VariantInfo {
  readonly name: string;
  readonly kind: "canary" | "mutant" | "seed-bug";
  readonly description: string;
  /** The seed lines (or simulator function) the bug corrupts, e.g. `F:1434-1435`. */
  readonly corrupts: string;
}

export interface SystemOptions {
  readonly world: WorldConfig;
  /** The planted bug switched on, or null for the faithful system. */
  readonly variant: string | null;
  /** Seeds the hardware's random source (failure injection). */
  readonly seed: number;
  /** Record frame events for `drainFrameEvents` (traces only; off by default). */
  readonly recordFrameEvents?: boolean;
  /**
   * Created to replay a failure (a counterexample, a shrinking attempt): a system may then
   * pay for diagnostics a campaign skips (UVM captures where each lock was taken, for its
   * lock-order and sleep-with-lock messages). Runs must behave the same either way.
   */
  readonly replaying?: boolean;
  /** Per-run device failure rates (none when absent). */
  readonly failureRates?: FailureRates;
}

/** A named kind of system; what a `--system` module exports (its default export or `system`). */
export interface SystemFactory {
  /** Short, unique, shown in reports (`uvm`). */
  readonly name: string;
  /** One line. */
  readonly description: string;
  /** The planted bugs `--variant NAME` (or a spec `SYSTEM:NAME`) may switch on; may be empty. */
  readonly variants: readonly VariantInfo[];
  /** The coverage counters a fixed-seed campaign must drive above zero. */
  readonly requiredCoverage: readonly string[];
  /**
   * Optional: the command families its instances run (vocabulary/command-family.ts); the core
   * families are always run. Absent: every family, but `threads` only when its instances
   * have `drainCompletions` (system-profile.ts).
   */
  readonly families?: readonly CommandFamily[];
  /**
   * Optional: the model's allowances it is held to (vocabulary/allowance.ts), the ways of
   * UVM it shares. Absent: all of them, as for UVM.
   */
  readonly allowances?: readonly AllowanceName[];
  /**
   * Optional: makes `variant` (one of `variants`) ready for `create`, once per process or
   * worker thread; awaited before the first `create` with that variant. A system whose
   * variants are source edits loads its edited copy here (variants/materialize.ts). Absent:
   * nothing to prepare. Calling it again, or with a variant that needs nothing, is harmless.
   */
  prepare?(variant: string): Promise<void>;
  /**
   * A freshly booted system: one live process (pid 1, init) with no mappings, every file at
   * its initial contents (`initialFileWord`), no loans.
   * Requires: `options.variant` is null or one of `variants`, prepared (`prepare`). Ensures: instances share no
   * mutable state that changes behaviour; equal options give equal behaviour.
   */
  create(options: SystemOptions): SystemUnderTest;
}
