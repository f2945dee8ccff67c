//! Observations: everything a user could see of the world, taken without faulting.
//!
//! After every command the property compares the implementation's observation (read out of
//! its data structures: amaps, anons, objects, frames, backing store) with the model's. Pages
//! are listed in (pid, va) order so two observations compare element by element, and the
//! first difference is a precise divergence: which process, which page, which word.

import type { Advice, Inheritance, Protection } from "./protection.ts";
import type { LoanHandle, Pid, Vpn } from "./units.ts";

/**
 * The words of a page; `lost` when a device failure destroyed them (reads give EIO);
 * `unbacked` for a reserved page with no backing at all (reads give EFAULT).
 */
export type PageContents = readonly number[] | "lost" | "unbacked";

export interface ObservedPage {
  readonly va: Vpn;
  readonly prot: Protection;
  readonly maxprot: Protection;
  readonly inherit: Inheritance;
  readonly advice: Advice;
  readonly wired: boolean;
  readonly contents: PageContents;
}

export interface ObservedProcess {
  readonly pid: Pid;
  /** Every mapped page, in increasing va. */
  readonly pages: readonly ObservedPage[];
}

export interface ObservedLoan {
  readonly handle: LoanHandle;
  readonly to: "kernel" | "anon";
  /** What the holder reads through each page of the loan. */
  readonly pages: readonly PageContents[];
}

export interface ObservedSegment {
  readonly id: number;
  /** What an attach of the segment would read at each page. */
  readonly pages: readonly PageContents[];
}

export interface Observation {
  /** Live processes, in increasing pid. */
  readonly processes: readonly ObservedProcess[];
  /** File contents as read(2) would return them: `files[file][page][word]`. */
  readonly files: readonly (readonly (readonly number[])[])[];
  /** Outstanding loans, in increasing handle. */
  readonly loans: readonly ObservedLoan[];
  /**
   * Live SysV shared memory segments (the `sysvShm` family), in increasing id, attached or
   * not: like a file, a segment's data is there to see while nothing maps it. Absent: none.
   */
  readonly segments?: readonly ObservedSegment[];
}

/**
 * A part of the world (properties/checking/incremental-check.ts): some live processes whole,
 * a range of pages `[start, end)` of some others, and the files or not.
 */
export interface ObservationPart {
  readonly pids: ReadonlySet<Pid>;
  readonly ranges: ReadonlyMap<Pid, { readonly start: number; readonly end: number }>;
  readonly files: boolean;
}

/** The pids `part` covers (whole or by range), increasing. */
export function partPids(part: ObservationPart): Pid[] {
  return [...new Set([...part.pids, ...part.ranges.keys()])].sort((a, b) => a - b);
}

/** The pages of `pid` that `part` covers, `[start, end)`: all of them for a whole process. */
export function partRange(part: ObservationPart | undefined, pid: Pid): { readonly start: number; readonly end: number } {
  if (part === undefined || part.pids.has(pid)) return { start: 0, end: Number.POSITIVE_INFINITY };
  return part.ranges.get(pid) ?? { start: 0, end: 0 };
}

export type Divergence =
  | { readonly kind: "processes"; readonly expected: readonly Pid[]; readonly actual: readonly Pid[] }
  | { readonly kind: "mappedPages"; readonly pid: Pid; readonly expected: readonly Vpn[]; readonly actual: readonly Vpn[] }
  | {
      readonly kind: "attribute";
      readonly pid: Pid;
      readonly va: Vpn;
      readonly attribute: "prot" | "maxprot" | "inherit" | "advice" | "wired";
      readonly expected: string;
      readonly actual: string;
    }
  | { readonly kind: "pageWord"; readonly pid: Pid; readonly va: Vpn; readonly word: number; readonly expected: string; readonly actual: string }
  | { readonly kind: "fileWord"; readonly file: number; readonly page: number; readonly word: number; readonly expected: number; readonly actual: number }
  | { readonly kind: "loans"; readonly expected: readonly number[]; readonly actual: readonly number[] }
  | { readonly kind: "loanWord"; readonly handle: number; readonly index: number; readonly word: number; readonly expected: string; readonly actual: string }
  | { readonly kind: "segments"; readonly expected: readonly number[]; readonly actual: readonly number[] }
  | { readonly kind: "segmentWord"; readonly segment: number; readonly page: number; readonly word: number; readonly expected: string; readonly actual: string };

/** The first place where `actual` differs from `expected`, or null when they are equal. */
export function firstDivergence(expected: Observation, actual: Observation): Divergence | null {
  const expectedPids = expected.processes.map((process) => process.pid);
  const actualPids = actual.processes.map((process) => process.pid);
  if (expectedPids.join() !== actualPids.join()) return { kind: "processes", expected: expectedPids, actual: actualPids };
  for (let index = 0; index < expected.processes.length; index++) {
    const divergence = processDivergence(expected.processes[index]!, actual.processes[index]!);
    if (divergence !== null) return divergence;
  }
  for (let file = 0; file < expected.files.length; file++) {
    const expectedPages = expected.files[file]!;
    for (let page = 0; page < expectedPages.length; page++) {
      const expectedWords = expectedPages[page]!;
      for (let word = 0; word < expectedWords.length; word++) {
        const actualWord = actual.files[file]?.[page]?.[word] ?? Number.NaN;
        if (expectedWords[word] !== actualWord) {
          return { kind: "fileWord", file, page, word, expected: expectedWords[word]!, actual: actualWord };
        }
      }
    }
  }
  return loansDivergence(expected.loans, actual.loans) ?? segmentsDivergence(expected.segments ?? [], actual.segments ?? []);
}

function segmentsDivergence(expected: readonly ObservedSegment[], actual: readonly ObservedSegment[]): Divergence | null {
  const ids = (segments: readonly ObservedSegment[]) => segments.map((segment) => segment.id);
  if (ids(expected).join() !== ids(actual).join() || expected.some((segment, index) => segment.pages.length !== actual[index]!.pages.length)) {
    return { kind: "segments", expected: ids(expected), actual: ids(actual) };
  }
  for (let index = 0; index < expected.length; index++) {
    const pages = expected[index]!.pages;
    for (let page = 0; page < pages.length; page++) {
      const divergence = contentsDivergence(0 as Pid, 0 as Vpn, pages[page]!, actual[index]!.pages[page]!);
      if (divergence !== null && divergence.kind === "pageWord") {
        return { kind: "segmentWord", segment: expected[index]!.id, page, word: divergence.word, expected: divergence.expected, actual: divergence.actual };
      }
    }
  }
  return null;
}

function loansDivergence(expected: readonly ObservedLoan[], actual: readonly ObservedLoan[]): Divergence | null {
  const expectedHandles = expected.map((loan) => loan.handle);
  const actualHandles = actual.map((loan) => loan.handle);
  if (expectedHandles.join() !== actualHandles.join() || expected.some((loan, index) => loan.pages.length !== actual[index]!.pages.length)) {
    return { kind: "loans", expected: expectedHandles, actual: actualHandles };
  }
  for (let index = 0; index < expected.length; index++) {
    const handle = expected[index]!.handle;
    const pages = expected[index]!.pages;
    for (let page = 0; page < pages.length; page++) {
      const divergence = contentsDivergence(0 as Pid, 0 as Vpn, pages[page]!, actual[index]!.pages[page]!);
      if (divergence !== null && divergence.kind === "pageWord") {
        return { kind: "loanWord", handle, index: page, word: divergence.word, expected: divergence.expected, actual: divergence.actual };
      }
    }
  }
  return null;
}

function processDivergence(expected: ObservedProcess, actual: ObservedProcess): Divergence | null {
  const pid = expected.pid;
  const expectedVas = expected.pages.map((page) => page.va);
  const actualVas = actual.pages.map((page) => page.va);
  if (expectedVas.join() !== actualVas.join()) return { kind: "mappedPages", pid, expected: expectedVas, actual: actualVas };
  for (let index = 0; index < expected.pages.length; index++) {
    const want = expected.pages[index]!;
    const got = actual.pages[index]!;
    for (const attribute of ["prot", "maxprot", "inherit", "advice", "wired"] as const) {
      if (want[attribute] !== got[attribute]) {
        return { kind: "attribute", pid, va: want.va, attribute, expected: String(want[attribute]), actual: String(got[attribute]) };
      }
    }
    const divergence = contentsDivergence(pid, want.va, want.contents, got.contents);
    if (divergence !== null) return divergence;
  }
  return null;
}

function contentsDivergence(pid: Pid, va: Vpn, expected: PageContents, actual: PageContents): Divergence | null {
  if (typeof expected === "string" || typeof actual === "string") {
    if (expected === actual) return null;
    const show = (contents: PageContents) => (typeof contents === "string" ? contents : `[${contents.join(",")}]`);
    return { kind: "pageWord", pid, va, word: 0, expected: show(expected), actual: show(actual) };
  }
  for (let word = 0; word < expected.length; word++) {
    if (expected[word] !== actual[word]) {
      return { kind: "pageWord", pid, va, word, expected: String(expected[word]), actual: String(actual[word]) };
    }
  }
  return null;
}

/** Labels for the two observations `firstDivergence` compared: expected first, actual second. */
export interface DivergenceLabels {
  readonly expected: string;
  readonly actual: string;
}

const modelAndImplementation: DivergenceLabels = { expected: "model", actual: "implementation" };

export function formatDivergence(divergence: Divergence, labels: DivergenceLabels = modelAndImplementation): string {
  const { expected, actual } = labels;
  switch (divergence.kind) {
    case "processes":
      return `live processes: ${expected} [${divergence.expected.join(",")}], ${actual} [${divergence.actual.join(",")}]`;
    case "mappedPages":
      return `pid ${divergence.pid} mapped pages: ${expected} [${divergence.expected.join(",")}], ${actual} [${divergence.actual.join(",")}]`;
    case "attribute":
      return `pid ${divergence.pid} va ${divergence.va} ${divergence.attribute}: ${expected} ${divergence.expected}, ${actual} ${divergence.actual}`;
    case "pageWord":
      return `pid ${divergence.pid} va ${divergence.va} word ${divergence.word}: ${expected} ${divergence.expected}, ${actual} ${divergence.actual}`;
    case "fileWord":
      return `file ${divergence.file} page ${divergence.page} word ${divergence.word}: ${expected} ${divergence.expected}, ${actual} ${divergence.actual}`;
    case "loans":
      return `outstanding loans: ${expected} [${divergence.expected.join(",")}], ${actual} [${divergence.actual.join(",")}]`;
    case "loanWord":
      return `loan ${divergence.handle} page ${divergence.index} word ${divergence.word}: ${expected} ${divergence.expected}, ${actual} ${divergence.actual}`;
    case "segments":
      return `shared memory segments: ${expected} [${divergence.expected.join(",")}], ${actual} [${divergence.actual.join(",")}]`;
    case "segmentWord":
      return `segment ${divergence.segment} page ${divergence.page} word ${divergence.word}: ${expected} ${divergence.expected}, ${actual} ${divergence.actual}`;
  }
}

/**
 * Every observable thing (a process, a page, a file page, a loan, a segment) that differs
 * between `a` and `b`, by key (`pid 1`, `pid 1 va 3`, `file 0 page 2`, `loan 4`, `segment 1`), so two observations can
 * be compared outside a set of keys. With `ignoreWired` the `wired` attribute is left out
 * (wiring is in progress while an mlock sleeps).
 */
export function observationDifferences(a: Observation, b: Observation, options: { readonly ignoreWired?: boolean } = {}): Set<string> {
  const keys = new Set<string>();
  const processes = new Map<number, ObservedProcess>(b.processes.map((process) => [process.pid, process]));
  for (const process of a.processes) {
    const other = processes.get(process.pid);
    processes.delete(process.pid);
    if (other === undefined) {
      addProcessKeys(keys, process);
      continue;
    }
    const pages = new Map<number, ObservedPage>(other.pages.map((page) => [page.va, page]));
    for (const page of process.pages) {
      const twin = pages.get(page.va);
      pages.delete(page.va);
      if (twin === undefined || !samePage(page, twin, options.ignoreWired === true)) keys.add(`pid ${process.pid} va ${page.va}`);
    }
    for (const va of pages.keys()) keys.add(`pid ${process.pid} va ${va}`);
  }
  for (const process of processes.values()) addProcessKeys(keys, process);
  a.files.forEach((pages, file) => {
    pages.forEach((words, page) => {
      if (!sameWords(words, b.files[file]?.[page])) keys.add(`file ${file} page ${page}`);
    });
  });
  const loans = new Map<number, ObservedLoan>(b.loans.map((loan) => [loan.handle, loan]));
  for (const loan of a.loans) {
    const twin = loans.get(loan.handle);
    loans.delete(loan.handle);
    if (
      twin === undefined ||
      twin.to !== loan.to ||
      twin.pages.length !== loan.pages.length ||
      loan.pages.some((page, index) => !sameContents(page, twin.pages[index]!))
    ) {
      keys.add(`loan ${loan.handle}`);
    }
  }
  for (const handle of loans.keys()) keys.add(`loan ${handle}`);
  const segments = new Map<number, ObservedSegment>((b.segments ?? []).map((segment) => [segment.id, segment]));
  for (const segment of a.segments ?? []) {
    const twin = segments.get(segment.id);
    segments.delete(segment.id);
    if (twin === undefined || twin.pages.length !== segment.pages.length || segment.pages.some((page, index) => !sameContents(page, twin.pages[index]!))) {
      keys.add(`segment ${segment.id}`);
    }
  }
  for (const id of segments.keys()) keys.add(`segment ${id}`);
  return keys;
}

function addProcessKeys(keys: Set<string>, process: ObservedProcess): void {
  keys.add(`pid ${process.pid}`);
  for (const page of process.pages) keys.add(`pid ${process.pid} va ${page.va}`);
}

function samePage(a: ObservedPage, b: ObservedPage, ignoreWired: boolean): boolean {
  return (
    a.prot === b.prot &&
    a.maxprot === b.maxprot &&
    a.inherit === b.inherit &&
    a.advice === b.advice &&
    (ignoreWired || a.wired === b.wired) &&
    sameContents(a.contents, b.contents)
  );
}

function sameContents(a: PageContents, b: PageContents): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  return sameWords(a, b);
}

function sameWords(a: readonly number[], b: readonly number[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((word, index) => word === b[index]);
}
