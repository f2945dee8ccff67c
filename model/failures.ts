//! The data-loss contract (semantic decision 3, docs/semantics.md §3).
//!
//! A device failure is possible when the run gives its kind a rate, or a `failNext` armed
//! one. Then the model allows its visible effects, and only those:
//!
//!   swap read/write failure  anonymous data (a private copy, or a page of shared memory)
//!                            becomes lost: the command that finds out answers EIO, and
//!                            every later access to that data, by anyone sharing it, too
//!   backing read failure     an access that reads a file answers EIO, nothing is lost
//!
//! An armed one-shot explains exactly one such event; a rate explains any number. Nothing
//! ever returns a wrong value.

import { type Draft, produce } from "immer";
import type { FailureKind } from "../vocabulary/failure.ts";
import type { Observation } from "../vocabulary/observation.ts";
import { findRegion } from "./regions.ts";
import { cellAt } from "./contents.ts";
import type { ModelState, Region } from "./state.ts";

export function failurePossible(state: ModelState, kind: FailureKind): boolean {
  return state.failures.rated[kind] === true || (state.failures.armed[kind] ?? 0) > 0;
}

/** A loss of anonymous data can be explained by a swap read or write failure. */
export function lossPossible(state: ModelState): boolean {
  return failurePossible(state, "swapRead") || failurePossible(state, "swapWrite");
}

/** Uses up the armed one-shot that explains an event of `kind` (a rated kind costs nothing). */
export function consumeFailure(draft: Draft<ModelState>, kind: FailureKind): void {
  if (draft.failures.rated[kind] === true) return;
  const armed = draft.failures.armed[kind] ?? 0;
  if (armed > 0) draft.failures.armed[kind] = armed - 1;
}

/** Uses up whichever swap failure explains a loss. */
export function consumeLoss(draft: Draft<ModelState>, state: ModelState): void {
  consumeFailure(draft, failurePossible(state, "swapRead") ? "swapRead" : "swapWrite");
}

/** Where a page's data lives when a device failure can destroy it: a private copy, or shared memory. */
export type Losable = { readonly kind: "cell"; readonly tag: number } | { readonly kind: "memory"; readonly memory: number; readonly page: number } | null;

export function losableData(state: ModelState, region: Region, va: number): Losable {
  const cell = cellAt(state, region, va);
  if (cell !== undefined) return { kind: "cell", tag: cell.tag };
  if (region.source.kind === "sharedMemory") return { kind: "memory", memory: region.source.memory, page: region.source.offset + va - region.start };
  return null;
}

export function isLost(state: ModelState, data: Losable): boolean {
  if (data === null) return false;
  if (data.kind === "cell") return state.lostTags[data.tag] === true;
  return state.sharedMemories[data.memory]?.lost[data.page] === true;
}

export function markLost(draft: Draft<ModelState>, data: Losable): void {
  if (data === null) return;
  if (data.kind === "cell") draft.lostTags[data.tag] = true;
  else draft.sharedMemories[data.memory]!.lost[data.page] = true;
}

/** Whether reading `region` at `va` reads a file (so a backing read failure may show). */
export function readsFile(region: Region, va: number, state: ModelState): boolean {
  return region.source.kind === "file" && cellAt(state, region, va) === undefined;
}

/** The states an access to `va` of `region` may leave after answering EIO: its data lost, or a file read failed. */
export function accessFailures(state: ModelState, region: Region, va: number): ModelState[] {
  const states: ModelState[] = [];
  const data = losableData(state, region, va);
  if (data !== null && lossPossible(state)) {
    states.push(
      produce(state, (draft) => {
        markLost(draft, data);
        consumeLoss(draft, state);
      }),
    );
  }
  if (readsFile(region, va, state) && failurePossible(state, "backingRead")) states.push(produce(state, (draft) => consumeFailure(draft, "backingRead")));
  return states;
}

/**
 * The states an access may leave when the private copy it made (`after` holds a copy at
 * `va` that `before` did not) is lost before the access completes: a fault that has to wait for
 * memory (a failed pmap_enter, an empty free list) lets the page daemon page the new anon
 * out, and a failed swap write or read-back loses it (the restarted fault answers EIO).
 */
export function freshCopyLosses(before: ModelState, after: ModelState, region: Region, va: number): ModelState[] {
  if (!lossPossible(before)) return [];
  const copy = cellAt(after, region, va);
  if (copy === undefined || copy.tag === cellAt(before, region, va)?.tag) return [];
  return [
    produce(after, (draft) => {
      markLost(draft, { kind: "cell", tag: copy.tag });
      consumeLoss(draft, before);
    }),
  ];
}

/**
 * A swap write failure destroys the page being paged out without anyone noticing until the
 * data is next used; the page daemon can run during any command. So when the observation
 * shows data lost that the model still holds, the model adopts the loss if a swap write
 * failure can explain it (each armed one-shot explains one datum; a rate, any number).
 * `readLosses` more may be explained by reads that just completed with EIO after a swap read
 * failed under them (a thread's read, whose data may have been unmapped meanwhile).
 * Losses it cannot explain are left for the observation check to report.
 */
export function adoptObservedLosses(state: ModelState, observation: Observation, readLosses = 0): ModelState {
  if (!failurePossible(state, "swapWrite") && readLosses === 0) return state;
  const losses: Losable[] = [];
  /** Notes `data` shown lost, once, unless the model already has it lost. */
  const shownLost = (data: Losable) => {
    if (data !== null && !isLost(state, data) && !losses.some((known) => sameData(known, data))) losses.push(data);
  };
  for (const observed of observation.processes) {
    const process = state.processes[observed.pid];
    if (process === undefined) continue;
    for (const page of observed.pages) {
      if (page.contents !== "lost") continue;
      const region = findRegion(process.regions, page.va);
      if (region === null) continue;
      shownLost(losableData(state, region, page.va));
    }
  }
  for (const observed of observation.loans) {
    const held = state.loans[observed.handle];
    if (held === undefined || held.to !== "anon") continue;
    observed.pages.forEach((contents, index) => {
      const cell = held.pages[index];
      if (contents === "lost" && cell !== undefined) shownLost({ kind: "cell", tag: cell.tag });
    });
  }
  for (const observed of observation.segments ?? []) {
    const memory = state.segments[observed.id];
    if (memory === undefined) continue;
    observed.pages.forEach((contents, page) => {
      if (contents === "lost") shownLost({ kind: "memory", memory, page });
    });
  }
  if (losses.length === 0) return state;
  const writes = state.failures.rated.swapWrite === true ? losses.length : (state.failures.armed.swapWrite ?? 0);
  return produce(state, (draft) => {
    losses.slice(0, writes + readLosses).forEach((data, index) => {
      markLost(draft, data);
      if (index < writes) consumeFailure(draft, "swapWrite");
    });
  });
}

function sameData(a: Losable, b: Losable): boolean {
  if (a === null || b === null) return a === b;
  if (a.kind === "cell") return b.kind === "cell" && a.tag === b.tag;
  return b.kind === "memory" && a.memory === b.memory && a.page === b.page;
}
