//! fast-check arbitraries for the thread templates: a start (maybe armed with a one-shot
//! failure), a race, a sleep drill, a resume, an interference; the operations threads run;
//! and the scheduling policies a run draws.
//!
//! Only what the system under test runs is drawn: a thread operation of a family it lacks
//! (a loan, a file read) is never started, and a drill whose recipe needs one never runs.

import fc from "fast-check";
import { MAX_THREADS, type ThreadOperationKind, threadOperationKinds } from "../../vocabulary/command.ts";
import { type CommandFamily, familyOf } from "../../vocabulary/command-family.ts";
import type { FailureKind } from "../../vocabulary/failure.ts";
import type { WorldConfig } from "../../vocabulary/world.ts";
import { commandTemplateArbitrary, process, value } from "./command-arbitraries.ts";
import { type DrillTemplate, drillOperationFamily, drillOperations, drillRecipeFamilies, drillRecipes, drillTouches } from "./drills.ts";
import type { SchedulePolicy } from "./schedule.ts";
import type { StartTemplate, Target, Template } from "./templates.ts";

/**
 * The failure an armed start arms: mostly what sends a thread to sleep without an error (a
 * contended try-lock: U3, LW8, LW9; a missing frame: the memory waits), sometimes what sends
 * it back to retry (EAGAIN, pmap_enter) or fails its I/O.
 */
const armedFailure = fc.constantFrom<FailureKind>(
  "lockContention",
  "lockContention",
  "lockContention",
  "frameAllocation",
  "frameAllocation",
  "frameAllocation",
  "backingAgain",
  "pmapEnter",
  "swapRead",
  "backingRead",
);

/** A start; with `unarmed` (a run whose swarm injects `failNext`), armed once in `unarmed` + 1. */
function startArbitrary(world: WorldConfig, unarmed: number | null, families: ReadonlySet<CommandFamily>): fc.Arbitrary<StartTemplate> {
  const arm = unarmed === null ? fc.constant(null) : fc.oneof({ arbitrary: fc.constant(null), weight: unarmed }, { arbitrary: armedFailure, weight: 1 });
  return fc
    .record({ thread: fc.nat(MAX_THREADS - 1), operation: threadOperationArbitrary(world, families), arm })
    .map((start): StartTemplate => ({ kind: "start", ...start }));
}

/**
 * The template arbitrary for a thread template kind. With `arms` (a run whose swarm injects
 * `failNext`), a third of the thread starts are armed (templates.ts).
 */
export function threadTemplateArbitrary(
  kind: "start" | "race" | "drill" | "resume" | "interfere",
  world: WorldConfig,
  arms: boolean,
  families: ReadonlySet<CommandFamily>,
): fc.Arbitrary<Template> {
  switch (kind) {
    case "start":
      return startArbitrary(world, arms ? 2 : null, families);
    case "race":
      return fc
        .record({
          first: startArbitrary(world, arms ? 1 : null, families),
          second: fc.option(
            threadOperationArbitrary(world, families).map((operation) => threadTemplate(operation, { racing: 0 })),
            { freq: 2 },
          ),
          interferences: fc.array(fc.record({ how: fc.nat(11), value }), { maxLength: 2 }),
          resume: fc.boolean(),
          cold: fc.boolean(),
        })
        .map((race): Template => ({ kind, ...race }));
    case "drill":
      return drillArbitrary(world, arms, families);
    case "resume":
      return fc.nat(MAX_THREADS * 4).map((pick): Template => ({ kind, pick }));
    case "interfere":
      return fc.record({ pick: fc.nat(MAX_THREADS * 4), how: fc.nat(11), value }).map((interfere): Template => ({ kind, ...interfere }));
  }
}

/** How often each operation is started on a thread. */
const threadOperationWeight: Readonly<Record<ThreadOperationKind, number>> = {
  read: 6,
  write: 6,
  fileRead: 2,
  fileWrite: 2,
  loan: 3,
  loanFile: 2,
  loanRead: 1,
  unloan: 2,
  mlock: 2,
  fork: 2,
};

/**
 * An operation for a thread, of a family the system runs. A loan on a thread lends one page:
 * uvm_loan lends page by page with the map unlocked in between (LW1), so a longer loan racing
 * with writes may take a snapshot that no single instant had, which the model (one atomic
 * loan) cannot explain.
 */
function threadOperationArbitrary(world: WorldConfig, families: ReadonlySet<CommandFamily>): fc.Arbitrary<Template> {
  const page = fc.nat(4 * world.vaPages);
  const aimed = fc.oneof(
    fc.constant(null),
    page.map((index): Target => ({ private: index })),
    page.map((index): Target => ({ racing: index })),
    page.map((index): Target => ({ loaned: index })),
  );
  return fc.oneof(
    ...threadOperationKinds
      .filter((kind) => families.has(familyOf(kind)))
      .map((kind) => ({
        arbitrary: fc.tuple(commandTemplateArbitrary(kind, world), aimed).map(([template, target]) => threadTemplate(template, target)),
        weight: threadOperationWeight[kind],
      })),
  );
}

/**
 * A template for a thread: a loan or an mlock of one page (both handle a range page by page,
 * dropping their locks in between, so a longer one racing with writes can end up with
 * pages of different instants, which no atomic step explains). Three quarters of the
 * operations on pages are aimed: at private copies, the anons that swap out and in and
 * borrow loaned pages (an operation sleeping in a swap-in or in uvm_anon_lockloanpg is where
 * most of the sleep sites of docs/seeds.md are), at the page another pending thread works on
 * (the races between two faults of one page), or at a page an outstanding loan was taken
 * from or received at (where faults meet loans).
 */
function threadTemplate(template: Template, target: Target | null): Template {
  const sized = template.kind === "loan" || template.kind === "mlock" ? { ...template, pages: 1 } : template;
  if (target !== null && "target" in sized) return { ...sized, target };
  return sized;
}

/**
 * Which scheduling policies a campaign draws from (`uvmcheck run --schedule`): `mixed` is
 * uniform half the runs and PCT the other half; `none` runs no threads at all.
 */
export type ScheduleChoice = "mixed" | "uniform" | "pct" | "none";
export const scheduleChoices: readonly ScheduleChoice[] = ["mixed", "uniform", "pct", "none"];

/** A run's scheduling policy: uniform, or PCT with random priorities and two change points, as `choice` allows. */
export function schedulePolicyArbitrary(maxCommands: number, choice: ScheduleChoice = "mixed"): fc.Arbitrary<SchedulePolicy> {
  const uniform = fc.constant<SchedulePolicy>({ kind: "uniform" });
  const pct = fc
    .record({
      priorities: fc.shuffledSubarray([1, 2, 3], { minLength: MAX_THREADS, maxLength: MAX_THREADS }),
      changePoints: fc.uniqueArray(fc.nat(Math.max(0, maxCommands - 1)), { minLength: 2, maxLength: 2 }),
    })
    .map(({ priorities, changePoints }): SchedulePolicy => ({ kind: "pct", priorities: [0, ...priorities], changePoints }));
  if (choice === "pct") return pct;
  if (choice === "mixed") return fc.oneof(uniform, pct);
  return uniform;
}

/**
 * How often each drill recipe comes up: the sleeps as often as the rare states whose setup
 * often fails (orphan needs a loan, a reception and a second loan; wired three free pages),
 * twice as often as the others (sharedAmap, reactivate), which reach their path most tries.
 */
const drillRecipeWeight: Readonly<Record<DrillTemplate["recipe"], number>> = {
  fileFault: 2,
  swapIn: 2,
  memoryWait: 2,
  pmapFailure: 2,
  loanedPage: 2,
  unloan: 2,
  sharedAmap: 1,
  orphan: 2,
  reactivate: 1,
  wired: 2,
};

/**
 * A sleep drill (drills.ts): a recipe, the page's mapping, the sleeper's operation, what runs
 * during its sleep; only recipes and operations whose commands the system runs.
 */
function drillArbitrary(world: WorldConfig, arms: boolean, families: ReadonlySet<CommandFamily>): fc.Arbitrary<Template> {
  const runs = (needed: readonly CommandFamily[]) => needed.every((family) => families.has(family));
  const operation = fc.constantFrom(...drillOperations.filter((choice) => runs(drillOperationFamily[choice])));
  return fc
    .record({
      recipe: fc.oneof(
        ...drillRecipes
          .filter((recipe) => runs(drillRecipeFamilies[recipe]))
          .map((recipe) => ({ arbitrary: fc.constant(recipe), weight: drillRecipeWeight[recipe] })),
      ),
      process,
      shared: fc.boolean(),
      file: fc.option(fc.record({ file: fc.nat(world.files - 1), offset: fc.nat(world.filePages - 1) })),
      touch: fc.constantFrom(...drillTouches),
      operation,
      received: fc.boolean(),
      second: fc.option(operation, { freq: 2 }),
      interferences: fc.array(fc.nat(11), { minLength: 1, maxLength: 2 }),
      resume: fc.boolean(),
      protectNone: fc.boolean(),
      unlock: fc.nat(3),
      cleanup: fc.boolean(),
      value,
    })
    .map((drill): DrillTemplate => ({ kind: "drill", ...drill, arms }));
}
