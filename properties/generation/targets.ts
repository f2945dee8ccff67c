//! Resolving a template's targets against the model: which live process, page, loan or
//! victim an index designates now (templates.ts). An index is taken modulo what exists, so a
//! template still aims at something after shrinking deleted what it aimed at before.

import { type LoanHandle, loanHandle, type Pid, pid, type Vpn, vpn } from "../../vocabulary/units.ts";
import { cellAt } from "../../model/contents.ts";
import { regionEnd } from "../../model/regions.ts";
import type { ModelState } from "../../model/state.ts";
import type { Target, ThreadContext } from "./templates.ts";

/** A page of a process. */
export interface Page {
  readonly pid: Pid;
  readonly va: Vpn;
}

/** The (pid, va) the `index`-th pending operation with an address works on, or null if none has one. */
function racingPage(threads: ThreadContext, index: number): Page | null {
  const pages = threads.operations.flatMap((operation) => ("pid" in operation && "va" in operation ? [{ pid: operation.pid, va: operation.va }] : []));
  return pages.length === 0 ? null : pages[index % pages.length]!;
}

/**
 * The `index`-th page an outstanding loan came from or was received at (its anons mapped
 * into a process, still shared with the handle), where a command of this run made it and
 * the process lives.
 */
function loanedPage(state: ModelState, threads: ThreadContext, index: number): Page | null {
  const pages = Object.keys(state.loans)
    .map(Number)
    .sort((a, b) => a - b)
    .flatMap((handle) => [threads.loanOrigin(loanHandle(handle)), threads.loanReception(loanHandle(handle))])
    .filter((page) => page !== null && state.processes[page.pid] !== undefined);
  return pages.length === 0 ? null : pages[index % pages.length]!;
}

/** The process and page a template aims at: its target's, a racing operation's, or a loan's lender's. */
export function aim(state: ModelState, threads: ThreadContext, process: Pid, target: Target): Page {
  if ("racing" in target) return racingPage(threads, target.racing) ?? { pid: process, va: pageOf(state, process, { mapped: target.racing }) };
  if ("loaned" in target) return loanedPage(state, threads, target.loaned) ?? { pid: process, va: pageOf(state, process, { mapped: target.loaned }) };
  return { pid: process, va: pageOf(state, process, target) };
}

/** The live pid the index designates, or a pid that does not exist when there is none. */
export function processOf(state: ModelState, index: number): Pid {
  const pids = Object.keys(state.processes)
    .map(Number)
    .sort((a, b) => a - b);
  return pid(pids.length === 0 ? state.nextPid : pids[index % pids.length]!);
}

/** The outstanding loan the index designates, or a handle that does not exist when there is none. */
export function loanOf(state: ModelState, index: number): LoanHandle {
  const handles = Object.keys(state.loans)
    .map(Number)
    .sort((a, b) => a - b);
  return loanHandle(handles.length === 0 ? state.nextHandle : handles[index % handles.length]!);
}

/** The outstanding loan to anons the index designates, or null when there is none. */
export function anonLoanOf(state: ModelState, index: number): LoanHandle | null {
  const handles = Object.keys(state.loans)
    .map(Number)
    .filter((handle) => state.loans[handle]!.to === "anon")
    .sort((a, b) => a - b);
  return handles.length === 0 ? null : loanHandle(handles[index % handles.length]!);
}

/**
 * The SysV segment id the index designates: a live one; with `stale`, or when none is live,
 * one that names no segment (removed, or the next id, never made yet).
 */
export function segmentOf(state: ModelState, index: number, stale: boolean): number {
  const live = Object.keys(state.segments)
    .map(Number)
    .sort((a, b) => a - b);
  if (!stale && live.length > 0) return live[index % live.length]!;
  const gone = Array.from({ length: state.nextSegment }, (_, id) => id + 1).filter((id) => state.segments[id] === undefined);
  return gone[index % gone.length]!;
}

/** The live process with mappings the index designates (any live process if none has mappings). */
export function mappedProcessOf(state: ModelState, index: number): Pid {
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
export function exitVictim(state: ModelState, index: number): Pid {
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
  if ("edge" in target) {
    const pages = regions.flatMap((region) => (region.wired ? Array.from({ length: region.pages }, (_, index) => region.start + index) : [regionEnd(region) - 1]));
    return pages.length === 0 ? pageOf(state, process, { mapped: target.edge }) : vpn(pages[target.edge % pages.length]!);
  }
  const mapped: number[] = [];
  for (const region of regions) for (let va = region.start; va < regionEnd(region); va++) mapped.push(va);
  if (mapped.length === 0) return vpn(target.mapped % state.world.vaPages);
  return vpn(mapped[target.mapped % mapped.length]!);
}
