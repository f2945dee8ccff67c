//! Observations: everything a user could see of the world, taken without faulting.
//!
//! After every command the property compares the implementation's observation (read out of
//! its data structures: amaps, anons, objects, frames, backing store) with the model's. Pages
//! are listed in (pid, va) order so two observations compare element by element, and the
//! first difference is a precise divergence: which process, which page, which word.

import type { Advice, Inheritance, Protection } from "./protection.ts";
import type { Pid, Vpn } from "./units.ts";

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

export interface Observation {
  /** Live processes, in increasing pid. */
  readonly processes: readonly ObservedProcess[];
  /** File contents as read(2) would return them: `files[file][page][word]`. */
  readonly files: readonly (readonly (readonly number[])[])[];
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
  | { readonly kind: "fileWord"; readonly file: number; readonly page: number; readonly word: number; readonly expected: number; readonly actual: number };

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

export function formatDivergence(divergence: Divergence): string {
  switch (divergence.kind) {
    case "processes":
      return `live processes: model [${divergence.expected.join(",")}], implementation [${divergence.actual.join(",")}]`;
    case "mappedPages":
      return `pid ${divergence.pid} mapped pages: model [${divergence.expected.join(",")}], implementation [${divergence.actual.join(",")}]`;
    case "attribute":
      return `pid ${divergence.pid} va ${divergence.va} ${divergence.attribute}: model ${divergence.expected}, implementation ${divergence.actual}`;
    case "pageWord":
      return `pid ${divergence.pid} va ${divergence.va} word ${divergence.word}: model ${divergence.expected}, implementation ${divergence.actual}`;
    case "fileWord":
      return `file ${divergence.file} page ${divergence.page} word ${divergence.word}: model ${divergence.expected}, implementation ${divergence.actual}`;
  }
}
