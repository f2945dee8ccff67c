//! Lockstep: two systems under test, A and B, and the model, driven by the same concrete
//! commands, compared after every command.
//!
//!   command i ──▶ A.apply ──▶ outcome A, observation A ─┐
//!             ──▶ B.apply ──▶ outcome B, observation B ─┼─▶ agree?  no ──▶ divergence at i
//!             ──▶ model step ──▶ allowed (outcome, state) ┘           yes ──▶ command i+1
//!
//! A and B *diverge* at command i when their outcomes differ (a thrown exception counts as an
//! outcome of its own), or, with equal outcomes, when their observations differ. Because the
//! comparison runs after every command, the first index where they differ is exact: what a
//! bisection over prefixes would find, without the replays.
//!
//! The model follows the common behaviour of A and B: after each agreed command it keeps the
//! candidate states consistent with it, as the per-step runner does. At the divergence it
//! answers which side it agrees with: A, B, both (the specification allows either) or
//! neither. When A and B agree on something the model does not allow, the model has *lost
//! track*: it keeps every state it allowed, so templates still resolve, and its later verdict
//! is `neither`.

import type { AllowanceName } from "../../vocabulary/allowance.ts";
import type { Command } from "../../vocabulary/command.ts";
import { firstDivergence, formatDivergence, type Observation } from "../../vocabulary/observation.ts";
import { formatOutcome, type Outcome, outcomeEquals } from "../../vocabulary/outcome.ts";
import type { SystemUnderTest } from "../../vocabulary/system-under-test.ts";
import type { WorldConfig } from "../../vocabulary/world.ts";
import { adoptObservedLosses } from "../../model/failures.ts";
import { observe } from "../../model/observe.ts";
import { initialState, type ModelState } from "../../model/state.ts";
import { step } from "../../model/step.ts";
import type { Allowed } from "../../model/transition.ts";
import type { Contract } from "./runner.ts";

/** What one system did with one command. */
export type SideResult =
  | { readonly kind: "returned"; readonly outcome: Outcome; readonly observation: Observation }
  | { readonly kind: "threw"; readonly message: string };

/** Which of A and B the model allows at the divergent command. */
export type ModelVerdict = "A" | "B" | "both" | "neither";

export interface LockstepDivergence {
  /** 0-based index of the first command on which A and B differ. */
  readonly index: number;
  readonly command: Command;
  /** `outcome`: different outcomes (or only one threw); `observation`: same outcome, different observations. */
  readonly kind: "outcome" | "observation";
  /** A's outcome in trace spelling (`ok`, `=42`, `EFAULT`), or `threw <message>`. */
  readonly a: string;
  readonly b: string;
  /** The first observation difference, A's value first (`kind` observation only). */
  readonly observation: string | null;
  readonly modelAgrees: ModelVerdict;
  /** The outcomes the model allows at the divergent command. */
  readonly modelAllows: readonly string[];
  /** The first command on which A and B agreed on something the model does not allow, or null. */
  readonly modelLostTrackAt: number | null;
}

export type LockstepStep =
  | { readonly kind: "agreed"; readonly outcome: string }
  | { readonly kind: "bothThrew"; readonly a: string; readonly b: string }
  | { readonly kind: "diverged"; readonly divergence: LockstepDivergence };

/** Most candidate model states kept at once (as the runner). */
const CANDIDATE_LIMIT = 16;

export class Lockstep {
  /** Commands run so far, all agreed on. Changed only by `step`. */
  readonly commands: Command[] = [];
  /** See LockstepDivergence.modelLostTrackAt. Changed only by `step`. */
  modelLostTrackAt: number | null = null;
  private candidates: ModelState[];
  private finished = false;

  /** `allowances`: what the model grants both sides (the union of theirs: vocabulary/system-profile.ts `sharedProfile`). */
  constructor(
    readonly a: SystemUnderTest,
    readonly b: SystemUnderTest,
    world: WorldConfig,
    readonly contract: Contract,
    allowances: Iterable<AllowanceName>,
  ) {
    this.candidates = [initialState(world, {}, allowances)];
  }

  /** The model state templates resolve against. */
  get model(): ModelState {
    return this.candidates[0]!;
  }

  /**
   * Runs `command` on A, B and the model.
   * Requires: no earlier step diverged or threw on both sides (the systems' states are then
   * no longer comparable). Ensures: on `agreed`, `commands` ends with `command`.
   */
  step(command: Command): LockstepStep {
    if (this.finished) throw new Error("Lockstep.step: the lockstep already ended (divergence or both sides threw)");
    const index = this.commands.length;
    const allowed = this.candidates.flatMap((state) => step(state, command).allowed.filter((entry) => this.contract.allowedCauses.has(entry.cause)));
    const resultA = runSide(this.a, command);
    const resultB = runSide(this.b, command);
    if (resultA.kind === "threw" && resultB.kind === "threw") {
      this.finished = true;
      return { kind: "bothThrew", a: formatResult(resultA), b: formatResult(resultB) };
    }
    const kind = resultsDiffer(resultA, resultB);
    if (kind !== null) {
      this.finished = true;
      return { kind: "diverged", divergence: this.divergence(index, command, kind, allowed, resultA, resultB) };
    }
    const consistent = consistentStates(allowed, resultA);
    if (consistent.length > 0) this.candidates = consistent.slice(0, CANDIDATE_LIMIT);
    else {
      this.modelLostTrackAt ??= index;
      const every = uniqueStates(allowed.map((entry) => entry.state));
      if (every.length > 0) this.candidates = every.slice(0, CANDIDATE_LIMIT);
    }
    this.commands.push(command);
    return { kind: "agreed", outcome: formatResult(resultA) };
  }

  private divergence(
    index: number,
    command: Command,
    kind: "outcome" | "observation",
    allowed: readonly Allowed[],
    resultA: SideResult,
    resultB: SideResult,
  ): LockstepDivergence {
    const agreesA = this.modelLostTrackAt === null && consistentStates(allowed, resultA).length > 0;
    const agreesB = this.modelLostTrackAt === null && consistentStates(allowed, resultB).length > 0;
    const modelAgrees: ModelVerdict = agreesA && agreesB ? "both" : agreesA ? "A" : agreesB ? "B" : "neither";
    const modelAllows = [...new Set(allowed.map((entry) => formatOutcome(entry.outcome)))];
    let observation: string | null = null;
    if (kind === "observation" && resultA.kind === "returned" && resultB.kind === "returned") {
      const difference = firstDivergence(resultA.observation, resultB.observation);
      observation = difference === null ? null : formatDivergence(difference, { expected: "A", actual: "B" });
    }
    const a = formatResult(resultA);
    const b = formatResult(resultB);
    return { index, command, kind, a, b, observation, modelAgrees, modelAllows, modelLostTrackAt: this.modelLostTrackAt };
  }
}

/** Applies `command` and observes; an exception from either is the result `threw`. */
function runSide(system: SystemUnderTest, command: Command): SideResult {
  try {
    const outcome = system.apply(command);
    return { kind: "returned", outcome, observation: system.observe() };
  } catch (error) {
    return { kind: "threw", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** How two results differ (null: they do not). Requires: not both threw. */
function resultsDiffer(resultA: SideResult, resultB: SideResult): "outcome" | "observation" | null {
  if (resultA.kind === "threw" || resultB.kind === "threw") return "outcome";
  if (!outcomeEquals(resultA.outcome, resultB.outcome)) return "outcome";
  return firstDivergence(resultA.observation, resultB.observation) === null ? null : "observation";
}

/** The allowed states whose outcome and observation match `result` (none for a throw). */
function consistentStates(allowed: readonly Allowed[], result: SideResult): ModelState[] {
  if (result.kind === "threw") return [];
  const matching = allowed.filter((entry) => outcomeEquals(entry.outcome, result.outcome));
  // a swap write failure is silent until the data is used: a loss it explains is adopted, as the runner does
  const adopted = uniqueStates(matching.map((entry) => adoptObservedLosses(entry.state, result.observation)));
  return adopted.filter((state) => firstDivergence(observe(state), result.observation) === null);
}

function uniqueStates(states: readonly ModelState[]): ModelState[] {
  return [...new Set(states)];
}

/** `ok`, `=42`, `EFAULT`, or `threw AssertionFailure: ...`. */
export function formatResult(result: SideResult): string {
  return result.kind === "returned" ? formatOutcome(result.outcome) : `threw ${result.message}`;
}
