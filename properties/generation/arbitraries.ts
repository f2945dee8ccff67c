//! fast-check arbitraries for command templates, with swarm testing: each run draws its own
//! weight per command kind, some of them zero, so that runs differ in character (a run with
//! no exits and many forks builds deep sharing; one with no mmaps of files stresses
//! anonymous memory; and so on).

import fc from "fast-check";
import { type CommandKind, commandKinds, MAX_THREADS, type ThreadOperationKind, threadOperationKinds } from "../../vocabulary/command.ts";
import { type FailureKind, type FailureRates, failureKinds } from "../../vocabulary/failure.ts";
import type { Advice, Inheritance, Protection } from "../../vocabulary/protection.ts";
import { writeValueMax, type WorldConfig } from "../../vocabulary/world.ts";
import { type DrillTemplate, drillOperations, drillRecipes, drillTouches } from "./drills.ts";
import type { SchedulePolicy, StartTemplate, Target, Template } from "./templates.ts";

/** Every command kind has a template kind of the same name; `interfere` resolves to one of several. */
export type TemplateKind = CommandKind | "interfere" | "race" | "drill";
export const templateKinds: readonly TemplateKind[] = [...commandKinds, "interfere", "race", "drill"];

export type SwarmWeights = Readonly<Record<TemplateKind, number>>;

/** How often each kind comes up when it is switched on. */
const baseWeight: SwarmWeights = {
  spawn: 1,
  fork: 3,
  exit: 1,
  mmap: 9,
  munmap: 3,
  mprotect: 2,
  minherit: 2,
  madvise: 1,
  mlock: 2,
  munlock: 1,
  read: 10,
  write: 10,
  fileRead: 2,
  fileWrite: 3,
  fileEvict: 3,
  loan: 5,
  loanFile: 2,
  loanRead: 3,
  loanReceive: 3,
  unloan: 3,
  pageout: 12,
  failNext: 2,
  clearFailures: 1,
  start: 8,
  resume: 8,
  interfere: 8,
  race: 8,
  drill: 16,
};

/** Kinds that inject device failures: off in a campaign without failures. */
const failureCommands: ReadonlySet<TemplateKind> = new Set(["failNext", "clearFailures"]);

/** Kinds that schedule threads: off where only sequential histories are wanted (diff, bench). */
const threadCommands: ReadonlySet<TemplateKind> = new Set(["start", "resume", "interfere", "race", "drill"]);

/** Kinds a run always keeps (without them nothing happens). */
const alwaysOn: ReadonlySet<TemplateKind> = new Set(["mmap", "read", "write"]);

/**
 * A swarm configuration: each optional kind is off with probability 1/4, else scaled by 1-3.
 * Half the runs are sequential (no start, resume or interfere), so threads do not dilute the
 * sequential paths; in the other half all three are on. Without `failures` no
 * failNext/clearFailures; without `threads` every run is sequential.
 */
export function swarmArbitrary(options: { readonly failures?: boolean; readonly threads?: boolean } = {}): fc.Arbitrary<SwarmWeights> {
  const threaded = options.threads === false ? fc.constant(false) : fc.boolean();
  return threaded.chain((withThreads) => {
    const off = (kind: TemplateKind) => (options.failures === false && failureCommands.has(kind)) || (!withThreads && threadCommands.has(kind));
    const entries = templateKinds.map((kind) => {
      const someScale = fc.integer({ min: 1, max: 3 });
      const on = alwaysOn.has(kind) || threadCommands.has(kind);
      const scale = off(kind) ? fc.constant(0) : on ? someScale : fc.oneof(fc.constant(0), someScale, someScale, someScale);
      return [kind, scale.map((factor) => factor * baseWeight[kind])] as const;
    });
    return fc.record(Object.fromEntries(entries) as Record<TemplateKind, fc.Arbitrary<number>>);
  });
}

/**
 * A run's world: the campaign's, or (half the runs) a small scope of it: one file of two
 * pages, four pages of address space, two processes, three frames, two swap slots (each
 * capped by the campaign's; memory kept as it is where it must not run out). In a small world
 * the commands meet on the same pages, memory runs out, and a sleeping thread's page is the
 * one the next command touches: the races of catalog section E, which need two or three
 * events on one page inside one sleep, show there (the small-scope hypothesis).
 */
export function scopeArbitrary(world: WorldConfig, options: { readonly memoryMayRunOut: boolean }): fc.Arbitrary<WorldConfig> {
  const small: WorldConfig = {
    ...world,
    files: Math.min(world.files, 1),
    filePages: Math.min(world.filePages, 2),
    vaPages: Math.min(world.vaPages, 4),
    maxProcesses: Math.min(world.maxProcesses, 2),
    ...(options.memoryMayRunOut ? { frames: Math.min(world.frames, 3), swapSlots: Math.min(world.swapSlots, 2) } : {}),
  };
  return fc.constantFrom(world, small);
}

/**
 * Per-run device failure rates: a third of the runs inject none; otherwise each kind is off
 * three times in four, else fails with probability 2%, 10% or 30%. Lock contention, which
 * no caller sees (a try-lock that fails backs off and retries), is on half the time: the
 * back-offs open the windows where another thread changes what a sleeper holds unlocked
 * (uvm_anon_lockloanpg, the loan try-locks).
 */
export function failureRatesArbitrary(failures: boolean): fc.Arbitrary<FailureRates> {
  if (!failures) return fc.constant({});
  const some = fc.constantFrom(0.02, 0.1, 0.3);
  const rare = fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0), some);
  const rate = (kind: FailureKind) => (kind === "lockContention" ? fc.oneof(fc.constant(0), some) : rare);
  const rates = fc.record(Object.fromEntries(failureKinds.map((kind) => [kind, rate(kind)])) as Record<FailureKind, fc.Arbitrary<number>>);
  return fc.oneof(
    fc.constant({}),
    rates.map((chosen) => Object.fromEntries(Object.entries(chosen).filter(([, value]) => value > 0)) as FailureRates),
    rates.map((chosen) => Object.fromEntries(Object.entries(chosen).filter(([, value]) => value > 0)) as FailureRates),
  );
}

const protection = fc.constantFrom<Protection>("rw", "rw", "rw", "rw", "rw", "r", "r", "w", "none");
const maxProtection = fc.constantFrom<Protection>("rw", "rw", "rw", "rw", "rw", "rw", "r", "w", "none");
const inheritance = fc.constantFrom<Inheritance>("copy", "copy", "share", "none");
const advice = fc.constantFrom<Advice>("normal", "normal", "random", "sequential");

function targetArbitrary(world: WorldConfig): fc.Arbitrary<Target> {
  return fc.oneof(
    { arbitrary: fc.nat(4 * world.vaPages).map((mapped): Target => ({ mapped })), weight: 9 },
    { arbitrary: fc.nat(world.vaPages + 1).map((raw): Target => ({ raw })), weight: 1 },
    { arbitrary: fc.nat(4 * world.vaPages).map((racing): Target => ({ racing })), weight: 6 },
    { arbitrary: fc.nat(4 * world.vaPages).map((anonymous): Target => ({ anonymous })), weight: 3 },
    { arbitrary: fc.nat(4 * world.vaPages).map((pages): Target => ({ private: pages })), weight: 4 },
    { arbitrary: fc.nat(4 * world.vaPages).map((loaned): Target => ({ loaned })), weight: 4 },
  );
}

/** Mostly valid word indices, occasionally one past the end (EINVAL). */
function wordArbitrary(world: WorldConfig): fc.Arbitrary<number> {
  return fc.oneof({ arbitrary: fc.nat(world.pageWords - 1), weight: 30 }, { arbitrary: fc.constant(world.pageWords), weight: 1 });
}

const process = fc.nat(7);
const value = fc.integer({ min: 1, max: writeValueMax });

function mmapArbitrary(world: WorldConfig): fc.Arbitrary<Template> {
  const pages = fc.integer({ min: 1, max: Math.min(6, world.filePages) });
  return fc
    .record({
      process,
      pages,
      maxprot: maxProtection,
      prot: protection,
      file: fc.option(fc.record({ file: fc.nat(world.files - 1), offset: fc.nat(world.filePages - 1) }), { freq: 2 }),
      reserved: fc.integer({ min: 0, max: 24 }),
      shared: fc.boolean(),
      inherit: fc.option(inheritance, { freq: 3 }),
      advice,
      loose: fc.integer({ min: 0, max: 19 }),
    })
    .map(({ process, pages, maxprot, prot, file, reserved, shared, inherit, advice, loose }): Template => {
      const withinMax = loose === 0 ? prot : maxprotAllows(maxprot, prot);
      const anonymous = reserved === 0 ? ({ kind: "reserved" } as const) : ({ kind: "anon" } as const);
      const backing = file === null ? anonymous : { kind: "file" as const, file: file.file, offset: Math.min(file.offset, world.filePages - pages) };
      const sharing = shared ? "shared" : "private";
      return { kind: "mmap", process, pages, prot: withinMax, maxprot, backing, sharing, inherit: inherit ?? (shared ? "share" : "copy"), advice };
    });
}

/** `wanted` narrowed to what `max` allows (mostly keeps the request legal). */
function maxprotAllows(max: Protection, wanted: Protection): Protection {
  const read = wanted.includes("r") && max.includes("r");
  const write = wanted.includes("w") && max.includes("w");
  return read && write ? "rw" : read ? "r" : write ? "w" : "none";
}

function rangeArbitrary(world: WorldConfig) {
  return fc.record({ process, target: targetArbitrary(world), pages: fc.integer({ min: 1, max: 4 }) });
}

/** A start; with `unarmed` (a run whose swarm injects `failNext`), armed once in `unarmed` + 1. */
function startArbitrary(world: WorldConfig, unarmed: number | null): fc.Arbitrary<StartTemplate> {
  const arm = unarmed === null ? fc.constant(null) : fc.oneof({ arbitrary: fc.constant(null), weight: unarmed }, { arbitrary: armedFailure, weight: 1 });
  return fc
    .record({ thread: fc.nat(MAX_THREADS - 1), operation: threadOperationArbitrary(world), arm })
    .map((start): StartTemplate => ({ kind: "start", ...start }));
}

/**
 * The failure an armed start arms: mostly what sends a thread to sleep without an error (a
 * contended try-lock: U3, L8, L9; a missing frame: the memory waits), sometimes what sends it
 * back to retry (EAGAIN, pmap_enter) or fails its I/O.
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

/**
 * The template arbitrary for one kind. With `arms` (a run whose swarm injects `failNext`), a
 * third of the thread starts are armed (templates.ts).
 */
export function templateArbitrary(kind: TemplateKind, world: WorldConfig, arms = false): fc.Arbitrary<Template> {
  switch (kind) {
    case "spawn":
      return fc.constant({ kind: "spawn" });
    case "fork":
    case "exit":
      return process.map((index): Template => ({ kind, process: index }));
    case "mmap":
      return mmapArbitrary(world);
    case "munmap":
    case "mlock":
    case "munlock":
      return rangeArbitrary(world).map((range): Template => ({ kind, ...range }));
    case "mprotect":
      return fc.tuple(rangeArbitrary(world), protection).map(([range, prot]): Template => ({ kind, ...range, prot }));
    case "minherit":
      return fc.tuple(rangeArbitrary(world), inheritance).map(([range, inherit]): Template => ({ kind, ...range, inherit }));
    case "madvise":
      return fc.tuple(rangeArbitrary(world), advice).map(([range, choice]): Template => ({ kind, ...range, advice: choice }));
    case "read":
      return fc.record({ process, target: targetArbitrary(world), word: wordArbitrary(world) }).map((read): Template => ({ kind, ...read }));
    case "write":
      return fc.record({ process, target: targetArbitrary(world), word: wordArbitrary(world), value }).map((write): Template => ({ kind, ...write }));
    case "fileRead":
      return fc
        .record({ file: fc.nat(world.files - 1), page: fc.nat(world.filePages - 1), word: wordArbitrary(world) })
        .map((read): Template => ({ kind, ...read }));
    case "fileWrite":
      return fc
        .record({ file: fc.nat(world.files - 1), page: fc.nat(world.filePages - 1), word: wordArbitrary(world), value })
        .map((write): Template => ({ kind, ...write }));
    case "fileEvict":
      return fc.nat(world.files - 1).map((file): Template => ({ kind, file }));
    case "loan":
      return fc
        .record({ process, target: targetArbitrary(world), pages: fc.integer({ min: 1, max: 3 }), to: fc.constantFrom("kernel" as const, "anon" as const) })
        .map((loan): Template => ({ kind, ...loan }));
    case "loanFile":
      return fc
        .record({ file: fc.nat(world.files - 1), page: fc.nat(world.filePages - 1), pages: fc.integer({ min: 1, max: 3 }) })
        .map(({ file, page, pages }): Template => ({ kind, file, page: Math.min(page, world.filePages - pages), pages }));
    case "loanRead":
      return fc.record({ loan: fc.nat(7), index: fc.nat(7), word: wordArbitrary(world) }).map((read): Template => ({ kind, ...read }));
    case "loanReceive":
      return fc.record({ loan: fc.nat(7), process }).map((receive): Template => ({ kind, ...receive }));
    case "unloan":
      return fc.nat(7).map((loan): Template => ({ kind, loan }));
    case "pageout": // half the time everything reclaimable goes: anon pages to swap
      return fc
        .oneof(fc.constant(world.frames), fc.integer({ min: Math.floor(world.frames / 4), max: world.frames }))
        .map((targetFreeFrames): Template => ({ kind, targetFreeFrames }));
    case "failNext":
      return fc.constantFrom(...failureKinds).map((failure): Template => ({ kind, failure }));
    case "clearFailures":
      return fc.constant({ kind });
    case "start":
      return startArbitrary(world, arms ? 2 : null);
    case "race":
      return fc
        .record({
          first: startArbitrary(world, arms ? 1 : null),
          second: fc.option(
            threadOperationArbitrary(world).map((operation) => threadTemplate(operation, { racing: 0 })),
            { freq: 2 },
          ),
          interferences: fc.array(fc.record({ how: fc.nat(11), value }), { maxLength: 2 }),
          resume: fc.boolean(),
          cold: fc.boolean(),
        })
        .map((race): Template => ({ kind, ...race }));
    case "drill":
      return drillArbitrary(world, arms);
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
 * An operation for a thread. A loan on a thread lends one page: uvm_loan lends page by page
 * with the map unlocked in between (L1), so a longer loan racing with writes may take a
 * snapshot that no single instant had, which the model (one atomic loan) cannot explain.
 */
function threadOperationArbitrary(world: WorldConfig): fc.Arbitrary<Template> {
  const page = fc.nat(4 * world.vaPages);
  const aimed = fc.oneof(
    fc.constant(null),
    page.map((index): Target => ({ private: index })),
    page.map((index): Target => ({ racing: index })),
    page.map((index): Target => ({ loaned: index })),
  );
  return fc.oneof(
    ...threadOperationKinds.map((kind) => ({
      arbitrary: fc.tuple(templateArbitrary(kind, world), aimed).map(([template, target]) => threadTemplate(template, target)),
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
 * most of catalog section E happens), at the page another pending thread works on (the races
 * between two faults of one page), or at a page an outstanding loan was taken from or
 * received at (where faults meet loans).
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

/** One arbitrary over every switched-on kind, weighted by the run's swarm weights. */
export function weightedTemplateArbitrary(weights: SwarmWeights, world: WorldConfig): fc.Arbitrary<Template> {
  const arms = weights.failNext > 0;
  const choices = templateKinds.filter((kind) => weights[kind] > 0).map((kind) => ({ arbitrary: templateArbitrary(kind, world, arms), weight: weights[kind] }));
  return fc.oneof(...choices);
}

/** A sleep drill (drills.ts): a recipe, the page's mapping, the sleeper's operation, what runs during its sleep. */
function drillArbitrary(world: WorldConfig, arms: boolean): fc.Arbitrary<Template> {
  const operation = fc.constantFrom(...drillOperations);
  return fc
    .record({
      recipe: fc.constantFrom(...drillRecipes),
      process,
      shared: fc.boolean(),
      file: fc.option(fc.record({ file: fc.nat(world.files - 1), offset: fc.nat(world.filePages - 1) })),
      touch: fc.constantFrom(...drillTouches),
      operation,
      received: fc.boolean(),
      second: fc.option(operation, { freq: 2 }),
      interferences: fc.array(fc.nat(11), { minLength: 1, maxLength: 2 }),
      resume: fc.boolean(),
      cleanup: fc.boolean(),
      value,
    })
    .map((drill): DrillTemplate => ({ kind: "drill", ...drill, arms }));
}
