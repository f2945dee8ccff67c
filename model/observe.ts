//! The model's observation: what every process sees at every mapped page, and every file.
//! Compared element by element with the implementation's (vocabulary/observation.ts).

import type { Observation, ObservedPage, ObservedProcess } from "../vocabulary/observation.ts";
import { loanHandle, vpn } from "../vocabulary/units.ts";
import { pageContents } from "./contents.ts";
import { regionEnd } from "./regions.ts";
import type { ModelState } from "./state.ts";

export function observe(state: ModelState): Observation {
  const processes: ObservedProcess[] = [];
  const pids = Object.keys(state.processes)
    .map(Number)
    .sort((a, b) => a - b);
  for (const id of pids) {
    const process = state.processes[id]!;
    const pages: ObservedPage[] = [];
    for (const region of process.regions) {
      for (let va = region.start; va < regionEnd(region); va++) {
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
    processes.push({ pid: process.pid, pages });
  }
  const loans = Object.keys(state.loans)
    .map(Number)
    .sort((a, b) => a - b)
    .map((handle) => {
      const held = state.loans[handle]!;
      return { handle: loanHandle(handle), to: held.to, pages: held.pages.map((cell) => (state.lostTags[cell.tag] === true ? ("lost" as const) : cell.words)) };
    });
  return { processes, files: state.files, loans };
}
