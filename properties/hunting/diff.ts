//! Differential checking: do two systems under test behave the same? Typically the faithful
//! implementation (A) against a refactored one, or the same one with a variant switched on (B).
//!
//! The command sequences are the campaign's (swarm weights per run, templates resolved
//! against the model just before they run), without threads: the comparison is per command,
//! so every command runs to completion on thread 0. Only commands of the families both
//! systems run are generated; the result names the optional families left out, and the
//! model grants the allowances of either side. Each sequence drives A, B and the model in lockstep
//! (properties/checking/lockstep.ts). fast-check looks for a sequence on which A and B diverge and
//! shrinks it; the shrunk sequence is then run once more to record its concrete commands up
//! to the first divergent one, and the concrete prefix is replayed a last time to confirm
//! that A and B agree on every command before the index and differ at it.
//!
//! Everything is seeded: the same options give the same runs and the same divergence. A run
//! on which A and B both throw ends there (their states are no longer comparable); it is
//! counted, not reported as a divergence. So does, unless `strict`, a run on which A and B
//! answer differently where the model allows both answers (a *specified choice*: the
//! specification is nondeterministic there, e.g. one side ran out of memory, or a device
//! failure hit a different read because one side reads ahead): the first is named in the result.

import fc from "fast-check";
import type { Command } from "../../vocabulary/command.ts";
import { type CommandFamily, coreFamilies, commandFamilies } from "../../vocabulary/command-family.ts";
import type { SystemFactory } from "../../vocabulary/system-under-test.ts";
import { type SystemProfile, sharedProfile, systemProfile } from "../../vocabulary/system-profile.ts";
import type { WorldConfig } from "../../vocabulary/world.ts";
import { type SwarmWeights, swarmArbitrary, weightedTemplateArbitrary } from "../generation/arbitraries.ts";
import { Lockstep, type LockstepDivergence } from "../checking/lockstep.ts";
import type { Contract } from "../checking/runner.ts";
import { resolveTemplate, type Template } from "../generation/templates.ts";
import { pause, type StopSignal, stopWhenAsked } from "./interruptible-campaign.ts";

/** One side of a diff: a system, the variant switched on, and the spec that named them. */
export interface DiffSide {
  readonly system: SystemFactory;
  readonly variant: string | null;
  readonly spec: string;
}

export interface DiffOptions {
  readonly a: DiffSide;
  readonly b: DiffSide;
  readonly world: WorldConfig;
  readonly runs: number;
  readonly seed: number;
  readonly maxCommands: number;
  readonly contract: Contract;
  /** Called after each generated run (not during shrinking). */
  readonly onRun?: (completedRuns: number) => void;
  /** Report a divergence the model allows on both sides too, instead of ending the run there. */
  readonly strict?: boolean;
}

/** Where A and B first answered differently within what the model allows both (a specified choice). */
export interface SpecifiedChoice {
  readonly index: number;
  readonly command: Command;
  readonly kind: "outcome" | "observation";
  readonly a: string;
  readonly b: string;
}

export interface FoundDivergence extends LockstepDivergence {
  /** The shrunk, concrete commands, ending with the divergent one (at `index`). */
  readonly commands: readonly Command[];
  readonly seed: number;
  /** fast-check's counterexample path. */
  readonly path: string;
  readonly hardwareSeed: number;
  readonly swarm: SwarmWeights;
}

export interface DiffResult {
  readonly a: string;
  readonly b: string;
  readonly seed: number;
  readonly runs: number;
  /** Commands run on both sides by the generated runs (shrinking excluded). */
  readonly commands: number;
  /** Generated runs that ended because A and B both threw. */
  readonly runsEndedByBothThrowing: number;
  /** Generated runs that ended at a specified choice (never with `strict`), and the first of them. */
  readonly runsEndedBySpecifiedChoice: number;
  readonly firstSpecifiedChoice: SpecifiedChoice | null;
  /** The optional families (threads aside: a diff runs none) that A or B lacks, so neither was given. */
  readonly familiesLeftOut: readonly FamilyLeftOut[];
  readonly divergence: FoundDivergence | null;
}

/** A command family a diff did not generate, and which side lacks it. */
export interface FamilyLeftOut {
  readonly family: CommandFamily;
  readonly missingFrom: "A" | "B" | "both";
}

/** What A and B share: the families both run, the allowances either has. */
function diffProfile(options: Pick<DiffOptions, "a" | "b">): SystemProfile {
  return sharedProfile(systemProfile(options.a.system), systemProfile(options.b.system));
}

/** The optional families, but threads, that A or B lacks. */
export function familiesLeftOut(a: SystemProfile, b: SystemProfile): FamilyLeftOut[] {
  return commandFamilies
    .filter((family) => family !== "threads" && !coreFamilies.includes(family))
    .filter((family) => !a.families.has(family) || !b.families.has(family))
    .map((family) => ({ family, missingFrom: a.families.has(family) ? "B" : b.families.has(family) ? "A" : "both" }));
}

interface RunInput {
  readonly swarm: SwarmWeights;
  readonly hardwareSeed: number;
  readonly templates: readonly Template[];
}

interface RunResult {
  readonly commands: readonly Command[];
  readonly divergence: LockstepDivergence | null;
  readonly bothThrew: boolean;
  readonly choice: SpecifiedChoice | null;
}

function runArbitrary(options: DiffOptions): fc.Arbitrary<RunInput> {
  const families = diffProfile(options).families;
  return fc
    .tuple(swarmArbitrary({ threads: false, families }), fc.integer({ min: 0, max: 0x7fffffff }))
    .chain(([swarm, hardwareSeed]) =>
      fc
        .array(weightedTemplateArbitrary(swarm, options.world, families), { maxLength: options.maxCommands, size: "max" })
        .map((templates): RunInput => ({ swarm, hardwareSeed, templates })),
    );
}

/** A fresh lockstep: both sides created on the same world and hardware seed. */
function newLockstep(options: Pick<DiffOptions, "a" | "b" | "world" | "contract">, hardwareSeed: number): Lockstep {
  const create = (side: DiffSide) => side.system.create({ world: options.world, variant: side.variant, seed: hardwareSeed });
  return new Lockstep(create(options.a), create(options.b), options.world, options.contract, diffProfile(options).allowances);
}

/** Runs one generated sequence: each template resolved against the model, then stepped. */
function runTemplates(options: DiffOptions, input: RunInput): RunResult {
  const lockstep = newLockstep(options, input.hardwareSeed);
  for (const template of input.templates) {
    const command = resolveTemplate(template, lockstep.model);
    const result = lockstep.step(command);
    if (result.kind === "diverged" && result.divergence.modelAgrees === "both" && options.strict !== true) {
      const { index, kind, a, b } = result.divergence;
      return { commands: lockstep.commands, divergence: null, bothThrew: false, choice: { index, command, kind, a, b } };
    }
    if (result.kind === "diverged") return { commands: [...lockstep.commands, command], divergence: result.divergence, bothThrew: false, choice: null };
    if (result.kind === "bothThrew") return { commands: lockstep.commands, divergence: null, bothThrew: true, choice: null };
  }
  return { commands: lockstep.commands, divergence: null, bothThrew: false, choice: null };
}

/**
 * Runs `commands` (concrete, e.g. a reported counterexample) on A, B and the model.
 * Ensures: `agreed` is the number of commands A and B agreed on before `divergence` (all of
 * them when it is null).
 */
export function compareCommands(
  options: Pick<DiffOptions, "a" | "b" | "world" | "contract">,
  hardwareSeed: number,
  commands: readonly Command[],
): { readonly agreed: number; readonly divergence: LockstepDivergence | null } {
  const lockstep = newLockstep(options, hardwareSeed);
  for (const command of commands) {
    const result = lockstep.step(command);
    if (result.kind === "diverged") return { agreed: lockstep.commands.length, divergence: result.divergence };
    if (result.kind === "bothThrew") break;
  }
  return { agreed: lockstep.commands.length, divergence: null };
}

/** The diff campaign. Ensures: a reported divergence replays from its concrete commands. */
/** The diff as a fast-check property: its arbitrary, the predicate of one run, and the result of a check. */
function diffCheck(options: DiffOptions) {
  let completedRuns = 0;
  let executed = 0;
  let runsEndedByBothThrowing = 0;
  let runsEndedBySpecifiedChoice = 0;
  let firstSpecifiedChoice: SpecifiedChoice | null = null;
  let shrinking = false;
  const predicate = (input: RunInput): boolean => {
    const result = runTemplates(options, input);
    if (!shrinking) {
      completedRuns++;
      executed += result.commands.length;
      if (result.bothThrew) runsEndedByBothThrowing++;
      if (result.choice !== null) runsEndedBySpecifiedChoice++;
      firstSpecifiedChoice ??= result.choice;
      options.onRun?.(completedRuns);
    }
    if (result.divergence !== null) shrinking = true;
    return result.divergence === null;
  };
  const finish = (outcome: fc.RunDetails<[RunInput]>): DiffResult => {
    let divergence: FoundDivergence | null = null;
    if (outcome.failed && outcome.counterexample !== null) {
      const [input] = outcome.counterexample;
      divergence = confirmCounterexample(options, input, outcome.counterexamplePath ?? "");
    } else if (outcome.failed) {
      throw new Error(`the diff property failed without a counterexample: ${outcome.errorInstance ?? "unknown error"}`);
    }
    const a = options.a.spec;
    const b = options.b.spec;
    const leftOut = familiesLeftOut(systemProfile(options.a.system), systemProfile(options.b.system));
    return { a, b, seed: options.seed, runs: completedRuns, commands: executed, runsEndedByBothThrowing, runsEndedBySpecifiedChoice, firstSpecifiedChoice, familiesLeftOut: leftOut, divergence };
  };
  return { arbitrary: runArbitrary(options), predicate, finish, parameters: { numRuns: options.runs, seed: options.seed } };
}

export function runDiff(options: DiffOptions): DiffResult {
  const check = diffCheck(options);
  return check.finish(fc.check(fc.property(check.arbitrary, check.predicate), check.parameters));
}

/**
 * runDiff with a turn of the event loop before each run, so a signal handler can ask it to
 * stop. Ensures: runDiff's result when never asked; otherwise the runs done so far (and a
 * divergence shrunk as far as it got), `interrupted` true.
 */
export async function runDiffInterruptibly(options: DiffOptions, stop: StopSignal): Promise<DiffResult & { readonly interrupted: boolean }> {
  const check = diffCheck(options);
  const property = fc.asyncProperty(check.arbitrary, async (input) => {
    await pause();
    return stop.requested() || check.predicate(input);
  });
  const details = await fc.check(property, { ...check.parameters, plugins: [stopWhenAsked<RunInput>(stop)] });
  return { ...check.finish(details as fc.RunDetails<[RunInput]>), interrupted: details.interrupted };
}

/** Re-runs the shrunk input, then replays its concrete prefix to confirm the index. */
function confirmCounterexample(options: DiffOptions, input: RunInput, path: string): FoundDivergence {
  const rerun = runTemplates(options, input);
  const divergence = rerun.divergence;
  if (divergence === null) throw new Error("the shrunk diff counterexample no longer diverges (nondeterminism in a system or the checker)");
  const commands = rerun.commands.slice(0, divergence.index + 1);
  const replay = compareCommands(options, input.hardwareSeed, commands);
  if (replay.divergence === null || replay.divergence.index !== divergence.index || replay.agreed !== divergence.index) {
    throw new Error(`the concrete prefix does not reproduce the divergence at command ${divergence.index} (nondeterminism in a system)`);
  }
  return { ...divergence, commands, seed: options.seed, path, hardwareSeed: input.hardwareSeed, swarm: input.swarm };
}
