//! Command templates: what the generators produce. A template names its targets by index
//! ("the 2nd live process", "the 7th mapped page of it"), and is resolved against the model's
//! state right before it runs, into a concrete vocabulary command. So shrinking can delete any
//! template and the rest still aim at things that exist; and what is recorded and stored in
//! counterexample files is the concrete command, which replays without the generators.

import { type Backing, type Command, MAX_THREADS, type Sharing, type ThreadOperation } from "../../vocabulary/command.ts";
import { type CommandFamily, commandFamilies } from "../../vocabulary/command-family.ts";
import type { FailureKind } from "../../vocabulary/failure.ts";
import type { Advice, Inheritance, Protection } from "../../vocabulary/protection.ts";
import { fileId, filePage, type LoanHandle, pageCount, segmentId, type Pid, type ThreadId, threadId, type Vpn, wordIndex } from "../../vocabulary/units.ts";
import type { ModelState } from "../../model/state.ts";
import type { DrillTemplate } from "./drills.ts";
import type { GrowthTemplate } from "./growth.ts";
import { interferences } from "./interferences.ts";
import { ThreadChooser } from "./schedule.ts";
import { aim, anonLoanOf, exitVictim, loanOf, mappedProcessOf, processOf, segmentOf } from "./targets.ts";

/**
 * A page of a process: the n-th mapped page (modulo how many there are), the n-th page of
 * its anonymous memory (`anonymous`: what gets paged out to swap; the n-th mapped page if it
 * has none), the n-th page holding a private copy (`private`: the anons, which live and die,
 * swap out and in; likewise), a raw address, the page a pending thread operation works on (`racing`: to
 * change it under the operation's feet; the process is then that operation's, and without
 * one it is the n-th mapped page), or the page the n-th outstanding loan was taken from or
 * received at (`loaned`: to lend it again, write it, unmap it; the process is then the
 * lender's or the receiver's, and without one it is the n-th mapped page), or the n-th page
 * where a range crosses into a wiring edge (`edge`: a region's last page, so a range from
 * it runs on into the next region or a hole; or any page of a wired region, so a range
 * from it locks or unlocks part of it; the n-th mapped page if there is none).
 */
export type Target =
  | { readonly mapped: number }
  | { readonly edge: number }
  | { readonly raw: number }
  | { readonly racing: number }
  | { readonly anonymous: number }
  | { readonly private: number }
  | { readonly loaned: number };

export type Template =
  | { readonly kind: "spawn" }
  | { readonly kind: "fork" | "exit"; readonly process: number }
  | {
      readonly kind: "mmap";
      readonly process: number;
      readonly pages: number;
      readonly prot: Protection;
      readonly maxprot: Protection;
      readonly backing: { readonly kind: "anon" | "reserved" } | { readonly kind: "file"; readonly file: number; readonly offset: number };
      readonly sharing: Sharing;
      readonly inherit: Inheritance;
      readonly advice: Advice;
    }
  | { readonly kind: "munmap" | "mlock" | "munlock"; readonly process: number; readonly target: Target; readonly pages: number }
  | { readonly kind: "mprotect"; readonly process: number; readonly target: Target; readonly pages: number; readonly prot: Protection }
  | { readonly kind: "minherit"; readonly process: number; readonly target: Target; readonly pages: number; readonly inherit: Inheritance }
  | { readonly kind: "madvise"; readonly process: number; readonly target: Target; readonly pages: number; readonly advice: Advice }
  | { readonly kind: "read"; readonly process: number; readonly target: Target; readonly word: number }
  | { readonly kind: "write"; readonly process: number; readonly target: Target; readonly word: number; readonly value: number }
  | { readonly kind: "fileRead"; readonly file: number; readonly page: number; readonly word: number }
  | { readonly kind: "fileWrite"; readonly file: number; readonly page: number; readonly word: number; readonly value: number }
  | { readonly kind: "fileEvict"; readonly file: number }
  | { readonly kind: "loan"; readonly process: number; readonly target: Target; readonly pages: number; readonly to: "kernel" | "anon" }
  | { readonly kind: "loanFile"; readonly file: number; readonly page: number; readonly pages: number }
  | { readonly kind: "loanRead"; readonly loan: number; readonly index: number; readonly word: number }
  | { readonly kind: "loanReceive"; readonly loan: number; readonly process: number }
  | { readonly kind: "unloan"; readonly loan: number }
  /** A SysV segment: the n-th live one, or with `stale` the n-th id that names none (never made, or removed). */
  | { readonly kind: "shmget"; readonly pages: number }
  | { readonly kind: "shmat"; readonly process: number; readonly segment: number; readonly stale: boolean; readonly readOnly: boolean }
  | { readonly kind: "shmrm"; readonly segment: number; readonly stale: boolean }
  | { readonly kind: "pageout"; readonly targetFreeFrames: number }
  | { readonly kind: "failNext"; readonly failure: FailureKind }
  | { readonly kind: "clearFailures" }
  /**
   * Start an operation on an idle thread (the idle thread with this index); with `arm`, a
   * one-shot failure of that kind is armed first (a `failNext` just before the start), so the
   * operation meets it at its first allocation, try-lock or device access and parks where the
   * failure sends it: the memory waits, back-offs and EAGAIN retries among the sleep sites
   * (docs/seeds.md: U3, U5, U7-U11, U13, U14, LW4, LW5, LW8, LW9), which rates alone reach a
   * few times a campaign.
   */
  | { readonly kind: "start"; readonly thread: number; readonly operation: Template; readonly arm: FailureKind | null }
  /** Resume the parked thread the run's scheduling policy picks (`pick` is its random choice). */
  | { readonly kind: "resume"; readonly pick: number }
  /**
   * Interfere with a pending thread operation (`pick` chooses which, `how` what to do): change
   * the map under its feet (munmap, mprotect, mmap over the hole, fork), write the same page,
   * reclaim memory, evict its file, give back its loan. Without a pending operation: a read.
   */
  | { readonly kind: "interfere"; readonly pick: number; readonly how: number; readonly value: number }
  /** A sleep drill: a fresh page prepared so that an operation sleeps where its recipe says (drills.ts). */
  | DrillTemplate
  /** The scale profile's populate and multiply, several commands each (growth.ts). */
  | GrowthTemplate
  /**
   * A race on one page, run as consecutive commands (at each sleep point, let other commands
   * run): start `first` (armed or not); if it parked, start `second` aimed at
   * its page, apply `interferences` to it, and maybe resume it. The parts are what `start`,
   * `interfere` and `resume` do; together they put the interference inside the sleep it is
   * meant for, which separate commands do a few times a campaign (races.ts).
   */
  | {
      readonly kind: "race";
      readonly first: StartTemplate;
      readonly second: Template | null;
      readonly interferences: readonly RaceInterference[];
      readonly resume: boolean;
      readonly cold: boolean;
    };

export type StartTemplate = Extract<Template, { readonly kind: "start" }>;
export type RaceInterference = { readonly how: number; readonly value: number };

/** What resolving a template needs besides the model: the threads, the scheduling policy, the system's families. */
export interface ThreadContext {
  readonly pending: readonly ThreadId[];
  /** The operations of the pending threads, in `pending` order (in a race's context, only the first's: `raceContext`). */
  readonly operations: readonly ThreadOperation[];
  readonly chooser: ThreadChooser;
  readonly step: number;
  /** The page a loan handle was taken from (pid and first page), if a loan command of this run made it. */
  readonly loanOrigin: (handle: LoanHandle) => { readonly pid: Pid; readonly va: Vpn } | null;
  /** Where a loan handle's anons were received (pid and first page), if a loanReceive of this run mapped them. */
  readonly loanReception: (handle: LoanHandle) => { readonly pid: Pid; readonly va: Vpn } | null;
  /** The command families the system under test runs: interferences of no other family are made. */
  readonly families: ReadonlySet<CommandFamily>;
}

/** Whether `template` can run now: a start needs an idle thread, a resume or an interference a pending one. */
export function templateApplies(template: Template, threads: ThreadContext): boolean {
  if (template.kind === "start" || template.kind === "race" || template.kind === "drill") return threads.pending.length < MAX_THREADS;
  if (template.kind === "resume" || template.kind === "interfere") return threads.pending.length > 0;
  return true;
}

const noThreads: ThreadContext = {
  pending: [],
  operations: [],
  chooser: new ThreadChooser({ kind: "uniform" }),
  step: 0,
  loanOrigin: () => null,
  loanReception: () => null,
  families: new Set(commandFamilies),
};

/** The concrete command `template` means in `state`. Requires: `templateApplies`. */
export function resolveTemplate(template: Template, state: ModelState, threads: ThreadContext = noThreads): Command {
  switch (template.kind) {
    case "start":
    case "drill":
    case "race":
    case "resume":
    case "interfere":
      return resolveThreadTemplate(template, state, threads);
    case "spawn":
      return { kind: "spawn" };
    case "fork":
      return { kind: "fork", pid: processOf(state, template.process) };
    case "exit":
      return { kind: "exit", pid: exitVictim(state, template.process) };
    case "mmap":
      return resolveMmap(template, state);
    case "populate":
    case "multiply":
      throw new Error(`a ${template.kind} runs as several commands (growth.ts runGrowth), not one`);
    case "read":
    case "write":
    case "fileRead":
    case "fileWrite":
    case "fileEvict":
      return resolveAccess(template, state, threads);
    case "loanFile":
    case "loanRead":
    case "loanReceive":
    case "unloan":
      return resolveLoan(template, state);
    case "shmget":
      return { kind: "shmget", pages: pageCount(template.pages) };
    case "shmat":
      return {
        kind: "shmat",
        pid: processOf(state, template.process),
        segment: segmentId(segmentOf(state, template.segment, template.stale)),
        readOnly: template.readOnly,
      };
    case "shmrm":
      return { kind: "shmrm", segment: segmentId(segmentOf(state, template.segment, template.stale)) };
    case "pageout":
    case "failNext":
    case "clearFailures":
      return template;
    default:
      return resolveRange(template, state, threads);
  }
}

function resolveThreadTemplate(
  template: Extract<Template, { readonly kind: "start" | "drill" | "race" | "resume" | "interfere" }>,
  state: ModelState,
  threads: ThreadContext,
): Command {
  switch (template.kind) {
    case "start": {
      const idle = Array.from({ length: MAX_THREADS }, (_, index) => threadId(index + 1)).filter((thread) => !threads.pending.includes(thread));
      return { kind: "start", thread: idle[template.thread % idle.length]!, operation: resolveTemplate(template.operation, state, threads) as ThreadOperation };
    }
    case "drill":
      throw new Error("a drill runs as several commands (drills.ts runDrill), not one");
    case "race": // its first command; the campaign resolves the follow-ups one by one
      return resolveTemplate(template.first, state, threads);
    case "resume":
      return { kind: "resume", thread: threads.chooser.choose(threads.pending, template.pick, threads.step) };
    case "interfere": {
      const operation = threads.operations[template.pick % threads.operations.length]!;
      const choices = interferences(state, operation, template.value, threads.loanOrigin, threads.families);
      return choices[template.how % choices.length]!;
    }
  }
}

function resolveMmap(template: Extract<Template, { readonly kind: "mmap" }>, state: ModelState): Command {
  const backing: Backing =
    template.backing.kind === "file"
      ? { kind: "file", file: fileId(template.backing.file), offset: filePage(template.backing.offset) }
      : { kind: template.backing.kind };
  const { prot, maxprot, sharing, inherit, advice } = template;
  return { kind: "mmap", pid: processOf(state, template.process), pages: pageCount(template.pages), prot, maxprot, backing, sharing, inherit, advice };
}

function resolveAccess(
  template: Extract<Template, { readonly kind: "read" | "write" | "fileRead" | "fileWrite" | "fileEvict" }>,
  state: ModelState,
  threads: ThreadContext,
): Command {
  switch (template.kind) {
    case "read":
    case "write": {
      const { pid: process, va } = aim(state, threads, mappedProcessOf(state, template.process), template.target);
      const word = wordIndex(template.word);
      return template.kind === "read" ? { kind: "read", pid: process, va, word } : { kind: "write", pid: process, va, word, value: template.value };
    }
    case "fileRead":
      return { kind: "fileRead", file: fileId(template.file), page: filePage(template.page), word: wordIndex(template.word) };
    case "fileWrite":
      return { kind: "fileWrite", file: fileId(template.file), page: filePage(template.page), word: wordIndex(template.word), value: template.value };
    case "fileEvict":
      return { kind: "fileEvict", file: fileId(template.file) };
  }
}

function resolveLoan(template: Extract<Template, { readonly kind: "loanFile" | "loanRead" | "loanReceive" | "unloan" }>, state: ModelState): Command {
  switch (template.kind) {
    case "loanFile":
      return { kind: "loanFile", file: fileId(template.file), page: filePage(template.page), pages: pageCount(template.pages) };
    case "loanRead": {
      const handle = loanOf(state, template.loan);
      const length = state.loans[handle]?.pages.length ?? 1;
      return { kind: "loanRead", handle, index: template.index % length, word: wordIndex(template.word) };
    }
    case "loanReceive": // a loan to anons where there is one (a kernel loan can only be refused)
      return { kind: "loanReceive", handle: anonLoanOf(state, template.loan) ?? loanOf(state, template.loan), pid: processOf(state, template.process) };
    case "unloan":
      return { kind: "unloan", handle: loanOf(state, template.loan) };
  }
}

/** A command on a page range (a loan of pages is one too), aimed and clipped to the address space. */
function resolveRange(
  template: Extract<Template, { readonly kind: "munmap" | "mlock" | "munlock" | "mprotect" | "minherit" | "madvise" | "loan" }>,
  state: ModelState,
  threads: ThreadContext,
): Command {
  const { pid: process, va } = aim(state, threads, processOf(state, template.process), template.target);
  const range = { pid: process, va, pages: pageCount(Math.max(1, Math.min(template.pages, state.world.vaPages - va))) };
  switch (template.kind) {
    case "munmap":
    case "mlock":
    case "munlock":
      return { kind: template.kind, ...range };
    case "mprotect":
      return { kind: "mprotect", ...range, prot: template.prot };
    case "minherit":
      return { kind: "minherit", ...range, inherit: template.inherit };
    case "madvise":
      return { kind: "madvise", ...range, advice: template.advice };
    case "loan":
      return { kind: "loan", ...range, to: template.to };
  }
}
