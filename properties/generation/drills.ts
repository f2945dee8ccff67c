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
//! | fileFault   | a file mapping (maybe touched), its file evicted | the vnode read (U12), or a busy wait |
//! | swapIn      | anonymous, written, then everything paged out | the swap-in (U6, uao_get swap read)   |
//! | memoryWait  | untouched, a file page cached; the next frame allocation fails | uvm_wait (flt_noram*, uao_get) |
//! | pmapFailure | read (mapped read-only); the next pmap_enter fails | flt_pmfail1/2, after a promotion |
//! | loanedPage  | maybe touched, lent (maybe received); a try-lock fails next | uvm_anon_lockloanpg (U3), LW8-LW9 |
//! | unloan      | maybe touched, lent; a try-lock fails next, unloan | the anon's disposal (U3), LW8    |
//!
//! Untouched, a private anonymous page is lent as the zero page (owned by the zero-page
//! object), a shared one as its aobj's page, a file page as the vnode's: the O->A loans whose
//! pages uvm_anon_lockloanpg must lock the object of.
//!
//! A drill is one template (so shrinking deletes it whole) that runs as consecutive commands;
//! each is recorded like any other, so a counterexample replays without this file. A recipe
//! or an operation needs the command families its commands belong to (`drillRecipeFamilies`,
//! `drillOperationFamily`); a system without them never gets that drill.

import type { Command, Sharing, ThreadOperation } from "../../vocabulary/command.ts";
import { MAX_THREADS } from "../../vocabulary/command.ts";
import type { CommandFamily } from "../../vocabulary/command-family.ts";
import type { Outcome } from "../../vocabulary/outcome.ts";
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
import { interferences } from "./interferences.ts";
import type { ThreadContext } from "./templates.ts";

export const drillRecipes = ["fileFault", "swapIn", "memoryWait", "pmapFailure", "loanedPage", "unloan"] as const;
type DrillRecipe = (typeof drillRecipes)[number];

/** The families a recipe's setup needs besides the core and threads (an armed failure needs `machine`, and is armed only where there is one). */
export const drillRecipeFamilies: Readonly<Record<DrillRecipe, readonly CommandFamily[]>> = {
  fileFault: ["files"],
  swapIn: ["machine"],
  memoryWait: ["files"],
  pmapFailure: [],
  loanedPage: ["loans"],
  unloan: ["loans"],
};

/** What a drill's thread does to the page: the page operations of threads (one page each). */
export const drillOperations = ["read", "write", "mlock", "loanKernel", "loanAnon"] as const;
type DrillOperation = (typeof drillOperations)[number];

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
type DrillTouch = (typeof drillTouches)[number];

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
  /** Afterwards, if nobody sleeps on it any more: unmap the page and return the setup's loan. */
  readonly cleanup: boolean;
  readonly value: number;
}

/** What a drill needs of the run it is part of. */
export interface DrillHost {
  readonly model: () => ModelState;
  readonly run: (command: Command) => Outcome;
  readonly threads: () => ThreadContext;
}

/** The fresh page a drill maps, and the loan its setup made (if any). */
interface Prepared {
  readonly owner: Pid;
  /** The mapped page. */
  readonly origin: Page;
  /** The page the operation aims at: the mapped one, or where a received loan landed. */
  readonly page: Page;
  readonly handle: LoanHandle | null;
}

interface Page {
  readonly pid: Pid;
  readonly va: Vpn;
}

/** Runs a drill's commands; stops early where a step fails (the page could not be mapped, lent, …) or the sleeper woke. */
export function runDrill(drill: DrillTemplate, host: DrillHost): void {
  const prepared = prepare(drill, host);
  if (prepared === null) return;
  const { owner, origin, page, handle } = prepared;
  const first = drill.recipe === "unloan" && handle !== null ? ({ kind: "unloan", handle } as const) : operationOn(drill.operation, page, drill.value);
  const sleeper = start(host, first);
  if (sleeper === null) return;
  const sleeping = () => host.threads().pending.includes(sleeper);
  if (sleeping() && drill.second !== null) start(host, operationOn(drill.second, drill.recipe === "unloan" ? origin : page, drill.value));
  for (const how of drill.interferences) {
    if (!sleeping()) break;
    const threads = host.threads();
    const choices = interferences(host.model(), first, drill.value, threads.loanOrigin, threads.families);
    host.run(choices[how % choices.length]!);
  }
  if (drill.resume && sleeping()) host.run({ kind: "resume", thread: sleeper });
  if (drill.cleanup && host.threads().pending.length === 0) {
    if (handle !== null && host.model().loans[handle] !== undefined) host.run({ kind: "unloan", handle });
    host.run({ kind: "munmap", pid: owner, va: origin.va, pages: pageCount(1) });
  }
}

/** The setup: a fresh page mapped and prepared by the recipe; null where a step failed (or no thread is idle). */
function prepare(drill: DrillTemplate, host: DrillHost): Prepared | null {
  const processes = Object.keys(host.model().processes)
    .map(Number)
    .sort((a, b) => a - b);
  if (processes.length === 0 || host.threads().pending.length >= MAX_THREADS) return null;
  const owner = pid(processes[drill.process % processes.length]!);
  const world = host.model().world;
  const file = drill.recipe === "fileFault" ? (drill.file ?? { file: 0, offset: 0 }) : drill.recipe === "swapIn" ? null : drill.file;
  const backing =
    file === null
      ? { kind: "anon" as const }
      : { kind: "file" as const, file: fileId(file.file % world.files), offset: filePage(file.offset % world.filePages) };
  const sharing: Sharing = drill.shared ? "shared" : "private";
  const inherit = drill.shared ? "share" : "copy";
  const mapped = host.run({ kind: "mmap", pid: owner, pages: pageCount(1), prot: "rw", maxprot: "rw", backing, sharing, inherit, advice: "normal" });
  if (mapped.kind !== "value") return null;
  const origin = { pid: owner, va: vpn(mapped.value) };
  const touch = (how: DrillTouch) =>
    how === "none" ||
    host.run(
      how === "read"
        ? { kind: "read", pid: owner, va: origin.va, word: wordIndex(0) }
        : { kind: "write", pid: owner, va: origin.va, word: wordIndex(0), value: drill.value },
    ).kind !== "error";
  switch (drill.recipe) {
    case "fileFault":
      if (!touch(drill.touch)) return null;
      host.run({ kind: "fileEvict", file: backing.kind === "file" ? backing.file : fileId(0) });
      return { owner, origin, page: origin, handle: null };
    case "swapIn":
      if (!touch("write")) return null;
      host.run({ kind: "pageout", targetFreeFrames: world.frames });
      return { owner, origin, page: origin, handle: null };
    case "memoryWait": {
      // uvm_wait only where the page daemon has something to reclaim (else ENOMEM at once):
      // a clean file page, read in now.
      const cached = drill.file ?? { file: 0, offset: 0 };
      host.run({ kind: "fileRead", file: fileId(cached.file % world.files), page: filePage(cached.offset % world.filePages), word: wordIndex(0) });
      // Two failures: the first a loan meets is its locked pgo_get's, which gives up without waiting.
      if (drill.arms) for (let armed = 0; armed < 2; armed++) host.run({ kind: "failNext", failure: "frameAllocation" });
      return { owner, origin, page: origin, handle: null };
    }
    case "pmapFailure":
      // Mapped read-only first, so a write fault promotes (a copy-on-write) before it maps.
      if (!touch("read")) return null;
      if (drill.arms) host.run({ kind: "failNext", failure: "pmapEnter" });
      return { owner, origin, page: origin, handle: null };
    case "loanedPage":
    case "unloan":
      return touch(drill.touch) ? lend(drill, host, owner, origin) : null;
  }
}

/** The loan recipes' setup: the page lent (and maybe received), a try-lock armed to fail. */
function lend(drill: DrillTemplate, host: DrillHost, owner: Pid, origin: Page): Prepared | null {
  const to = drill.received || drill.operation === "loanAnon" ? "anon" : "kernel";
  const lent = host.run({ kind: "loan", pid: owner, va: origin.va, pages: pageCount(1), to });
  if (lent.kind !== "value") return null;
  const handle = loanHandle(lent.value);
  let page = origin;
  if (drill.recipe === "loanedPage" && drill.received && to === "anon") {
    const received = host.run({ kind: "loanReceive", handle, pid: owner });
    if (received.kind === "value") page = { pid: owner, va: vpn(received.value) };
  }
  if (drill.arms) host.run({ kind: "failNext", failure: "lockContention" });
  return { owner, origin, page, handle };
}

function operationOn(operation: DrillOperation, page: Page, value: number): ThreadOperation {
  const { pid: process, va } = page;
  switch (operation) {
    case "read":
      return { kind: "read", pid: process, va, word: wordIndex(0) };
    case "write":
      return { kind: "write", pid: process, va, word: wordIndex(0), value };
    case "mlock":
      return { kind: "mlock", pid: process, va, pages: pageCount(1) };
    case "loanKernel":
    case "loanAnon":
      return { kind: "loan", pid: process, va, pages: pageCount(1), to: operation === "loanKernel" ? "kernel" : "anon" };
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
