//! The per-step checker: runs one concrete command on the system under test and on the
//! model, then checks, in this order,
//!
//!   1. outcome       the implementation's outcome is one the model allows
//!   2. observation   every mapped page of every process and every file, read out of the
//!                    implementation's structures, equals the model's contents
//!   3. invariants    every heap-walk invariant of the system holds
//!
//! A violation stops the run. Where the model allows several outcomes or states (memory
//! exhaustion, partial effects), the runner keeps every candidate state the outcome and the
//! observation do not rule out. An exception thrown by the implementation is a violation too:
//! an assertion (a broken KASSERT or lock rule), a liveness failure, or a crash.

import { AssertionFailure, LivenessFailure } from "../vocabulary/assert.ts";
import type { Command } from "../vocabulary/command.ts";
import { type Divergence, firstDivergence, formatDivergence } from "../vocabulary/observation.ts";
import { formatOutcome, type Outcome, outcomeEquals } from "../vocabulary/outcome.ts";
import type { FailureRates } from "../vocabulary/failure.ts";
import type { InvariantViolation, SystemUnderTest } from "../vocabulary/system-under-test.ts";
import { loanHandle, pid } from "../vocabulary/units.ts";
import type { WorldConfig } from "../vocabulary/world.ts";
import { adoptObservedLosses } from "../model/failures.ts";
import { observe } from "../model/observe.ts";
import type { ModelState } from "../model/state.ts";
import { initialState } from "../model/state.ts";
import { step } from "../model/step.ts";
import type { Cause } from "../model/transition.ts";

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
  /** `outcome`, `observation`, `invariant:<name>`, `healed`, `assertion`, `liveness` or `crash`. */
  readonly check: string;
  /** 0-based index of the failing command. */
  readonly step: number;
  readonly message: string;
  readonly command: Command;
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
}

/** Most candidate model states kept at once. */
const CANDIDATE_LIMIT = 16;

export class Runner {
  private candidates: ModelState[];
  readonly steps: StepRecord[] = [];
  /** The last command `run` was given, passing or not. [run] */
  attempt: Attempt | null = null;

  constructor(
    readonly system: SystemUnderTest,
    world: WorldConfig,
    readonly contract: Contract,
    failureRates: FailureRates = {},
  ) {
    this.candidates = [initialState(world, failureRates)];
  }

  /** The model state the generators resolve templates against. */
  get model(): ModelState {
    return this.candidates[0]!;
  }

  /** Runs `command` and all checks. Throws ViolationError. */
  run(command: Command): StepRecord {
    const index = this.steps.length;
    const fail = (check: string, message: string): never => {
      throw new ViolationError({ check, step: index, message, command });
    };
    const allowed = this.candidates.flatMap((state) => step(state, command).allowed.filter((entry) => this.contract.allowedCauses.has(entry.cause)));
    const allowedOutcomes = uniqueOutcomes(allowed.map((entry) => entry.outcome));
    const attempt: Attempt = { command, allowed: allowedOutcomes, outcome: null, divergence: null };
    this.attempt = attempt;
    const outcome = this.applyToSystem(command, fail);
    attempt.outcome = outcome;
    const matching = allowed.filter((entry) => outcomeEquals(entry.outcome, outcome));
    if (matching.length === 0)
      fail("outcome", `implementation returned ${formatOutcome(outcome)}, model allows ${allowedOutcomes.map(formatOutcome).join(" | ")}`);
    const observation = this.system.observe();
    const explained = uniqueStates(matching.map((entry) => adoptObservedLosses(entry.state, observation)));
    const consistent = explained.filter((state) => firstDivergence(observe(state), observation) === null);
    if (consistent.length === 0) {
      attempt.divergence = firstDivergence(observe(explained[0]!), observation);
      fail("observation", formatDivergence(attempt.divergence!));
    }
    this.candidates = consistent.slice(0, CANDIDATE_LIMIT);
    const broken = this.checkInvariants(fail);
    if (broken !== null) fail(`invariant:${broken.invariant}`, broken.message);
    const record = { command, outcome, allowed: allowedOutcomes };
    this.steps.push(record);
    return record;
  }

  /**
   * The heal phase that ends every run: failures switched off, every loan given back, every
   * process exited (each a checked command), then nothing may be left that nobody owns
   * (check `healed`). Throws ViolationError.
   */
  heal(): void {
    this.run({ kind: "clearFailures" });
    for (const handle of Object.keys(this.model.loans).map(Number)) this.run({ kind: "unloan", handle: loanHandle(handle) });
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
      const [check, message] = classifyThrow(error);
      throw new ViolationError({ check, step: this.steps.length - 1, message, command: last.command });
    }
    if (leak !== null) throw new ViolationError({ check: "healed", step: this.steps.length - 1, message: `${leak.invariant}: ${leak.message}`, command: last.command });
  }

  private applyToSystem(command: Command, fail: (check: string, message: string) => never): Outcome {
    try {
      return this.system.apply(command);
    } catch (error) {
      return fail(...classifyThrow(error));
    }
  }

  private checkInvariants(fail: (check: string, message: string) => never) {
    try {
      return this.system.checkInvariants();
    } catch (error) {
      return fail(...classifyThrow(error));
    }
  }
}

function classifyThrow(error: unknown): [string, string] {
  if (error instanceof ViolationError) throw error;
  if (error instanceof AssertionFailure) return ["assertion", error.message];
  if (error instanceof LivenessFailure) return ["liveness", error.message];
  return ["crash", error instanceof Error ? `${error.name}: ${error.message}` : String(error)];
}

function uniqueOutcomes(outcomes: readonly Outcome[]): Outcome[] {
  const result: Outcome[] = [];
  for (const outcome of outcomes) if (!result.some((seen) => outcomeEquals(seen, outcome))) result.push(outcome);
  return result;
}

function uniqueStates(states: readonly ModelState[]): ModelState[] {
  return [...new Set(states)];
}
