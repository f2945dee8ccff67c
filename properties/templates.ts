//! Command templates: what the generators produce. A template names its targets by index
//! ("the 2nd live process", "the 7th mapped page of it"), and is resolved against the model's
//! state right before it runs, into a concrete vocabulary command. So shrinking can delete any
//! template and the rest still aim at things that exist; and what is recorded and stored in
//! counterexample files is the concrete command, which replays without the generators.

import type { Backing, Command, Sharing } from "../vocabulary/command.ts";
import type { FailureKind } from "../vocabulary/failure.ts";
import type { Advice, Inheritance, Protection } from "../vocabulary/protection.ts";
import { fileId, filePage, loanHandle, pageCount, pid, vpn, wordIndex } from "../vocabulary/units.ts";
import type { ModelState } from "../model/state.ts";
import { regionEnd } from "../model/regions.ts";

/** A page of a process: the n-th mapped page (modulo how many there are), or a raw address. */
export type Target = { readonly mapped: number } | { readonly raw: number };

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
  | { readonly kind: "clearFailures" };

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

/** The live process with mappings the index designates (any live process if none has mappings). */
function mappedProcessOf(state: ModelState, index: number) {
  const pids = Object.keys(state.processes)
    .map(Number)
    .filter((id) => state.processes[id]!.regions.length > 0)
    .sort((a, b) => a - b);
  return pids.length === 0 ? processOf(state, index) : pid(pids[index % pids.length]!);
}

/** Any live process but the first ("init never exits"); with only one alive, a pid that does not exist. */
function exitVictim(state: ModelState, index: number) {
  const pids = Object.keys(state.processes)
    .map(Number)
    .sort((a, b) => a - b);
  if (pids.length < 2) return pid(state.nextPid);
  return pid(pids[1 + (index % (pids.length - 1))]!);
}

function pageOf(state: ModelState, process: number, target: Target) {
  if ("raw" in target) return vpn(target.raw);
  const regions = state.processes[process]?.regions ?? [];
  const mapped: number[] = [];
  for (const region of regions) for (let va = region.start; va < regionEnd(region); va++) mapped.push(va);
  if (mapped.length === 0) return vpn(target.mapped % state.world.vaPages);
  return vpn(mapped[target.mapped % mapped.length]!);
}

/** The concrete command `template` means in `state`. */
export function resolveTemplate(template: Template, state: ModelState): Command {
  switch (template.kind) {
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
      const process = mappedProcessOf(state, template.process);
      const va = pageOf(state, process, template.target);
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
    case "loanReceive":
      return { kind: "loanReceive", handle: loanOf(state, template.loan), pid: processOf(state, template.process) };
    case "unloan":
      return { kind: "unloan", handle: loanOf(state, template.loan) };
    case "pageout":
    case "failNext":
    case "clearFailures":
      return template;
    default: {
      const process = processOf(state, template.process);
      const va = pageOf(state, process, template.target);
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
