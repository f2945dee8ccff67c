//! What a page shows: the model's read path, and its write path.
//!
//! A private page shows its overlay cell if it has one, else it tracks its source. A shared
//! page always shows its source. A write to a shared page changes the source, so every
//! tracking private page of that source sees it too; a write to a private page installs a
//! fresh cell in the overlay (the model's copy-on-write: the old cell stays with whoever
//! else holds it).

import type { Draft } from "immer";
import type { Cell, ModelState, Region, Source, Words } from "./state.ts";
import { zeroWords } from "./state.ts";

/** The words `source` shows at page `index` of the region. */
export function sourceWords(state: ModelState, source: Source, index: number): Words {
  switch (source.kind) {
    case "file": {
      const words = state.files[source.file]?.[source.offset + index];
      if (words === undefined) throw new RangeError(`model: file ${source.file} page ${source.offset + index}`);
      return words;
    }
    case "sharedMemory": {
      const words = state.sharedMemories[source.memory]?.pages[source.offset + index];
      if (words === undefined) throw new RangeError(`model: shared memory ${source.memory} page ${source.offset + index}`);
      return words;
    }
    case "zero":
      return zeroWords(state.world);
    case "none":
      throw new Error("model: a reserved region has no contents");
  }
}

/** The overlay cell covering `va` of a private region, if the page has gone private. */
export function cellAt(state: ModelState, region: Region, va: number): Cell | undefined {
  if (region.overlay === null) return undefined;
  return state.overlays[region.overlay.overlay]?.slots[region.overlay.offset + va - region.start];
}

/** Whether the region is reserved address space with no backing (case 0). */
export function unbacked(region: Region): boolean {
  return region.source.kind === "none" && region.overlay === null;
}

/** The contents a read of `va` sees, `lost`, or `unbacked`. */
export function pageContents(state: ModelState, region: Region, va: number): Words | "lost" | "unbacked" {
  if (unbacked(region)) return "unbacked";
  const cell = cellAt(state, region, va);
  if (cell !== undefined) return state.lostTags[cell.tag] === true ? "lost" : cell.words;
  const source = region.source;
  if (source.kind === "sharedMemory" && state.sharedMemories[source.memory]?.lost[source.offset + va - region.start] === true) return "lost";
  return sourceWords(state, source, va - region.start);
}

/** Writes `words` as the new contents of page `va` of `region` (which must be writable data). */
export function storePage(draft: Draft<ModelState>, region: Region, va: number, words: Words): void {
  const index = va - region.start;
  if (region.overlay !== null) {
    placeCell(draft, region, va, { words, tag: draft.nextTag++ });
    return;
  }
  const source = region.source;
  switch (source.kind) {
    case "file":
      draft.files[source.file]![source.offset + index] = [...words];
      return;
    case "sharedMemory":
      draft.sharedMemories[source.memory]!.pages[source.offset + index] = [...words];
      return;
    case "zero":
    case "none":
      throw new Error(`model: a shared region never shows the ${source.kind} source`);
  }
}

/** Puts `cell` in the overlay slot of page `va` of a private region. */
export function placeCell(draft: Draft<ModelState>, region: Region, va: number, cell: Cell): void {
  if (region.overlay === null) throw new Error("model: placeCell on a shared region");
  const overlay = draft.overlays[region.overlay.overlay];
  if (overlay === undefined) throw new Error(`model: overlay ${region.overlay.overlay} missing`);
  overlay.slots[region.overlay.offset + va - region.start] = { words: [...cell.words], tag: cell.tag };
}

/** Gives a page of a private region its own copy of what it shows now (a fresh cell, unshared). */
export function privatize(draft: Draft<ModelState>, region: Region, va: number): void {
  const cell = cellAt(draft, region, va);
  const words = cell?.words ?? sourceWords(draft, region.source, va - region.start);
  placeCell(draft, region, va, { words, tag: draft.nextTag++ });
}
