//! Region lists: lookup, placement and splitting, as pure functions on immutable arrays.
//!
//! A range operation (munmap, mprotect, mlock, ...) first splits the regions at the range's
//! ends so that every region is either wholly inside or wholly outside the range, then acts
//! on the inside ones. Splitting a region keeps what each page shows: the second half's
//! source offset and overlay offset advance by the split point.

import type { Vpn } from "../vocabulary/units.ts";
import { filePage, pageCount, vpn } from "../vocabulary/units.ts";
import type { Region, Source } from "./state.ts";

export function regionEnd(region: Region): number {
  return region.start + region.pages;
}

/** The region containing `va`, or null. */
export function findRegion(regions: readonly Region[], va: number): Region | null {
  for (const region of regions) {
    if (region.start <= va && va < regionEnd(region)) return region;
  }
  return null;
}

/** The lowest page where `pages` free pages fit below `limit`, or null (first fit). */
export function placeMapping(regions: readonly Region[], pages: number, limit: number): Vpn | null {
  let candidate = 0;
  for (const region of regions) {
    if (region.start - candidate >= pages) break;
    candidate = Math.max(candidate, regionEnd(region));
  }
  return candidate + pages <= limit ? vpn(candidate) : null;
}

/** The part of `region` covering `[from, to)`, which must lie inside it. */
export function sliceRegion(region: Region, from: number, to: number): Region {
  const shift = from - region.start;
  return {
    ...region,
    start: vpn(from),
    pages: pageCount(to - from),
    source: shiftSource(region.source, shift),
    overlay: region.overlay === null ? null : { overlay: region.overlay.overlay, offset: region.overlay.offset + shift },
  };
}

function shiftSource(source: Source, shift: number): Source {
  switch (source.kind) {
    case "file":
      return { ...source, offset: filePage(source.offset + shift) };
    case "sharedMemory":
      return { ...source, offset: source.offset + shift };
    case "zero":
    case "none":
      return source;
  }
}

/** The same regions, split so that none straddles `start` or `end`. */
export function isolateRange(regions: readonly Region[], start: number, end: number): Region[] {
  const result: Region[] = [];
  for (const region of regions) {
    const cuts = [region.start, regionEnd(region)];
    if (region.start < start && start < regionEnd(region)) cuts.splice(1, 0, start);
    if (region.start < end && end < regionEnd(region)) cuts.splice(cuts.length - 1, 0, end);
    for (let index = 0; index + 1 < cuts.length; index++) {
      const from = cuts[index]!;
      const to = cuts[index + 1]!;
      result.push(from === region.start && to === regionEnd(region) ? region : sliceRegion(region, from, to));
    }
  }
  return result;
}

export function insideRange(region: Region, start: number, end: number): boolean {
  return start <= region.start && regionEnd(region) <= end;
}

/** How many pages of `[start, end)` some region maps. */
export function mappedPagesIn(regions: readonly Region[], start: number, end: number): number {
  let mapped = 0;
  for (const region of regions) {
    const from = Math.max(start, region.start);
    const to = Math.min(end, regionEnd(region));
    if (from < to) mapped += to - from;
  }
  return mapped;
}

/** Inserts `region` keeping the list ordered by start. */
export function insertRegion(regions: readonly Region[], region: Region): Region[] {
  const result = [...regions, region];
  result.sort((a, b) => a.start - b.start);
  return result;
}
