//! Command templates: what the generators produce. A template names its targets by index
//! ("the 2nd live process", "the 7th mapped page of it"), and is resolved against the model's
//! state right before it runs, into a concrete vocabulary command. So shrinking can delete any
//! template and the rest still aim at things that exist; and what is recorded and stored in
//! counterexample files is the concrete command, which replays without the generators.

import { type Backing, type Command, MAX_THREADS, type Sharing, type ThreadOperation } from "../../vocabulary/command.ts";
import type { FailureKind } from "../../vocabulary/failure.ts";
import type { Advice, Inheritance, Protection } from "../../vocabulary/protection.ts";
import {
  fileId,
  filePage,
  type LoanHandle,
  loanHandle,
  pageCount,
  type Pid,
  pid,
  type ThreadId,
  threadId,
  type Vpn,
  vpn,
  wordIndex,
} from "../../vocabulary/units.ts";
import type { ModelState } from "../../model/state.ts";
import { cellAt } from "../../model/contents.ts";
import { regionEnd } from "../../model/regions.ts";
import type { DrillTemplate } from "./drills.ts";

/**
 * A page of a process: the n-th mapped page (modulo how many there are), the n-th page of
 * its anonymous memory (`anonymous`: what gets paged out to swap; the n-th mapped page if it
 * has none), the n-th page holding a private copy (`private`: the anons, which live and die,
 * swap out and in; likewise), a raw address, the page a pending thread operation works on (`racing`: to
 * change it under the operation's feet; the process is then that operation's, and without
 * one it is the n-th mapped page), or the page the n-th outstanding loan was taken from or
 * received at (`loaned`: to lend it again, write it, unmap it; the process is then the
 * lender's or the receiver's, and without one it is the n-th mapped page).
 */
export type Target =
  | { readonly mapped: number }
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
  | { readonly kind: "pageout"; readonly targetFreeFrames: number }
  | { readonly kind: "failNext"; readonly failure: FailureKind }
  | { readonly kind: "clearFailures" }
  /**
   * Start an operation on an idle thread (the idle thread with this index); with `arm`, a
   * one-shot failure of that kind is armed first (a `failNext` just before the start), so the
   * operation meets it at its first allocation, try-lock or device access and parks where the
   * failure sends it: the memory waits, back-offs and EAGAIN retries of catalog section E
   * (U3, U5, U7-U11, U13, U14, L4, L5, L8, L9), which rates alone reach a few times a campaign.
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
  /**
   * A race on one page, run as consecutive commands (catalog E.4: at each sleep point, let
   * other commands run): start `first` (armed or not); if it parked, start `second` aimed at
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

/**
 * How a run picks the thread to resume (chosen per run, like the swarm weights):
 *
 *   uniform   a pending thread uniformly at random
 *   pct       PCT (Burckhardt et al.): each thread has a random priority; the highest
 *             pending one runs, and at a few random change points the thread just resumed
 *             drops below every other
 */
export type SchedulePolicy =
  | { readonly kind: "uniform" }
  | { readonly kind: "pct"; readonly priorities: readonly number[]; readonly changePoints: readonly number[] };

/** The run-time state a policy needs, and the threads it may choose from. */
export class ThreadChooser {
  private readonly priorities: number[];
  private lowest = 0;
  private last: ThreadId | null = null;

  constructor(readonly policy: SchedulePolicy) {
    this.priorities = policy.kind === "pct" ? [...policy.priorities] : [];
  }

  /** Requires: `pending` is not empty. `step` is the index of the command being resolved. */
  choose(pending: readonly ThreadId[], pick: number, step: number): ThreadId {
    if (this.policy.kind === "uniform") return pending[pick % pending.length]!;
    if (this.last !== null && this.policy.changePoints.includes(step)) this.priorities[this.last] = --this.lowest;
    const priority = (thread: ThreadId) => this.priorities[thread] ?? 0;
    const chosen = pending.reduce((best, thread) => (priority(thread) > priority(best) ? thread : best));
    this.last = chosen;
    return chosen;
  }
}

/** What resolving a template needs besides the model: the threads and the scheduling policy. */
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
}

/** Whether `template` can run now: a start needs an idle thread, a resume or an interference a pending one. */
export function templateApplies(template: Template, threads: ThreadContext): boolean {
  if (template.kind === "start" || template.kind === "race" || template.kind === "drill") return threads.pending.length < MAX_THREADS;
  if (template.kind === "resume" || template.kind === "interfere") return threads.pending.length > 0;
  return true;
}

/** The commands that change what `operation` works on while it sleeps (catalog E: "may change meanwhile"). */
export function interferences(state: ModelState, operation: ThreadOperation, value: number, loanOrigin: ThreadContext["loanOrigin"]): Command[] {
  const reclaim: Command = { kind: "pageout", targetFreeFrames: state.world.frames };
  if ("pid" in operation && "va" in operation) {
    const { pid: process, va } = operation;
    const unmap: Command = { kind: "munmap", pid: process, va, pages: pageCount(1) };
    return [
      unmap,
      unmap,
      { kind: "mprotect", pid: process, va, pages: pageCount(1), prot: "r" },
      { kind: "write", pid: process, va, word: wordIndex(0), value },
      { kind: "fork", pid: process },
      { kind: "munlock", pid: process, va, pages: pageCount(1) },
      { kind: "loan", pid: process, va, pages: pageCount(1), to: "anon" },
      { kind: "loan", pid: process, va, pages: pageCount(1), to: "kernel" },
      ...evictionOf(state, process, va),
      reclaim,
    ];
  }
  if ("file" in operation)
    return [
      { kind: "fileEvict", file: operation.file },
      { kind: "fileWrite", file: operation.file, page: filePage(operation.page), word: wordIndex(0), value },
      reclaim,
    ];
  if ("handle" in operation) {
    // Give the loan back; or lend again, write, or evict the page it was taken from (a new
    // O->A loan of that page meets the anon the pending operation is disposing of; an
    // eviction orphans the loaned page, which an anon borrowing it then adopts).
    const origin = loanOrigin(operation.handle);
    if (origin === null) return [{ kind: "unloan", handle: operation.handle }, reclaim];
    const { pid: lender, va } = origin;
    return [
      { kind: "unloan", handle: operation.handle },
      { kind: "loan", pid: lender, va, pages: pageCount(1), to: "anon" },
      { kind: "loan", pid: lender, va, pages: pageCount(1), to: "kernel" },
      { kind: "write", pid: lender, va, word: wordIndex(0), value },
      ...evictionOf(state, lender, va),
      reclaim,
    ];
  }
  if (operation.kind === "fork") return [{ kind: "exit", pid: exitVictim(state, value) }, reclaim];
  return [reclaim];
}

/** A fileEvict of the file mapped at (pid, va), if a file is. */
function evictionOf(state: ModelState, process: Pid, va: Vpn): Command[] {
  const region = state.processes[process]?.regions.find((candidate) => candidate.start <= va && va < regionEnd(candidate));
  return region?.source.kind === "file" ? [{ kind: "fileEvict", file: region.source.file }] : [];
}

const noThreads: ThreadContext = {
  pending: [],
  operations: [],
  chooser: new ThreadChooser({ kind: "uniform" }),
  step: 0,
  loanOrigin: () => null,
  loanReception: () => null,
};

/** The (pid, va) the `index`-th pending operation with an address works on, or null if none has one. */
function racingPage(threads: ThreadContext, index: number): { pid: Pid; va: Vpn } | null {
  const pages = threads.operations.flatMap((operation) => ("pid" in operation && "va" in operation ? [{ pid: operation.pid, va: operation.va }] : []));
  return pages.length === 0 ? null : pages[index % pages.length]!;
}

/**
 * The `index`-th page an outstanding loan came from or was received at (its anons mapped
 * into a process, still shared with the handle), where a command of this run made it and
 * the process lives.
 */
function loanedPage(state: ModelState, threads: ThreadContext, index: number): { pid: Pid; va: Vpn } | null {
  const pages = Object.keys(state.loans)
    .map(Number)
    .sort((a, b) => a - b)
    .flatMap((handle) => [threads.loanOrigin(loanHandle(handle)), threads.loanReception(loanHandle(handle))])
    .filter((page) => page !== null && state.processes[page.pid] !== undefined);
  return pages.length === 0 ? null : pages[index % pages.length]!;
}

/** The process and page a template aims at: its target's, a racing operation's, or a loan's lender's. */
function aim(state: ModelState, threads: ThreadContext, process: Pid, target: Target): { pid: Pid; va: Vpn } {
  if ("racing" in target) return racingPage(threads, target.racing) ?? { pid: process, va: pageOf(state, process, { mapped: target.racing }) };
  if ("loaned" in target) return loanedPage(state, threads, target.loaned) ?? { pid: process, va: pageOf(state, process, { mapped: target.loaned }) };
  return { pid: process, va: pageOf(state, process, target) };
}

/** The live pid the index designates, or a pid that does not exist when there is none. */
function processOf(state: ModelState, index: number) {
  const pids = Object.keys(state.processes)
    .map(Number)
    .sort((a, b) => a - b);
  return pid(pids.length === 0 ? state.nextPid : pids[index % pids.length]!);
}

/** The outstanding loan the index designates, or a handle that does not exist when there is none. */
function loanOf(state: ModelState, index: number) {
  const handles = Object.keys(state.loans)
    .map(Number)
    .sort((a, b) => a - b);
  return loanHandle(handles.length === 0 ? state.nextHandle : handles[index % handles.length]!);
}

/** The outstanding loan to anons the index designates, or null when there is none. */
function anonLoanOf(state: ModelState, index: number) {
  const handles = Object.keys(state.loans)
    .map(Number)
    .filter((handle) => state.loans[handle]!.to === "anon")
    .sort((a, b) => a - b);
  return handles.length === 0 ? null : loanHandle(handles[index % handles.length]!);
}

/** The live process with mappings the index designates (any live process if none has mappings). */
function mappedProcessOf(state: ModelState, index: number) {
  const pids = Object.keys(state.processes)
    .map(Number)
    .filter((id) => state.processes[id]!.regions.length > 0)
    .sort((a, b) => a - b);
  return pids.length === 0 ? processOf(state, index) : pid(pids[index % pids.length]!);
}

/**
 * Any live process but the first ("init never exits"); with only one alive, pid 0, which no
 * process ever has. (Not the next pid: a fork pending on a thread may be about to give it to
 * its child, whose wired pages it has already copied while the parent's other threads write
 * on through their wired translations; an ESRCH for that pid would pin the fork after
 * writes its child does not see, which no atomic fork explains, and is no bug of the fork.)
 */
function exitVictim(state: ModelState, index: number) {
  const pids = Object.keys(state.processes)
    .map(Number)
    .sort((a, b) => a - b);
  if (pids.length < 2) return pid(0);
  return pid(pids[1 + (index % (pids.length - 1))]!);
}

function pageOf(state: ModelState, process: number, target: Exclude<Target, { readonly racing: number } | { readonly loaned: number }>): Vpn {
  if ("raw" in target) return vpn(target.raw);
  const regions = state.processes[process]?.regions ?? [];
  if ("private" in target) {
    const pages = regions.flatMap((region) =>
      Array.from({ length: region.pages }, (_, index) => region.start + index).filter((va) => cellAt(state, region, va) !== undefined),
    );
    return pages.length === 0 ? pageOf(state, process, { mapped: target.private }) : vpn(pages[target.private % pages.length]!);
  }
  if ("anonymous" in target) {
    const anonymous = regions.filter((region) => region.source.kind === "zero" || region.source.kind === "sharedMemory");
    if (anonymous.length === 0) return pageOf(state, process, { mapped: target.anonymous });
    const pages = anonymous.flatMap((region) => Array.from({ length: region.pages }, (_, index) => region.start + index));
    return vpn(pages[target.anonymous % pages.length]!);
  }
  const mapped: number[] = [];
  for (const region of regions) for (let va = region.start; va < regionEnd(region); va++) mapped.push(va);
  if (mapped.length === 0) return vpn(target.mapped % state.world.vaPages);
  return vpn(mapped[target.mapped % mapped.length]!);
}

/** The concrete command `template` means in `state`. Requires: `templateApplies`. */
export function resolveTemplate(template: Template, state: ModelState, threads: ThreadContext = noThreads): Command {
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
      const choices = interferences(state, operation, template.value, threads.loanOrigin);
      return choices[template.how % choices.length]!;
    }
    case "spawn":
      return { kind: "spawn" };
    case "fork":
      return { kind: "fork", pid: processOf(state, template.process) };
    case "exit":
      return { kind: "exit", pid: exitVictim(state, template.process) };
    case "mmap": {
      const backing: Backing =
        template.backing.kind === "file"
          ? { kind: "file", file: fileId(template.backing.file), offset: filePage(template.backing.offset) }
          : { kind: template.backing.kind };
      const { prot, maxprot, sharing, inherit, advice } = template;
      return { kind: "mmap", pid: processOf(state, template.process), pages: pageCount(template.pages), prot, maxprot, backing, sharing, inherit, advice };
    }
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
    case "pageout":
    case "failNext":
    case "clearFailures":
      return template;
    default: {
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
  }
}
