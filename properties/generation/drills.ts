//! Sleep drills: a race on one page built from its own setup, so that a thread sleeps at a
//! chosen kind of sleep site (docs/seeds.md) and the other commands land inside that sleep.
//!
//! The races at the sleep sites need three or four things to coincide on one page: a page in the
//! right state (loaned, swapped out, not resident, about to run out of memory), an operation
//! that sleeps on it at the right point, and, before it wakes, a command that changes what the
//! sleeper holds unlocked. Separate random commands made each such coincidence less than once
//! in 4000 runs (measured for the seed bugs that need one). A drill makes the first two by
//! construction: it maps a fresh page, prepares
//! it by a recipe, and starts an operation on it that must sleep where the recipe says;
//! what happens during the sleep (a second operation on the page, one or two interferences, a
//! resume or not) is still random. A recipe names a sleep site, never a bug.
//!
//! | recipe      | setup of the fresh page                       | the started operation sleeps in       |
//! |-------------|-----------------------------------------------|---------------------------------------|
//! | fileFault   | a file mapping (maybe touched; write-only for an mlock of an untouched private page, another page mapped while it sleeps), its file evicted | the vnode read (U12), or a busy wait |
//! | swapIn      | anonymous, written, maybe forked (the child exits once the operation sleeps), then everything paged out | the swap-in (U6, uao_get swap read)   |
//! | memoryWait  | untouched, a file page cached; the next frame allocation fails | uvm_wait (flt_noram*, uao_get) |
//! | pmapFailure | read (mapped read-only); the next pmap_enter fails | flt_pmfail1/2, after a promotion |
//! | loanedPage  | maybe touched, lent (maybe received); a try-lock fails next | uvm_anon_lockloanpg (U3), LW8-LW9 |
//! | unloan      | maybe touched, lent; a try-lock fails next, unloan | the anon's disposal (U3), LW8    |
//!
//! Four more recipes prepare a rare state around their pages rather than a sleep (their
//! thread may sleep or not): a path that needs it runs a few times a campaign at most without
//! them, so a slip there would go unnoticed.
//!
//! | recipe      | setup                                          | the started operation, the path      |
//! |-------------|------------------------------------------------|---------------------------------------|
//! | sharedAmap  | two private file pages inherited shared, forked, the other sharer mapping the second; pmap_enter maybe failing next | a write of the second page: its promotion into the shared amap (F:2072-2077), then maybe flt_pmfail2 |
//! | orphan      | a file page lent to an anon, received, lent to the kernel, its file evicted; a try-lock maybe failing next | the kernel loan given back: the anon adopts the orphan (L:1012-1017), maybe after L8 |
//! | reactivate  | two pages MADV_SEQUENTIAL: the second's fault deactivates the first, which is read again; the page daemon runs | the daemon's second chance; then any operation on the first page |
//! | wired       | three pages wired, the middle one maybe PROT_NONE, part of them unlocked | munlock's clips, unwiring a page without translation; then any operation on the last page |
//!
//! A shared anonymous page is a SysV shm segment's where the system runs `sysvShm` (its aobj's
//! pager paths: uao_get's swap read and memory wait), else a MAP_SHARED|MAP_ANON page.
//! Untouched, a private anonymous page is lent as the zero page (owned by the zero-page
//! object), a segment's as its aobj's page, a file page as the vnode's: the O->A loans whose
//! pages uvm_anon_lockloanpg must lock the object of.
//!
//! A drill is one template (so shrinking deletes it whole) that runs as consecutive commands;
//! each is recorded like any other, so a counterexample replays without this file. A recipe
//! or an operation needs the command families its commands belong to (`drillRecipeFamilies`,
//! `drillOperationFamily`); a system without them never gets that drill.

import type { Command } from "../../vocabulary/command.ts";
import { MAX_THREADS, type ThreadOperation } from "../../vocabulary/command.ts";
import type { CommandFamily } from "../../vocabulary/command-family.ts";
import type { Outcome } from "../../vocabulary/outcome.ts";
import { type ThreadId, threadId } from "../../vocabulary/units.ts";
import type { ModelState } from "../../model/state.ts";
import { operationOn, prepare } from "./drill-setups.ts";
import { interferences } from "./interferences.ts";
import type { ThreadContext } from "./templates.ts";

export const drillRecipes = [
  "fileFault",
  "swapIn",
  "memoryWait",
  "pmapFailure",
  "loanedPage",
  "unloan",
  "sharedAmap",
  "orphan",
  "reactivate",
  "wired",
] as const;
type DrillRecipe = (typeof drillRecipes)[number];

/** The families a recipe's setup needs besides the core and threads (an armed failure needs `machine`, and is armed only where there is one). */
export const drillRecipeFamilies: Readonly<Record<DrillRecipe, readonly CommandFamily[]>> = {
  fileFault: ["files"],
  swapIn: ["machine"],
  memoryWait: ["files"],
  pmapFailure: [],
  loanedPage: ["loans"],
  unloan: ["loans"],
  sharedAmap: [],
  orphan: ["loans", "files"],
  reactivate: ["machine"],
  wired: [],
};

/** What a drill's thread does to the page: the page operations of threads (one page each). */
export const drillOperations = ["read", "write", "mlock", "loanKernel", "loanAnon"] as const;
export type DrillOperation = (typeof drillOperations)[number];

/** The families an operation needs besides the core and threads. */
export const drillOperationFamily: Readonly<Record<DrillOperation, readonly CommandFamily[]>> = {
  read: [],
  write: [],
  mlock: [],
  loanKernel: ["loans"],
  loanAnon: ["loans"],
};

/** How the setup touches the fresh page first: not at all (a loan then lends the zero page, or the object's), a read, a write (an anon of its own). */
export const drillTouches = ["none", "read", "write"] as const;
export type DrillTouch = (typeof drillTouches)[number];

export interface DrillTemplate {
  readonly kind: "drill";
  readonly recipe: DrillRecipe;
  /** The live process (by index) that maps the page. */
  readonly process: number;
  /** A shared mapping (else private); file-backed where the recipe allows (else anonymous). */
  readonly shared: boolean;
  readonly file: { readonly file: number; readonly offset: number } | null;
  readonly touch: DrillTouch;
  /** The first thread's operation (for `unloan`, what the setup lends with: loanKernel or loanAnon). */
  readonly operation: DrillOperation;
  /** loanedPage: the loan is to anons and received by the process, and the operation aims at the received page. */
  readonly received: boolean;
  /** A second thread's operation on the same page, started while the first sleeps. */
  readonly second: DrillOperation | null;
  /** Indices into the interferences aimed at the sleeper (templates.ts `interferences`). */
  readonly interferences: readonly number[];
  readonly resume: boolean;
  /**
   * Whether the recipe may arm a one-shot failure (a run whose swarm injects `failNext`);
   * without, memoryWait and the loan recipes rely on the run's failure rates to sleep.
   */
  readonly arms: boolean;
  /** wired: the middle page is made PROT_NONE before the unlock. */
  readonly protectNone: boolean;
  /** wired: which part of the three wired pages is unlocked (drill-setups.ts `unlockedParts`). */
  readonly unlock: number;
  /** Afterwards, if nobody sleeps on it any more: unmap the pages, return the setup's loans (and exit a forked child). */
  readonly cleanup: boolean;
  readonly value: number;
}

/** What a drill needs of the run it is part of. */
export interface DrillHost {
  readonly model: () => ModelState;
  readonly run: (command: Command) => Outcome;
  readonly threads: () => ThreadContext;
}

/** Runs a drill's commands; stops early where a step fails (the page could not be mapped, lent, …) or the sleeper woke. */
export function runDrill(drill: DrillTemplate, host: DrillHost): void {
  const prepared = prepare(drill, host);
  if (prepared === null) return;
  const { first } = prepared;
  const sleeper = start(host, first);
  if (sleeper === null) return;
  const sleeping = () => host.threads().pending.includes(sleeper);
  for (const command of prepared.asleep ?? []) if (sleeping()) host.run(command);
  if (sleeping() && drill.second !== null) start(host, operationOn(drill.second, prepared.second, drill.value));
  for (const how of drill.interferences) {
    if (!sleeping()) break;
    const threads = host.threads();
    const choices = interferences(host.model(), first, drill.value, threads.loanOrigin, threads.families);
    host.run(choices[how % choices.length]!);
  }
  if (drill.resume && sleeping()) host.run({ kind: "resume", thread: sleeper });
  if (!drill.cleanup || host.threads().pending.length > 0) return;
  for (const command of prepared.cleanup) {
    if (command.kind === "unloan" && host.model().loans[command.handle] === undefined) continue;
    host.run(command);
  }
}

/** Starts `operation` on the first idle thread; that thread, or null if none is idle. */
function start(host: DrillHost, operation: ThreadOperation): ThreadId | null {
  const pending = host.threads().pending;
  const idle = Array.from({ length: MAX_THREADS }, (_, index) => threadId(index + 1)).find((thread) => !pending.includes(thread));
  if (idle === undefined) return null;
  host.run({ kind: "start", thread: idle, operation });
  return idle;
}
