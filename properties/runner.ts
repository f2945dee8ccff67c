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
import { firstDivergence, formatDivergence } from "../vocabulary/observation.ts";
import { formatOutcome, type Outcome, outcomeEquals } from "../vocabulary/outcome.ts";
import type { SystemUnderTest } from "../vocabulary/system-under-test.ts";
import type { WorldConfig } from "../vocabulary/world.ts";
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

export const exhaustibleMemory: Contract = { name: "exhaustible-memory", allowedCauses: new Set(["specified", "memoryExhausted"]) };
export const ampleMemory: Contract = { name: "ample-memory", allowedCauses: new Set(["specified"]) };

export interface Violation {
  /** `outcome`, `observation`, `invariant:<name>`, `assertion`, `liveness` or `crash`. */
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

/** Most candidate model states kept at once. */
const CANDIDATE_LIMIT = 16;

export class Runner {
  private candidates: ModelState[];
  readonly steps: StepRecord[] = [];

  constructor(
    readonly system: SystemUnderTest,
    world: WorldConfig,
    readonly contract: Contract,
  ) {
    this.candidates = [initialState(world)];
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
    const outcome = this.applyToSystem(command, fail);
    const matching = allowed.filter((entry) => outcomeEquals(entry.outcome, outcome));
    if (matching.length === 0)
      fail("outcome", `implementation returned ${formatOutcome(outcome)}, model allows ${allowedOutcomes.map(formatOutcome).join(" | ")}`);
    const observation = this.system.observe();
    const consistent = uniqueStates(matching.map((entry) => entry.state)).filter((state) => firstDivergence(observe(state), observation) === null);
    if (consistent.length === 0) fail("observation", formatDivergence(firstDivergence(observe(matching[0]!.state), observation)!));
    this.candidates = consistent.slice(0, CANDIDATE_LIMIT);
    const broken = this.checkInvariants(fail);
    if (broken !== null) fail(`invariant:${broken.invariant}`, broken.message);
    const record = { command, outcome, allowed: allowedOutcomes };
    this.steps.push(record);
    return record;
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
