//! fast-check arbitraries for a run's templates, with swarm testing: each run draws its own
//! weight per command kind, some of them zero, so that runs differ in character (a run with
//! no exits and many forks builds deep sharing; one with no mmaps of files stresses
//! anonymous memory; and so on). A kind of a command family the system under test lacks
//! always weighs zero. Also: a run's world (the small scope) and its device failure rates.
//!
//! The per-kind arbitraries: command-arbitraries.ts (plain commands), thread-arbitraries.ts
//! (starts, races, drills, resumes, interferences, scheduling policies).

import fc from "fast-check";
import { type CommandKind, commandKinds } from "../../vocabulary/command.ts";
import { type CommandFamily, commandFamilies, familyOf } from "../../vocabulary/command-family.ts";
import { type FailureKind, type FailureRates, failureKinds } from "../../vocabulary/failure.ts";
import type { WorldConfig } from "../../vocabulary/world.ts";
import { commandTemplateArbitrary } from "./command-arbitraries.ts";
import type { Template } from "./templates.ts";
import { threadTemplateArbitrary } from "./thread-arbitraries.ts";

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
  shmget: 3,
  shmat: 6,
  shmrm: 2,
  pageout: 12,
  failNext: 2,
  clearFailures: 1,
  start: 8,
  resume: 8,
  interfere: 8,
  race: 8,
  drill: 22,
};

/** Kinds that inject device failures: off in a campaign without failures. */
const failureCommands: ReadonlySet<TemplateKind> = new Set(["failNext", "clearFailures"]);

/** Kinds that schedule threads: off where only sequential histories are wanted (diff, bench). */
const threadCommands: ReadonlySet<TemplateKind> = new Set(["start", "resume", "interfere", "race", "drill"]);

/** Kinds a run always keeps (without them nothing happens). */
const alwaysOn: ReadonlySet<TemplateKind> = new Set(["mmap", "read", "write"]);

const allFamilies: ReadonlySet<CommandFamily> = new Set(commandFamilies);

/** The command family of a template kind: its command's; a race, drill or interference is a thread's. */
function templateFamily(kind: TemplateKind): CommandFamily {
  return kind === "interfere" || kind === "race" || kind === "drill" ? "threads" : familyOf(kind);
}

export interface SwarmOptions {
  /** failNext and clearFailures may be drawn (default true). */
  readonly failures?: boolean;
  /** Thread templates may be drawn (default true). */
  readonly threads?: boolean;
  /** The command families of the system under test (default all): no other kind is drawn. */
  readonly families?: ReadonlySet<CommandFamily>;
}

/**
 * A swarm configuration: each optional kind is off with probability 1/4, else scaled by 1-3.
 * Half the runs are sequential (no start, resume or interfere), so threads do not dilute the
 * sequential paths; in the other half all three are on. Without `failures` no
 * failNext/clearFailures; without `threads` every run is sequential; a kind outside
 * `families` weighs zero.
 */
export function swarmArbitrary(options: SwarmOptions = {}): fc.Arbitrary<SwarmWeights> {
  const threaded = options.threads === false ? fc.constant(false) : fc.boolean();
  const families = options.families ?? allFamilies;
  return threaded.chain((withThreads) => {
    const off = (kind: TemplateKind) =>
      (options.failures === false && failureCommands.has(kind)) || (!withThreads && threadCommands.has(kind)) || !families.has(templateFamily(kind));
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
 * one the next command touches: the races at the sleep sites (docs/seeds.md), which need two
 * or three events on one page inside one sleep, show there (the small-scope hypothesis).
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

/** The template arbitrary for one kind. With `arms` (a run whose swarm injects `failNext`), a third of the thread starts are armed. */
function templateArbitrary(kind: TemplateKind, world: WorldConfig, arms: boolean, families: ReadonlySet<CommandFamily>): fc.Arbitrary<Template> {
  switch (kind) {
    case "start":
    case "race":
    case "drill":
    case "resume":
    case "interfere":
      return threadTemplateArbitrary(kind, world, arms, families);
    default:
      return commandTemplateArbitrary(kind, world);
  }
}

/**
 * One arbitrary over every switched-on kind, weighted by the run's swarm weights; the thread
 * templates draw only operations and drills of `families` (the system's; default all).
 */
export function weightedTemplateArbitrary(weights: SwarmWeights, world: WorldConfig, families: ReadonlySet<CommandFamily> = allFamilies): fc.Arbitrary<Template> {
  const arms = weights.failNext > 0;
  const choices = templateKinds.filter((kind) => weights[kind] > 0).map((kind) => ({ arbitrary: templateArbitrary(kind, world, arms, families), weight: weights[kind] }));
  return fc.oneof(...choices);
}
