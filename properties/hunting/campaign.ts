//! A checking campaign: many randomized runs of the command sequences fast-check generates
//! (fc.commands, swarm weights and device failure rates per run), each checked step by step
//! by a Runner and ended by a heal phase (failures off, loans returned, processes exited, no
//! leaks). On the first
//! violation fast-check shrinks the sequence; the campaign then replays the shrunk sequence
//! once more to record the concrete commands and the exact failure, which is what a
//! counterexample file stores.
//!
//! Everything is seeded: the same options give the same runs, the same counterexample and
//! the same coverage. While it runs, a campaign reports each run and its first failure as
//! events (campaign-events.ts); interruptible-campaign.ts runs the same campaign so that it
//! can be stopped between runs. A system that answers differently on replay does not stop
//! the campaign: the first failing run is kept unshrunk, with the step that differed
//! (nondeterminism.ts).

import fc from "fast-check";
import { assert } from "../../vocabulary/assert.ts";
import type { Command } from "../../vocabulary/command.ts";
import type { Outcome } from "../../vocabulary/outcome.ts";
import { type Pid, type Vpn, vpn } from "../../vocabulary/units.ts";
import type { SystemFactory } from "../../vocabulary/system-under-test.ts";
import { systemProfile } from "../../vocabulary/system-profile.ts";
import type { WorldConfig } from "../../vocabulary/world.ts";
import type { FailureRates } from "../../vocabulary/failure.ts";
import { failureRatesArbitrary, scopeArbitrary, type SwarmWeights, swarmArbitrary, weightedTemplateArbitrary } from "../generation/arbitraries.ts";
import { type ScheduleChoice, schedulePolicyArbitrary } from "../generation/thread-arbitraries.ts";
import { runDrill } from "../generation/drills.ts";
import { type GenerationProfile, growthArbitrary, runGrowth } from "../generation/growth.ts";
import { scaleSweepEvery } from "../checking/incremental-check.ts";
import { type Contract, Runner, type StepRecord, type Violation, ViolationError } from "../checking/runner.ts";
import { runTemplate } from "../generation/races.ts";
import { type SchedulePolicy, ThreadChooser } from "../generation/schedule.ts";
import { type Template, type ThreadContext, templateApplies } from "../generation/templates.ts";
import type { ReplaySetup } from "../counterexample-files/replay.ts";
import { type CampaignEvent, failingCommands, outcomeMix, type RunEvent } from "./campaign-events.ts";
import { type FirstFailure, findNondeterminism, type Nondeterminism } from "./nondeterminism.ts";
import { runAddress } from "./run-address.ts";

/** The default campaign's longest command sequence (`uvmcheck run`). */
export const defaultMaxCommands = 100;

export interface CampaignOptions {
  readonly system: SystemFactory;
  readonly world: WorldConfig;
  readonly runs: number;
  readonly seed: number;
  readonly maxCommands: number;
  readonly variant: string | null;
  readonly contract: Contract;
  /** Most linearizer configurations before a run is abandoned as too ambiguous (default CONFIGURATION_LIMIT). */
  readonly configurationLimit?: number;
  /** The scheduling policies runs draw from; `none`: no thread commands (default `mixed`). */
  readonly schedule?: ScheduleChoice;
  /** The generators: the default ones, or those that also grow the world (growth.ts; default `default`). */
  readonly profile?: GenerationProfile;
  /**
   * Incremental checking (properties/checking/incremental-check.ts): a full sweep at least every this
   * many steps, the other steps checked on what they may have changed; null: every step in
   * full. Default: scaleSweepEvery under the scale profile, else null. A counterexample's
   * last replay is always checked in full.
   */
  readonly sweepEvery?: number | null;
  /** Inject device failures: per-run rates drawn by swarm, and failNext commands (default true). */
  readonly failures?: boolean;
  /** Starts at this run of the campaign (0-based), skipping the ones before it (default 0). */
  readonly startAt?: number;
  /**
   * Runs only this run of the campaign (0-based; run-address.ts says which fast-check seed
   * and path it is), shrinking it if it fails. An abandoned run is not replaced by the next.
   */
  readonly runIndex?: number;
  /** Replays one run of an earlier campaign (fast-check's counterexample path, and replayPath). */
  readonly replay?: { readonly path: string; readonly replayPath?: string };
  /** Called after each generated run (not during shrinking). */
  readonly onRun?: (completedRuns: number) => void;
  /** Called with each event as it happens (campaign-events.ts): a caller's progress, statistics and partial results. */
  readonly onEvent?: (event: CampaignEvent) => void;
}

export interface FoundViolation {
  readonly violation: Violation;
  /** The shrunk, concrete commands, ending with the failing one. */
  readonly commands: readonly Command[];
  readonly seed: number;
  readonly path: string;
  readonly replayPath: string;
  /** The run's world (the campaign's, or the small scope the run drew). */
  readonly world: WorldConfig;
  readonly swarm: SwarmWeights;
  readonly hardwareSeed: number;
  readonly failureRates: FailureRates;
  /** Set when the system answered differently on replay: `commands` are then the first failing run's, unshrunk. */
  readonly nondeterminism?: Nondeterminism;
}

export interface CampaignResult {
  readonly system: string;
  readonly seed: number;
  readonly runs: number;
  /** Commands executed by the generated runs (shrinking excluded). */
  readonly commands: number;
  readonly violations: readonly FoundViolation[];
  readonly coverage: ReadonlyMap<string, number>;
  /** Runs abandoned because their history was too ambiguous to check (check `capacity`). */
  readonly abandoned: number;
  /** Their indices, where the campaign runs by index (interruptible-campaign.ts), increasing. */
  readonly abandonedRuns?: readonly number[];
}

export interface RunInput {
  /** The run's world: the campaign's, or a small scope of it (`scopeArbitrary`). */
  readonly world: WorldConfig;
  readonly swarm: SwarmWeights;
  readonly schedule: SchedulePolicy;
  readonly hardwareSeed: number;
  readonly failureRates: FailureRates;
  readonly commands: Iterable<fc.Command<RunHolder, object>>;
}

interface RunHolder {
  readonly runner: Runner;
  readonly chooser: ThreadChooser;
}

/**
 * One generated command: a template resolved against the model just before it runs (an
 * armed start is two commands, a race or a drill several).
 */
class TemplateCommand implements fc.Command<RunHolder, object> {
  private resolved: Command[] = [];

  constructor(readonly template: Template) {}

  check(holder: Readonly<RunHolder>): boolean {
    return templateApplies(this.template, threadContext(holder));
  }

  run(holder: RunHolder): void {
    this.resolved = [];
    const run = (command: Command): Outcome => {
      this.resolved.push(command);
      return holder.runner.run(command).outcome;
    };
    const host = { model: () => holder.runner.model, run, threads: () => threadContext(holder) };
    if (this.template.kind === "drill") runDrill(this.template, host);
    else if (this.template.kind === "populate" || this.template.kind === "multiply") runGrowth(this.template, host);
    else runTemplate(this.template, host);
  }

  toString(): string {
    return this.resolved.length === 0 ? JSON.stringify(this.template) : this.resolved.map((command) => JSON.stringify(command)).join(", ");
  }
}

function threadContext(holder: Readonly<RunHolder>): ThreadContext {
  const { runner } = holder;
  let places: LoanPlaces | null = null; // read from the history on first use
  return {
    pending: runner.pendingThreads(),
    operations: runner.pendingOperations(),
    chooser: holder.chooser,
    step: runner.steps.length,
    loanOrigin: (handle) => (places ??= loanPlaces(runner.steps)).origins.get(handle) ?? null,
    loanReception: (handle) => (places ??= loanPlaces(runner.steps)).receptions.get(handle) ?? null,
    families: runner.profile.families,
  };
}

interface LoanPlaces {
  readonly origins: Map<number, { pid: Pid; va: Vpn }>;
  readonly receptions: Map<number, { pid: Pid; va: Vpn }>;
}

/**
 * The page each loan handle of the run was taken from (a loan command's, or a thread's loan)
 * and where its anons were last received (a loanReceive answers the address it mapped them at).
 */
function loanPlaces(steps: readonly StepRecord[]): LoanPlaces {
  const places: LoanPlaces = { origins: new Map(), receptions: new Map() };
  const noteLoan = (outcome: Outcome, pid: Pid, va: Vpn) => {
    if (outcome.kind === "value") places.origins.set(outcome.value, { pid, va });
  };
  for (const { command, outcome, completions } of steps) {
    if (command.kind === "loan") noteLoan(outcome, command.pid, command.va);
    if (command.kind === "loanReceive" && outcome.kind === "value") places.receptions.set(command.handle, { pid: command.pid, va: vpn(outcome.value) });
    for (const { operation, outcome: finished } of completions) if (operation.kind === "loan") noteLoan(finished, operation.pid, operation.va);
  }
  return places;
}

/**
 * A run's input: its swarm, hardware seed, failure rates, scheduling policy, world and
 * templates, of the command families the system runs only (and without threads when the
 * schedule is `none`).
 */
function runArbitrary(options: CampaignOptions): fc.Arbitrary<RunInput> {
  const replayPath = options.replay?.replayPath;
  const failures = options.failures !== false;
  const families = systemProfile(options.system).families;
  const schedule = families.has("threads") ? (options.schedule ?? "mixed") : "none";
  const settings = fc.tuple(
    swarmArbitrary({ failures, threads: schedule !== "none", families }),
    fc.integer({ min: 0, max: 0x7fffffff }),
    failureRatesArbitrary(failures),
    schedulePolicyArbitrary(options.maxCommands, schedule),
  );
  const scale = options.profile === "scale";
  const scope = scale ? fc.constant(options.world) : scopeArbitrary(options.world, { memoryMayRunOut: options.contract.allowedCauses.has("memoryExhausted") });
  const templates = (swarm: SwarmWeights, world: WorldConfig): fc.Arbitrary<Template> =>
    scale
      ? fc.oneof({ arbitrary: weightedTemplateArbitrary(swarm, world, families), weight: 1 }, { arbitrary: growthArbitrary(world), weight: 1 })
      : weightedTemplateArbitrary(swarm, world, families);
  return settings.chain(([swarm, hardwareSeed, failureRates, schedule]) =>
    scope.chain((world) =>
      fc
        .commands([templates(swarm, world).map((template) => new TemplateCommand(template))], {
          maxCommands: options.maxCommands,
          size: "max",
          ...(replayPath === undefined ? {} : { replayPath }),
        })
        .map((commands): RunInput => ({ world, swarm, schedule, hardwareSeed, failureRates, commands })),
    ),
  );
}

/** `replaying`: the shrunk counterexample's last run, where the system may record diagnostics (SystemOptions). */
function newRunner(options: CampaignOptions, input: RunInput, replaying = false): Runner {
  const { world, hardwareSeed: seed, failureRates } = input;
  const system = options.system.create({ world, variant: options.variant, seed, failureRates, replaying });
  const byDefault = options.profile === "scale" ? scaleSweepEvery : null;
  const sweepEvery = replaying ? null : options.sweepEvery === undefined ? byDefault : options.sweepEvery;
  return new Runner(system, systemProfile(options.system), input.world, options.contract, input.failureRates, options.configurationLimit, sweepEvery);
}

/** One run: the generated commands, then the heal phase. Throws ViolationError. */
function runOnce(runner: Runner, input: RunInput): void {
  fc.modelRun(() => ({ model: { runner, chooser: new ThreadChooser(input.schedule) }, real: {} }), input.commands);
  runner.heal();
}

/** A campaign that cannot run at all (every run abandoned): the command line reports it in one line. */
export class CampaignError extends Error {
  override readonly name = "CampaignError";
}

/**
 * A campaign as parts: the arbitrary, the predicate fast-check runs on each input, the
 * parameters, and `finish`, which turns fast-check's result into the campaign's. runCampaign
 * runs it synchronously; interruptible-campaign.ts runs the same parts with a pause between
 * runs, so both give the same runs for the same options.
 */
export interface CampaignCheck {
  readonly arbitrary: fc.Arbitrary<RunInput>;
  readonly predicate: (input: RunInput) => void;
  readonly parameters: fc.Parameters<[RunInput]>;
  finish(result: fc.RunDetails<[RunInput]>): CampaignResult;
}

/** Requires: `options.runs` ≥ 1. Ensures: parts that, run by fast-check, are the campaign `options` describe. */
export function campaignCheck(options: CampaignOptions): CampaignCheck {
  const coverage = new Map<string, number>();
  let completedRuns = 0;
  let executed = 0;
  let shrinking = false;
  let abandoned = 0;
  let firstFailure: RecordedFailure | null = null;
  const predicate = (input: RunInput) => {
    const runner = newRunner(options, input);
    let failed: string | null = null;
    try {
      runOnce(runner, input);
    } catch (error) {
      if (error instanceof ViolationError && error.violation.check === "capacity") {
        // Too ambiguous to check (linearizer.ts, CONFIGURATION_LIMIT): not a violation and
        // not passed either. The run is abandoned, counted, and reported.
        if (!shrinking) abandoned++;
        failed = "capacity";
        if (!shrinking && options.runIndex !== undefined) return;
        fc.pre(false);
      }
      if (!shrinking && error instanceof ViolationError) {
        failed = error.violation.check;
        firstFailure = firstFailureOf(runner, input, error.violation);
        options.onEvent?.({ kind: "failure", violation: error.violation, commands: firstFailure.commands });
      }
      shrinking = true;
      throw error;
    } finally {
      // Shrinking's replays are not runs; the failing run counts only when it is the first.
      if (!shrinking || completedRuns === 0) {
        completedRuns++;
        executed += runner.steps.length;
        for (const [name, count] of runner.system.coverage()) coverage.set(name, (coverage.get(name) ?? 0) + count);
        options.onRun?.(completedRuns);
        options.onEvent?.(runEvent(runner, completedRuns, failed));
      }
    }
  };
  const parameters = campaignParameters(options);
  const finish = (result: fc.RunDetails<[RunInput]>): CampaignResult => {
    const violations: FoundViolation[] = [];
    if (result.failed && result.counterexample === null) {
      throw new CampaignError(
        `the campaign could not run: ${abandoned} of ${completedRuns} runs abandoned as too ambiguous to check (fast-check gave up after ${result.numSkips} skipped runs)`,
      );
    }
    if (result.failed && result.counterexample !== null) {
      const [input] = result.counterexample;
      violations.push(replayCounterexample(options, input, result.seed, result.counterexamplePath ?? "", firstFailure));
    }
    return { system: options.system.name, seed: options.seed, runs: completedRuns, commands: executed, violations, coverage, abandoned };
  };
  return { arbitrary: runArbitrary(options), predicate, parameters, finish };
}

/**
 * fast-check's parameters: `runs` runs from the seed; from run `startAt` on (fast-check's
 * path: the same runs, and the same counterexample path, as the whole campaign gives from
 * there); or the one run `replay` names.
 */
function campaignParameters(options: CampaignOptions): fc.Parameters<[RunInput]> {
  if (options.replay !== undefined) return { numRuns: 1, seed: options.seed, path: options.replay.path };
  if (options.runIndex !== undefined) return { numRuns: 1, ...runAddress(options.seed, options.runIndex) };
  const startAt = options.startAt ?? 0;
  if (startAt === 0) return { numRuns: options.runs, seed: options.seed };
  assert(startAt < options.runs, `campaign: startAt ${startAt} is not below runs ${options.runs}`);
  return { numRuns: options.runs - startAt, seed: options.seed, path: String(startAt) };
}

/** Ensures: deterministic for the same options; a violation replays from its concrete commands (or is marked nondeterministic). */
export function runCampaign(options: CampaignOptions): CampaignResult {
  const check = campaignCheck(options);
  return check.finish(fc.check(fc.property(check.arbitrary, check.predicate), check.parameters));
}

/** What a run's first violation leaves behind for firstFailure's replay (nondeterminism.ts). */
interface RecordedFailure extends FirstFailure {
  readonly input: RunInput;
}

function firstFailureOf(runner: Runner, input: RunInput, violation: Violation): RecordedFailure {
  const outcomes = runner.steps.map((record) => record.outcome);
  const last = runner.attempt;
  if (last !== null && last.outcome !== null && violation.step >= runner.steps.length) outcomes.push(last.outcome);
  return { input, violation, commands: failingCommands(runner.steps, violation), outcomes };
}

function runEvent(runner: Runner, completedRuns: number, failed: string | null): RunEvent {
  return {
    kind: "run",
    completedRuns,
    commands: runner.steps.length,
    outcomes: outcomeMix(runner.steps),
    coverage: Object.fromEntries(runner.system.coverage()),
    failed,
  };
}

function replaySetupOf(options: CampaignOptions, input: RunInput): ReplaySetup {
  const { system, variant, contract } = options;
  return { system, variant, contract, world: input.world, hardwareSeed: input.hardwareSeed, failures: input.failureRates };
}

/**
 * Runs the shrunk counterexample once more, recording its concrete commands and failure.
 * If it no longer fails, the first failing run's unshrunk commands are kept instead, with
 * where the system answered differently (nondeterminism.ts).
 */
function replayCounterexample(options: CampaignOptions, input: RunInput, seed: number, path: string, first: RecordedFailure | null): FoundViolation {
  const replayPath = /replayPath="([^"]*)"/.exec(String(input.commands))?.[1] ?? "";
  const runner = newRunner(options, input, true);
  let violation: Violation | null = null;
  try {
    runOnce(runner, input);
  } catch (error) {
    if (!(error instanceof ViolationError)) throw error;
    violation = error.violation;
  }
  const context = { seed, path, swarm: input.swarm };
  if (violation === null) {
    if (first === null) throw new CampaignError("the shrunk counterexample no longer fails, and no failing run was recorded (nondeterminism in the checker)");
    const nondeterminism = findNondeterminism(replaySetupOf(options, first.input), first);
    return { ...foundOn(first.input, first.violation, first.commands, context, ""), ...(nondeterminism === null ? {} : { nondeterminism }) };
  }
  return foundOn(input, violation, failingCommands(runner.steps, violation), context, replayPath);
}

function foundOn(
  input: RunInput,
  violation: Violation,
  commands: readonly Command[],
  context: { seed: number; path: string; swarm: SwarmWeights },
  replayPath: string,
): FoundViolation {
  const { world, hardwareSeed, failureRates } = input;
  return { violation, commands, seed: context.seed, path: context.path, replayPath, world, swarm: context.swarm, hardwareSeed, failureRates };
}
