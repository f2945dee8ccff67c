//! Linearizability against the model, for operations that threads run across sleep points.
//!
//! The model has no threads: each operation is one atomic step. An operation a thread runs
//! takes effect at some instant between its `start` and its completion (Wing & Gong); the
//! checker keeps every *configuration* the history so far allows, in the style of Lowe's
//! and Knossos' linear checkers:
//!
//!   configuration = a model state + the pending operations that have already taken
//!                   effect in it ("promised"), each with the outcome it must return
//!
//! Before and after every command, any pending operation may take effect (the closure, in
//! every order: at most MAX_THREADS are pending). A command keeps the configurations whose
//! model allows its outcome; a completion keeps those where the operation took effect with
//! exactly the outcome returned. A pending operation whose effect the model shows but the
//! implementation does not yet (a store happens when the fault is over; a loan is handed
//! over when it completes) is compared outside that effect's footprint: the observation
//! keys the model step changed.
//!
//! Reads (read, fileRead, loanRead) change nothing anyone can see, so they are not forked
//! into configurations: each collects the outcomes the model allows at every instant of its
//! window, and must return one of them. A read that overlaps a write may see either value;
//! a loan that overlaps a write may snapshot either; of two racing promotions one wins.
//!
//! With no thread pending, this is exactly the sequential check: one step per command.

import { produce } from "immer";
import { adoptObservedLosses, failurePossible, type Losable } from "../../model/failures.ts";
import { observe } from "../../model/observe.ts";
import { allows, type ModelState } from "../../model/state.ts";
import { step } from "../../model/step.ts";
import { inSomeOrder } from "./completion-order.ts";
import { explainedAtCompletion, readEffects } from "./same-step-losses.ts";
import { withEarnedExhaustion } from "./earned-enomem.ts";
import type { Allowed, Cause } from "../../model/transition.ts";
import { type Command, MAX_THREADS, type ThreadOperation, threadOperationKinds } from "../../vocabulary/command.ts";
import { type Divergence, firstDivergence, type Observation, observationDifferences } from "../../vocabulary/observation.ts";
import { error, formatOutcome, ok, type Outcome, outcomeEquals } from "../../vocabulary/outcome.ts";
import type { ThreadCompletion } from "../../vocabulary/system-under-test.ts";
import type { ThreadId } from "../../vocabulary/units.ts";
import { type Configuration, capped, configurationKey, footprint, merged, withoutWiring } from "./configurations.ts";
import { boundLoan, provisionalLoan, withoutProvisionalLoans } from "./loan-handles.ts";
import { lateExhaustion, lateReadFailures, noteLateFailures, type PendingOperation, startedOperation, swapInFailed } from "./pending-operation.ts";
import { startStates, windowCopies } from "./start-states.ts";
import { type ExplainedOutcome, withCopiesMade } from "./copies-made.ts";
import { StepCache } from "./step-cache.ts";

/** The closure outgrew CONFIGURATION_LIMIT: the checker cannot decide this history. */
export class CapacityExceeded extends Error {
  override readonly name = "CapacityExceeded";
}

/** A command's allowed outcomes, each with the configuration it leads to. */
export interface Prepared {
  readonly command: Command;
  /** Each with the private copies (fresh cells) the command made in it. */
  readonly allowed: readonly ExplainedOutcome[];
  readonly outcomes: readonly Outcome[];
}

/** Most configurations a closure may keep (after merging and capping); beyond it the history is too ambiguous to check. */
export const CONFIGURATION_LIMIT = 4096;

export class Linearizer {
  private configurations: Configuration[];
  private readonly pending = new Map<ThreadId, PendingOperation>();
  /** Losses the observation may show that reads completing with EIO in this step explain. */
  private readLosses = 0;
  /** What the swap-ins that failed in this step destroyed, before an observation shows it. */
  private lostInStep: readonly Losable[] = [];
  private readonly stepCache = new StepCache();

  /** `threads` false: the system has no threads, and answers EINVAL to every start and resume. */
  constructor(
    initial: ModelState,
    private readonly allowedCauses: ReadonlySet<Cause>,
    private readonly threads = true,
    private readonly configurationLimit = CONFIGURATION_LIMIT,
  ) {
    this.configurations = [{ state: initial, promised: new Map() }];
  }

  /** A model state for the generators: one with nothing promised if there is one. */
  get model(): ModelState {
    return withoutProvisionalLoans((this.configurations.find((configuration) => configuration.promised.size === 0) ?? this.configurations[0]!).state);
  }

  /** The threads whose operations have started and not completed, by increasing id. */
  pendingThreads(): ThreadId[] {
    return [...this.pending.keys()].sort((a, b) => a - b);
  }

  /** The operations of `pendingThreads()`, in the same order. */
  pendingOperations(): ThreadOperation[] {
    return this.pendingThreads().map((thread) => this.pending.get(thread)!.operation);
  }

  get configurationCount(): number {
    return this.configurations.length;
  }

  /** What the model allows for `command` now (pending operations may take effect first). */
  prepare(command: Command): Prepared {
    const before = this.closure(this.configurations);
    let allowed: ExplainedOutcome[];
    if (command.kind === "start" || command.kind === "resume") {
      const valid = this.threads && (command.kind === "start" ? this.startable(command.thread, command.operation) : this.pending.has(command.thread));
      const outcome = valid ? ok : error("EINVAL");
      allowed = before.map((configuration) => ({ outcome, copies: 0, configuration }));
    } else {
      allowed = before.flatMap((configuration) =>
        this.steps(configuration.state, command).map((entry) => ({
          outcome: entry.outcome,
          copies: entry.state.nextTag - configuration.state.nextTag,
          configuration: { ...configuration, state: entry.state },
        })),
      );
    }
    const outcomes: Outcome[] = [];
    for (const { outcome } of allowed) if (!outcomes.some((seen) => outcomeEquals(seen, outcome))) outcomes.push(outcome);
    return { command, allowed, outcomes };
  }

  /** Keeps the configurations that allow `outcome` (and made `copies` copies: copies-made.ts); a start becomes pending. False if none. */
  commit(prepared: Prepared, outcome: Outcome, copies?: number): boolean {
    const explaining = prepared.allowed.filter((entry) => outcomeEquals(entry.outcome, outcome));
    const kept = (this.pending.size === 0 ? withCopiesMade(explaining, prepared.command, outcome, copies) : explaining).map((entry) => entry.configuration);
    if (kept.length === 0) return false;
    const command = prepared.command;
    let started = kept;
    if (command.kind === "start" && outcome.kind === "ok") {
      this.pending.set(command.thread, startedOperation(command.thread, command.operation, kept.map((configuration) => configuration.state)));
      started = kept.flatMap((configuration) => startStates(configuration.state, command.operation).map((state) => ({ ...configuration, state })));
    }
    this.configurations = this.closure(started);
    return true;
  }

  /**
   * `command` returned `outcome` and, while it ran, the operations of `completions` completed.
   * The command may have taken effect before them or after them all (it waited for their
   * threads: a BUSY page, a lock): the configurations of both orders are kept. Ensures: null,
   * or the failed check (`outcome` or `linearizability`) and why.
   */
  commitStep(
    prepared: Prepared,
    outcome: Outcome,
    completions: readonly ThreadCompletion[],
    observation: () => Observation,
    copies?: number,
  ): { check: string; message: string } | null {
    const command = prepared.command;
    const refused = {
      check: "outcome",
      message: `implementation returned ${formatOutcome(outcome)}, model allows ${prepared.outcomes.map(formatOutcome).join(" | ")}`,
    };
    if (completions.length === 0 || command.kind === "start" || command.kind === "resume") {
      if (!this.commit(prepared, outcome, completions.length === 0 ? copies : undefined)) return refused;
      return this.completeAll(completions);
    }
    const start = this.snapshot();
    const before = this.commit(prepared, outcome) ? this.completeAll(completions) : refused;
    const first = this.snapshot();
    start.restore();
    const after = this.commitAfter(command, outcome, completions, observation);
    if (before !== null && after !== null) return before;
    if (before === null && after !== null) this.configurations = first.configurations;
    if (before === null && after === null) this.configurations = merged([...first.configurations, ...this.configurations]);
    this.readLosses = Math.max(first.readLosses, this.readLosses);
    this.lostInStep = [...first.lostInStep, ...this.lostInStep];
    return null;
  }

  /** The command took effect after `completions`; what a completed access's failed swap-in destroyed, it may already have met. */
  private commitAfter(
    command: Command,
    outcome: Outcome,
    completions: readonly ThreadCompletion[],
    observation: () => Observation,
  ): { check: string; message: string } | null {
    const problem = this.completeAll(completions);
    if (problem !== null) return problem;
    const seen = observation();
    this.configurations = this.configurations.map((configuration) => ({
      ...configuration,
      state: adoptObservedLosses(configuration.state, seen, this.readLosses),
    }));
    const prepared = this.prepare(command);
    return this.commit(prepared, outcome)
      ? null
      : { check: "outcome", message: `implementation returned ${formatOutcome(outcome)}, model allows ${prepared.outcomes.map(formatOutcome).join(" | ")}` };
  }

  /**
   * The operations of `completions` took effect, in the order given or, if one cannot take
   * effect there, with it moved after the others (it may have met what they did: a swap-in
   * another thread saw fail). Ensures: null, or the first order's failure.
   */
  private completeAll(completions: readonly ThreadCompletion[]): { check: string; message: string } | null {
    const refused = inSomeOrder(completions, (completion) => this.complete(completion), this.snapshot().restore);
    return refused === null ? null : { check: "linearizability", message: refused };
  }

  /**
   * The operation of `completion.thread` returned `completion.outcome`. Ensures: the
   * configurations where it took effect with that outcome, or a message saying why none can.
   */
  complete(completion: ThreadCompletion): string | null {
    const operation = this.pending.get(completion.thread);
    if (operation === undefined) return `thread ${completion.thread} completed ${completion.operation.kind}, but no operation was pending on it`;
    this.pending.delete(completion.thread);
    const returned = completion.outcome;
    if (operation.readOnly) {
      this.noteSwapIn(operation, returned);
      if (!operation.admissible.some((outcome) => outcomeEquals(outcome, returned))) {
        // It may take effect now, after the operations that completed before it in this step
        // (another thread's failed swap-in may have just destroyed what it reads).
        const now = explainedAtCompletion(this.configurations, operation.operation, returned, this.lostInStep, (state, op) => this.steps(state, op));
        if (now.length > 0) {
          this.configurations = now;
          return null;
        }
        const late = this.lateReadFailure(operation, returned);
        if (late.length > 0) {
          this.configurations = late;
          return null;
        }
        return `thread ${completion.thread}'s ${operation.operation.kind} returned ${formatOutcome(returned)}; at every instant since it started the model allows only ${operation.admissible.map(formatOutcome).join(" | ")}`;
      }
      // Its effect on the model (a zero-fill copy, data found lost) is applied now, as any of
      // the steps that explain the outcome, or not at all: the read may have taken effect
      // earlier, in a state where the effect was different (the observation decides).
      this.configurations = this.configurations.flatMap((configuration) => {
        const effects = readEffects(configuration.state, operation, returned, (state, op) => this.steps(state, op));
        return [configuration, ...effects.map((state) => ({ ...configuration, state }))];
      });
      return null;
    }
    this.noteSwapIn(operation, returned); // its swap-in failed: the data is lost, for every sharer
    const kept: Configuration[] = [];
    const promisedOutcomes: Outcome[] = [...operation.admissible];
    const tookNoEffect = operation.admissible.some((outcome) => outcomeEquals(outcome, returned));
    for (const configuration of this.configurations) {
      const promise = configuration.promised.get(completion.thread);
      if (promise === undefined) {
        if (tookNoEffect) kept.push(configuration);
        continue;
      }
      if (!promisedOutcomes.some((seen) => outcomeEquals(seen, promise.outcome))) promisedOutcomes.push(promise.outcome);
      const state = outcomeEquals(promise.outcome, returned)
        ? configuration.state
        : boundLoan(completion.thread, promise.outcome, returned, configuration.state);
      if (state === null) continue;
      const promised = new Map(configuration.promised);
      promised.delete(completion.thread);
      kept.push({ state, promised });
    }
    if (kept.length === 0) kept.push(...this.lateReadFailure(operation, returned));
    if (kept.length === 0) {
      return `thread ${completion.thread}'s ${operation.operation.kind} returned ${formatOutcome(returned)}; taking effect at any instant since it started, the model allows only ${promisedOutcomes.map(formatOutcome).join(" | ") || "nothing"}`;
    }
    this.configurations = kept;
    return null;
  }

  /**
   * Keeps the configurations the observation agrees with (outside the footprints of promised
   * operations). Ensures: null, or the first divergence from the closest configuration.
   */
  observe(observation: Observation): Divergence | null {
    const ignoreWired = [...this.pending.values()].some((pending) => pending.operation.kind === "mlock");
    const kept: Configuration[] = [];
    let closest: ModelState | null = null;
    const readLosses = this.readLosses;
    this.readLosses = 0;
    this.lostInStep = [];
    const agrees = (configuration: Configuration): Configuration | null => {
      const state = adoptObservedLosses(configuration.state, observation, readLosses);
      const expected = observe(state);
      closest ??= state;
      if (configuration.promised.size === 0 && !ignoreWired) return firstDivergence(expected, observation) === null ? { ...configuration, state } : null;
      const differences = observationDifferences(expected, observation, { ignoreWired });
      const promises = [...configuration.promised.values()];
      return [...differences].every((key) => promises.some((promise) => footprint(promise).has(key))) ? { ...configuration, state } : null;
    };
    for (const configuration of this.configurations) {
      const agreed = agrees(configuration);
      if (agreed !== null) kept.push(agreed);
    }
    if (kept.length === 0) {
      const shown = (seen: Observation) => (ignoreWired ? withoutWiring(seen) : seen);
      return firstDivergence(shown(observe(closest!)), shown(observation)) ?? { kind: "loans", expected: [], actual: [] };
    }
    this.configurations = capped(merged(kept));
    return null;
  }

  /** What a step has decided so far, and a function that puts it back (completions remove pending operations). */
  private snapshot() {
    const saved = { configurations: this.configurations, pending: new Map(this.pending), readLosses: this.readLosses, lostInStep: this.lostInStep };
    const restore = () => {
      this.configurations = saved.configurations;
      this.readLosses = saved.readLosses;
      this.lostInStep = saved.lostInStep;
      for (const [thread, pending] of saved.pending) this.pending.set(thread, pending);
    };
    return { ...saved, restore };
  }

  private noteSwapIn(operation: PendingOperation, returned: Outcome): void {
    if (!swapInFailed(operation, returned)) return;
    this.readLosses++;
    this.lostInStep = [...this.lostInStep, ...operation.dataAtStart];
  }

  private startable(thread: ThreadId, operation: ThreadOperation): boolean {
    return Number.isInteger(thread) && thread >= 1 && thread <= MAX_THREADS && !this.pending.has(thread) && threadOperationKinds.includes(operation.kind);
  }

  /**
   * Sets `pending.readsInWindow` if, in `state` (where it may take `entries`), the operation would reach a read
   * from a device (a file page, a swap slot): a read failure, were one possible, could
   * answer it EIO. Only under the allowance `lateReadFailure`.
   */
  private noteDeviceRead(pending: PendingOperation, state: ModelState, entries: readonly Allowed[]): void {
    if (pending.readsInWindow || !this.allowedCauses.has("deviceFailure") || !allows(state, "lateReadFailure")) return;
    const failures = (allowed: readonly Allowed[]) => allowed.filter((entry) => entry.cause === "deviceFailure").length;
    const failing = produce(state, (draft) => {
      draft.failures.rated.backingRead = true;
      draft.failures.rated.swapRead = true;
    });
    pending.readsInWindow = failing !== state && failures(this.steps(failing, pending.operation)) > failures(entries);
  }

  /** lateReadFailures (counting the loss a swap read failure may have caused), or else lateExhaustion. */
  private lateReadFailure(operation: PendingOperation, returned: Outcome): Configuration[] {
    const late = lateReadFailures(this.configurations, operation, returned);
    if (late.length > 0) this.readLosses++;
    if (late.length > 0 || !this.allowedCauses.has("memoryExhausted")) return late;
    return lateExhaustion(this.configurations, operation, returned, this.pending.size);
  }

  private steps(state: ModelState, command: Command) {
    const allowed = step(state, command).allowed.filter((entry) => this.allowedCauses.has(entry.cause));
    return withEarnedExhaustion(allowed, this.pending.size);
  }

  /**
   * Every configuration reachable by letting pending operations take effect, in any order,
   * and the outcomes each read-only one may see here. Explored a layer at a time (the
   * configurations one more effect or window copy away), each layer merged and capped as the
   * result is (configurations.ts `capped`): what the cap would drop from the result is not
   * explored further, so the work is bounded by what is kept. Throws CapacityExceeded when
   * more than the limit are kept.
   */
  private closure(configurations: readonly Configuration[]): Configuration[] {
    if (this.pending.size === 0) return [...configurations];
    const result: Configuration[] = [];
    const seen = new Set<string>();
    for (let layer = capped(merged(configurations)); layer.length > 0; ) {
      const next: Configuration[] = [];
      for (const configuration of layer) {
        const key = configurationKey(configuration);
        if (seen.has(key)) continue;
        seen.add(key);
        result.push(configuration);
        this.successors(configuration, next);
      }
      layer = capped(merged(next));
    }
    const kept = capped(result);
    if (kept.length > this.configurationLimit) throw new CapacityExceeded(`more than ${this.configurationLimit} configurations: the history is too ambiguous to check`);
    return kept;
  }

  /** Adds to `next` the configurations one pending operation's effect (or window copy) away from `configuration`. */
  private successors(configuration: Configuration, next: Configuration[]): void {
    for (const pending of this.pending.values()) {
      if (configuration.promised.has(pending.thread)) continue;
      pending.swapReadInWindow ||= failurePossible(configuration.state, "swapRead");
      for (const state of windowCopies(configuration.state, pending.operation)) next.push({ ...configuration, state });
      const entries = this.stepCache.entries(configuration.state, pending.operation, this.pending.size, () => this.steps(configuration.state, pending.operation));
      this.noteDeviceRead(pending, configuration.state, entries);
      noteLateFailures(pending, configuration.state);
      for (const entry of entries) {
        // A device failure's EIO is admissible without its effect, too: what it destroyed
        // shows when the operation completes, and the observation then adopts the loss.
        const failed = !pending.readOnly && entry.cause === "deviceFailure";
        if (failed && !pending.failureOutcomes.some((outcome) => outcomeEquals(outcome, entry.outcome))) pending.failureOutcomes.push(entry.outcome);
        if (pending.readOnly || entry.state === configuration.state || failed) {
          if (!pending.admissible.some((outcome) => outcomeEquals(outcome, entry.outcome))) pending.admissible.push(entry.outcome);
          if (pending.readOnly || !failed) continue;
        }
        const effect = provisionalLoan(pending.thread, pending.operation, entry.outcome, entry.state);
        const promised = new Map(configuration.promised).set(pending.thread, { outcome: effect.outcome, before: configuration.state, after: effect.state });
        next.push({ ...configuration, state: effect.state, promised });
      }
    }
  }
}
