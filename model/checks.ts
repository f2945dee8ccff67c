//! Argument checks shared by every command family, in the order a system call makes them:
//! the process must exist (ESRCH), a page range must lie inside the address space and be
//! non-empty (EINVAL), a word index must lie inside a page (EINVAL).

import type { Pid } from "../vocabulary/units.ts";
import type { WorldConfig } from "../vocabulary/world.ts";
import type { ModelState, Process } from "./state.ts";

export function processOf(state: ModelState, pid: Pid): Process | null {
  return state.processes[pid] ?? null;
}

export function validRange(world: WorldConfig, va: number, pages: number): boolean {
  return Number.isInteger(va) && Number.isInteger(pages) && va >= 0 && pages >= 1 && va + pages <= world.vaPages;
}

export function validWord(world: WorldConfig, word: number): boolean {
  return Number.isInteger(word) && word >= 0 && word < world.pageWords;
}

export function validValue(value: number): boolean {
  return Number.isSafeInteger(value);
}

export function liveProcessCount(state: ModelState): number {
  return Object.keys(state.processes).length;
}
