//! A model state's canonical key: equal for two states that differ only in the names the
//! model gives to things no observation shows.
//!
//! The model names each private copy (a cell's tag), each overlay and each shared memory
//! with a counter (`nextTag`, `nextOverlay`, `nextSharedMemory`). Which number a copy got
//! depends on when it was made, and the same history linearized in two orders, or a copy
//! made at two different instants of a thread's window, ends in states that differ only in
//! those numbers. What can ever be observed of them is their *structure*: which pages hold
//! the same copy (one copy-on-write group, one datum a device failure destroys), which
//! regions share an overlay, which processes map the same shared memory. So the key renames
//! them by first occurrence in a walk whose order depends on visible things only:
//!
//!   processes by pid → regions by address → (overlay, shared memory, first seen)
//!   overlays in that order → slots by index → cell (tag, first seen; words; lost or not)
//!   loans by handle → pages in order → cell (tag, first seen)
//!   segments by id → shared memory (first seen)
//!   shared memories in the order first seen → pages (words; lost or not)
//!   object loan tags by object page → the canonical tag, or "-" if no one holds it
//!
//! Everything else (files, failures, next pid, next handle, and any other field) is keyed as
//! it is. Two states with equal keys are isomorphic: every command leads both to states with
//! equal keys and equal observations, so the checker keeps one of them (configurations.ts).

import type { Cell, ModelState, Region } from "../../model/state.ts";

/** The counters that only name things; their values are never observable. */
const namingCounters: ReadonlySet<string> = new Set(["nextTag", "nextOverlay", "nextSharedMemory"]);
/** The fields keyed by the renaming walk. */
const renamedFields: ReadonlySet<string> = new Set(["processes", "overlays", "loans", "sharedMemories", "segments", "lostTags", "objectLoanTags"]);

/**
 * `state`'s canonical key, `valueKey` keying the fields taken as they are (a structural key,
 * equal for values JSON would print equally). Ensures: equal for states equal up to renaming
 * tags, overlays and shared memories; different for states that differ in anything else.
 */
export function canonicalStateKey(state: ModelState, valueKey: (value: unknown) => string): string {
  const names = new Renaming();
  const parts: string[] = [];
  const pids = Object.keys(state.processes)
    .map(Number)
    .sort((a, b) => a - b);
  for (const pid of pids) {
    parts.push(`P${pid}`);
    for (const region of state.processes[pid]!.regions) parts.push(regionKey(region, names, valueKey));
  }
  for (let index = 0; index < names.overlays.order.length; index++) {
    const slots = state.overlays[names.overlays.order[index]!]?.slots ?? {};
    const indexes = Object.keys(slots)
      .map(Number)
      .sort((a, b) => a - b);
    parts.push(`O${index}:${indexes.map((slot) => `${slot}=${cellKey(slots[slot]!, state, names, valueKey)}`).join(";")}`);
  }
  const handles = Object.keys(state.loans)
    .map(Number)
    .sort((a, b) => a - b);
  for (const handle of handles) {
    const loan = state.loans[handle]!;
    parts.push(`L${handle}${loan.to}:${loan.pages.map((cell) => cellKey(cell, state, names, valueKey)).join(";")}`);
  }
  const segments = Object.keys(state.segments)
    .map(Number)
    .sort((a, b) => a - b);
  parts.push(`S${segments.map((segment) => `${segment}=m${names.memories.name(state.segments[segment]!)}`).join(";")}`);
  for (let index = 0; index < names.memories.order.length; index++) {
    const memory = state.sharedMemories[names.memories.order[index]!];
    parts.push(`M${index}:${valueKey(memory?.pages ?? null)}:${valueKey(memory?.lost ?? null)}`);
  }
  const objectPages = Object.keys(state.objectLoanTags).sort();
  parts.push(`T${objectPages.map((page) => `${page}=${names.tags.known(state.objectLoanTags[page]!) ?? "-"}`).join(";")}`);
  for (const [field, value] of Object.entries(state)) {
    if (value === undefined || namingCounters.has(field) || renamedFields.has(field)) continue;
    parts.push(`${field}=${valueKey(value)}`);
  }
  return parts.join("|");
}

/** One kind of name, renamed 0, 1, 2... in the order first seen. */
class Names {
  readonly order: number[] = [];
  private readonly canonical = new Map<number, number>();

  name(original: number): number {
    let renamed = this.canonical.get(original);
    if (renamed === undefined) {
      renamed = this.order.length;
      this.canonical.set(original, renamed);
      this.order.push(original);
    }
    return renamed;
  }

  known(original: number): number | undefined {
    return this.canonical.get(original);
  }
}

class Renaming {
  readonly tags = new Names();
  readonly overlays = new Names();
  readonly memories = new Names();
}

function regionKey(region: Region, names: Renaming, valueKey: (value: unknown) => string): string {
  const source = region.source;
  const sourceKey = source.kind === "sharedMemory" ? `m${names.memories.name(source.memory)}+${source.offset}` : valueKey(source);
  const overlayKey = region.overlay === null ? "-" : `o${names.overlays.name(region.overlay.overlay)}+${region.overlay.offset}`;
  const attributes = `${region.start},${region.pages},${region.prot},${region.maxprot},${region.inherit},${region.advice},${region.wired}`;
  return `R${attributes},${sourceKey},${overlayKey}`;
}

function cellKey(cell: Cell, state: ModelState, names: Renaming, valueKey: (value: unknown) => string): string {
  return `${names.tags.name(cell.tag)}${state.lostTags[cell.tag] === true ? "!" : ""}${valueKey(cell.words)}`;
}
