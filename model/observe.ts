//! The model's observation: what every process sees at every mapped page, every file, every
//! outstanding loan and every live SysV segment.
//! Compared element by element with the implementation's (vocabulary/observation.ts).

import type { Observation, ObservedLoan, ObservedPage, ObservedProcess, ObservedSegment } from "../vocabulary/observation.ts";
import { loanHandle, vpn } from "../vocabulary/units.ts";
import { pageContents } from "./contents.ts";
import { regionEnd } from "./regions.ts";
import type { ModelState, Process } from "./state.ts";

export function observe(state: ModelState): Observation {
  const processes: ObservedProcess[] = [];
  const pids = Object.keys(state.processes)
    .map(Number)
    .sort((a, b) => a - b);
  for (const id of pids) processes.push(observeProcess(state, state.processes[id]!));
  return { processes, files: state.files, loans: observeLoans(state), segments: observeSegments(state) };
}

/** What an attach of every live SysV segment would read, by increasing id: the segments of `observe`. */
export function observeSegments(state: ModelState): ObservedSegment[] {
  return Object.entries(state.segments)
    .map(([id, memory]) => ({ id: Number(id), memory: state.sharedMemories[memory]! }))
    .sort((a, b) => a.id - b.id)
    .map(({ id, memory }) => ({ id, pages: memory.pages.map((words, page) => (memory.lost[page] === true ? ("lost" as const) : words)) }));
}

/** What every outstanding loan's holder reads, by increasing handle: the loans of `observe`. */
export function observeLoans(state: ModelState): ObservedLoan[] {
  return Object.keys(state.loans)
    .map(Number)
    .sort((a, b) => a - b)
    .map((handle) => {
      const held = state.loans[handle]!;
      return { handle: loanHandle(handle), to: held.to, pages: held.pages.map((cell) => (state.lostTags[cell.tag] === true ? ("lost" as const) : cell.words)) };
    });
}

/** What `process` sees at every mapped page (or those in `[start, end)`), by increasing va: one process of `observe`. */
export function observeProcess(state: ModelState, process: Process, start = 0, end = Number.POSITIVE_INFINITY): ObservedProcess {
  const pages: ObservedPage[] = [];
  for (const region of process.regions) {
    for (let va = Math.max(region.start, start); va < Math.min(regionEnd(region), end); va++) {
      pages.push({
        va: vpn(va),
        prot: region.prot,
        maxprot: region.maxprot,
        inherit: region.inherit,
        advice: region.advice,
        wired: region.wired,
        contents: pageContents(state, region, va),
      });
    }
  }
  return { pid: process.pid, pages };
}
