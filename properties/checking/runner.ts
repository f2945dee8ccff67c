//! The per-step checker: runs one concrete command on the system under test and on the
//! model, then checks, in this order,
//!
//!   1. outcome            the implementation's outcome is one the model allows
//!   2. linearizability    each thread operation that completed returned what the model
//!                         allows for it at some instant since it started (linearizer.ts)
//!   3. observation        every mapped page of every process, every file and every loan,
//!                         read out of the implementation's structures, equals the model's
//!   4. invariants         every heap-walk invariant of the system holds (those that hold
//!                         only at quiescence, only when no thread is parked)
//!
//! With incremental checking (incremental-check.ts), a step that no thread or ambiguity
//! complicates compares only the part of the world it may have changed, and leaves the heap
//! walks to the next full sweep (every few steps, and the whole heal phase).
//!
//! A violation stops the run. Where the model allows several outcomes or states (memory
//! exhaustion, partial effects, operations of parked threads that may or may not have taken
//! effect yet), the runner keeps every configuration the outcomes and the observation do not
//! rule out. An exception thrown by the implementation is a violation too: an assertion (a
//! broken KASSERT), a lock-discipline failure (`lock-order`, `sleep-with-lock`), a liveness
//! failure, or a crash.

import { AssertionFailure, LivenessFailure, LockDisciplineFailure } from "../../vocabulary/assert.ts";
import type { Command, ThreadOperation } from "../../vocabulary/command.ts";
import { missingFamily } from "../../vocabulary/command-family.ts";
import { type Divergence, formatDivergence, type Observation } from "../../vocabulary/observation.ts";
import type { Outcome } from "../../vocabulary/outcome.ts";
import type { FailureRates } from "../../vocabulary/failure.ts";
import type { InvariantViolation, SystemUnderTest, ThreadCompletion } from "../../vocabulary/system-under-test.ts";
import type { SystemProfile } from "../../vocabulary/system-profile.ts";
import { loanHandle, pid, segmentId, type ThreadId } from "../../vocabulary/units.ts";
import type { WorldConfig } from "../../vocabulary/world.ts";
import type { ModelState } from "../../model/state.ts";
import { initialState } from "../../model/state.ts";
import type { Cause } from "../../model/transition.ts";
import { IncrementalCheck, partDivergence } from "./incremental-check.ts";
import { CapacityExceeded, CONFIGURATION_LIMIT, Linearizer } from "./linearizer.ts";

/** Which environment events a property allows (the model's causes other than `specified`). */
export interface Contract {
  readonly name: string;
  readonly allowedCauses: ReadonlySet<Cause>;
}

/**
 * The default contract: memory may run out, and devices may fail as the run's failure
 * injection allows (the model only offers device-failure outcomes when a failure of that kind
 * is possible, see model/failures.ts).
 */
export const exhaustibleMemory: Contract = { name: "exhaustible-memory", allowedCauses: new Set(["specified", "memoryExhausted", "deviceFailure"]) };
/** Ample frames and swap and no failures: ENOMEM and EIO are violations. */
export const ampleMemory: Contract = { name: "ample-memory", allowedCauses: new Set(["specified"]) };

export interface Violation {
  /** `outcome`, `linearizability`, `observation`, `invariant:<name>`, `healed`, `assertion`, `lock-order`, `sleep-with-lock`, `liveness` or `crash`. */
  readonly check: string;
  /** 0-based index of the failing command. */
  readonly step: number;
  readonly message: string;
  readonly command: Command;
  /** For a `crash`: the stack trace of what the system threw, as it printed it. */
  readonly stack?: string;
}

export class ViolationError extends Error {
  override readonly name = "ViolationError";
  constructor(readonly violation: Violation) {
    super(`step ${violation.step} (${violation.command.kind}): ${violation.check}: ${violation.message}`);
  }
}

export interface StepRecord {
  readonly command: Command;
  readonly outcome: Outcome;
  readonly allowed: readonly Outcome[];
  /** Thread operations that completed during the step. */
  readonly completions: readonly ThreadCompletion[];
}

/** The command being checked, as far as it got: what traces show of a failing step. */
export interface Attempt {
  readonly command: Command;
  /** What the model allows under the contract. */
  readonly allowed: readonly Outcome[];
  /** What the implementation returned; null if it threw. */
  outcome: Outcome | null;
  /** The first difference from the model's observation, when that check failed. */
  divergence: Divergence | null;
  /** Thread operations that completed during the step. */
  completions: readonly ThreadCompletion[];
}

export class Runner {
  private readonly linearizer: Linearizer;
  readonly steps: StepRecord[] = [];
  /** The last command `run` was given, passing or not. [run] */
  attempt: Attempt | null = null;
  /** Incremental checking, or null: every step checked in full. */
  readonly incremental: IncrementalCheck | null;

  /** `profile`: the command families `system` runs and the model's allowances it is held to (vocabulary/system-profile.ts). */
  constructor(
    readonly system: SystemUnderTest,
    readonly profile: SystemProfile,
    world: WorldConfig,
    readonly contract: Contract,
    failureRates: FailureRates = {},
    configurationLimit = CONFIGURATION_LIMIT,
    sweepEvery: number | null = null,
  ) {
    this.incremental = sweepEvery === null || system.observePart === undefined ? null : new IncrementalCheck(sweepEvery);
    const model = initialState(world, failureRates, profile.allowances);
    this.linearizer = new Linearizer(model, contract.allowedCauses, profile.families.has("threads"), configurationLimit);
  }

  /** The model state the generators resolve templates against. */
  get model(): ModelState {
    return this.linearizer.model;
  }

  /** Threads whose operations started and have not completed, by increasing id. */
  pendingThreads(): ThreadId[] {
    return this.linearizer.pendingThreads();
  }

  /** Their operations, in the same order. */
  pendingOperations(): ThreadOperation[] {
    return this.linearizer.pendingOperations();
  }

  /**
   * Runs `command` and all checks. Requires: the system runs every family `command` uses
   * (generators and loaders make sure of it). Throws ViolationError.
   */
  run(command: Command): StepRecord {
    const missing = missingFamily(command, this.profile.families);
    if (missing !== null) throw new Error(`Runner.run: ${command.kind} is a command of the ${missing} family, which the system under test does not run`);
    const index = this.steps.length;
    const fail = (check: string, message: string, stack?: string): never => {
      throw new ViolationError({ check, step: index, message, command, ...(stack === undefined ? {} : { stack }) });
    };
    if (command.kind === "clearFailures" && this.incremental?.owesSweep === true) {
      // Switching failures off ends what can explain a loss an unobserved step made silently
      // (a swap write failure under the page daemon: model/failures.ts adoptObservedLosses),
      // so the steps since the last sweep are swept first, as their own full checks would have.
      const before: Attempt = { command, allowed: [], outcome: null, divergence: null, completions: [] };
      this.attempt = before;
      this.checkInFull(before, () => this.observeSystem(fail), fail);
    }
    const prepared = this.capacity(() => this.linearizer.prepare(command), fail);
    const allowed = prepared.outcomes;
    const attempt: Attempt = { command, allowed, outcome: null, divergence: null, completions: [] };
    this.attempt = attempt;
    const outcome = this.applyToSystem(command, fail);
    attempt.outcome = outcome;
    const completions = this.system.drainCompletions?.() ?? [];
    attempt.completions = completions;
    const observe = () => this.observeSystem(fail);
    let copies: number | undefined;
    try {
      copies = this.system.copiesMade?.();
    } catch (error) {
      fail(...classifyThrow(error));
    }
    const problem = this.capacity(() => this.linearizer.commitStep(prepared, outcome, completions, observe, copies), fail);
    if (problem !== null) fail(problem.check, problem.message);
    if (!this.agreesOnPart(command, completions.length === 0, fail)) this.checkInFull(attempt, observe, fail);
    const record = { command, outcome, allowed, completions };
    this.steps.push(record);
    return record;
  }

  /** Whether the step was checked incrementally, on the part of the world it may have changed, and passed. */
  private agreesOnPart(command: Command, noCompletions: boolean, fail: (check: string, message: string, stack?: string) => never): boolean {
    if (this.incremental === null) return false;
    const eligible = noCompletions && this.linearizer.pendingThreads().length === 0 && this.linearizer.configurationCount === 1;
    const part = this.incremental.part(this.linearizer.model, command, eligible);
    if (part === null) return false;
    try {
      return partDivergence(this.linearizer.model, part, this.system) === null;
    } catch (error) {
      return fail(...classifyThrow(error));
    }
  }

  /** The observation and every heap walk, over the whole world. */
  private checkInFull(attempt: Attempt, observe: () => Observation, fail: (check: string, message: string, stack?: string) => never): void {
    const observation = observe();
    this.incremental?.swept(observation);
    const divergence = this.linearizer.observe(observation);
    if (divergence !== null) {
      attempt.divergence = divergence;
      fail("observation", formatDivergence(divergence));
    }
    const quiescent = this.linearizer.pendingThreads().length === 0;
    const broken = this.checkInvariants(fail, quiescent);
    if (broken !== null) fail(`invariant:${broken.invariant}`, broken.message);
  }

  /**
   * The heal phase that ends every run: parked threads resumed to completion, failures
   * switched off, every loan given back, every SysV segment removed, every process exited (each a checked command, each
   * only where the system runs its family), then nothing may be left that nobody owns
   * (check `healed`). Throws ViolationError.
   */
  heal(): void {
    if (this.incremental !== null) this.incremental.fullOnly = true;
    for (let pending = this.pendingThreads(); pending.length > 0; pending = this.pendingThreads()) this.run({ kind: "resume", thread: pending[0]! });
    if (this.profile.families.has("machine")) this.run({ kind: "clearFailures" });
    if (this.profile.families.has("loans"))
      for (const handle of Object.keys(this.model.loans).map(Number)) this.run({ kind: "unloan", handle: loanHandle(handle) });
    if (this.profile.families.has("sysvShm"))
      for (const segment of Object.keys(this.model.segments).map(Number)) this.run({ kind: "shmrm", segment: segmentId(segment) });
    for (const process of Object.keys(this.model.processes).map(Number)) this.run({ kind: "exit", pid: pid(process) });
    this.checkHealed();
  }

  /** The leak check after a heal phase. Throws ViolationError (check `healed`). */
  checkHealed(): void {
    const last = this.steps.at(-1);
    if (last === undefined || this.system.checkHealed === undefined) return;
    let leak: InvariantViolation | null;
    try {
      leak = this.system.checkHealed();
    } catch (error) {
      const [check, message, stack] = classifyThrow(error);
      throw new ViolationError({ check, step: this.steps.length - 1, message, command: last.command, ...(stack === undefined ? {} : { stack }) });
    }
    if (leak !== null)
      throw new ViolationError({ check: "healed", step: this.steps.length - 1, message: `${leak.invariant}: ${leak.message}`, command: last.command });
  }

  /** Runs a linearizer step; a history too ambiguous to check is reported as check `capacity`, never passed over. */
  private capacity<T>(work: () => T, fail: (check: string, message: string) => never): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof CapacityExceeded) return fail("capacity", error.message);
      throw error;
    }
  }

  private applyToSystem(command: Command, fail: (check: string, message: string, stack?: string) => never): Outcome {
    try {
      return this.system.apply(command);
    } catch (error) {
      return fail(...classifyThrow(error));
    }
  }

  /** The system's observation; what it throws is a violation like a throw from `apply` (a crash in the system). */
  private observeSystem(fail: (check: string, message: string, stack?: string) => never) {
    try {
      return this.system.observe();
    } catch (error) {
      return fail(...classifyThrow(error));
    }
  }

  private checkInvariants(fail: (check: string, message: string, stack?: string) => never, quiescent: boolean) {
    try {
      return this.system.checkInvariants({ quiescent });
    } catch (error) {
      return fail(...classifyThrow(error));
    }
  }
}

/** The check a thrown error fails, its message, and for a crash its stack trace (kept in reports and files). */
function classifyThrow(error: unknown): [check: string, message: string, stack?: string] {
  if (error instanceof ViolationError) throw error;
  if (error instanceof LockDisciplineFailure) return [error.rule, error.message];
  if (error instanceof AssertionFailure) return ["assertion", error.message];
  if (error instanceof LivenessFailure) return ["liveness", error.message];
  if (!(error instanceof Error)) return ["crash", String(error)];
  const message = `${error.name}: ${error.message.split("\n")[0]}`;
  return error.stack === undefined ? ["crash", message] : ["crash", message, error.stack];
}
