//! A checking campaign: many randomized runs of the command sequences fast-check generates
//! (fc.commands, swarm weights and device failure rates per run), each checked step by step
//! by a Runner and ended by a heal phase (failures off, loans returned, processes exited, no
//! leaks). On the first
//! violation fast-check shrinks the sequence; the campaign then replays the shrunk sequence
//! once more to record the concrete commands and the exact failure, which is what a
//! counterexample file stores.
//!
//! Everything is seeded: the same options give the same runs, the same counterexample and
//! the same coverage.

import fc from "fast-check";
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
import { type Contract, Runner, type StepRecord, type Violation, ViolationError } from "../checking/runner.ts";
import { runTemplate } from "../generation/races.ts";
import { type SchedulePolicy, ThreadChooser } from "../generation/schedule.ts";
import { type Template, type ThreadContext, templateApplies } from "../generation/templates.ts";

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
  /** Inject device failures: per-run rates drawn by swarm, and failNext commands (default true). */
  readonly failures?: boolean;
  /** Replays one run of an earlier campaign (fast-check's counterexample path, and replayPath). */
  readonly replay?: { readonly path: string; readonly replayPath?: string };
  /** Called after each generated run (not during shrinking). */
  readonly onRun?: (completedRuns: number) => void;
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
}

interface RunInput {
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
  return settings.chain(([swarm, hardwareSeed, failureRates, schedule]) =>
    scopeArbitrary(options.world, { memoryMayRunOut: options.contract.allowedCauses.has("memoryExhausted") }).chain((world) =>
      fc
        .commands([weightedTemplateArbitrary(swarm, world, families).map((template) => new TemplateCommand(template))], {
          maxCommands: options.maxCommands,
          size: "max",
          ...(replayPath === undefined ? {} : { replayPath }),
        })
        .map((commands): RunInput => ({ world, swarm, schedule, hardwareSeed, failureRates, commands })),
    ),
  );
}

function newRunner(options: CampaignOptions, input: RunInput): Runner {
  const system = options.system.create({ world: input.world, variant: options.variant, seed: input.hardwareSeed, failureRates: input.failureRates });
  return new Runner(system, systemProfile(options.system), input.world, options.contract, input.failureRates, options.configurationLimit);
}

/** One run: the generated commands, then the heal phase. Throws ViolationError. */
function runOnce(runner: Runner, input: RunInput): void {
  fc.modelRun(() => ({ model: { runner, chooser: new ThreadChooser(input.schedule) }, real: {} }), input.commands);
  runner.heal();
}

export function runCampaign(options: CampaignOptions): CampaignResult {
  const coverage = new Map<string, number>();
  let completedRuns = 0;
  let executed = 0;
  let shrinking = false;
  let abandoned = 0;
  const property = fc.property(runArbitrary(options), (input) => {
    const runner = newRunner(options, input);
    try {
      runOnce(runner, input);
    } catch (error) {
      if (error instanceof ViolationError && error.violation.check === "capacity") {
        // Too ambiguous to check (linearizer.ts, CONFIGURATION_LIMIT): not a violation and
        // not passed either. The run is abandoned, counted, and reported.
        if (!shrinking) abandoned++;
        fc.pre(false);
      }
      shrinking = true;
      throw error;
    } finally {
      if (!shrinking || completedRuns === 0) {
        completedRuns++;
        executed += runner.steps.length;
        for (const [name, count] of runner.system.coverage()) coverage.set(name, (coverage.get(name) ?? 0) + count);
        options.onRun?.(completedRuns);
      }
    }
  });
  const parameters =
    options.replay === undefined ? { numRuns: options.runs, seed: options.seed } : { numRuns: 1, seed: options.seed, path: options.replay.path };
  const result = fc.check(property, parameters);
  const violations: FoundViolation[] = [];
  if (result.failed && result.counterexample === null) {
    throw new Error(
      `the campaign could not run: ${abandoned} of ${completedRuns} runs abandoned as too ambiguous to check (fast-check gave up after ${result.numSkips} skipped runs)`,
    );
  }
  if (result.failed && result.counterexample !== null) {
    const [input] = result.counterexample;
    violations.push(replayCounterexample(options, input, result.seed, result.counterexamplePath ?? ""));
  }
  return { system: options.system.name, seed: options.seed, runs: completedRuns, commands: executed, violations, coverage, abandoned };
}

/** Runs the shrunk counterexample once more, recording its concrete commands and failure. */
function replayCounterexample(options: CampaignOptions, input: RunInput, seed: number, path: string): FoundViolation {
  const replayPath = /replayPath="([^"]*)"/.exec(String(input.commands))?.[1] ?? "";
  const runner = newRunner(options, input);
  let violation: Violation | null = null;
  try {
    runOnce(runner, input);
  } catch (error) {
    if (!(error instanceof ViolationError)) throw error;
    violation = error.violation;
  }
  if (violation === null) throw new Error("the shrunk counterexample no longer fails (nondeterminism in the system or the checker)");
  const executed = runner.steps.map((record) => record.command);
  const commands = violation.check === "healed" ? executed : [...executed, violation.command];
  return {
    violation,
    commands,
    seed,
    path,
    replayPath,
    world: input.world,
    swarm: input.swarm,
    hardwareSeed: input.hardwareSeed,
    failureRates: input.failureRates,
  };
}
