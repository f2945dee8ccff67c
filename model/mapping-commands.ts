//! mmap, munmap, mprotect, minherit, madvise, mlock, munlock.
//!
//! mmap places a mapping at the lowest free range (first fit) and fails with ENOMEM when
//! none fits; asking for a protection beyond maxprot is EINVAL (uvm_mmap). Range commands
//! accept holes (semantic decision 4) except mlock and munlock, which follow
//! uvm_map_pageable: a range starting in a hole is ENOMEM, a hole further in is EINVAL,
//! locking a PROT_NONE region is EINVAL, and munlock of a range not entirely wired is EINVAL.
//! mprotect beyond maxprot changes nothing and returns EACCES. Locks do not stack: one
//! munlock undoes any number of mlocks.
//!
//! mlock resolves copy-on-write at lock time (semantic decision 5): every page of a private
//! region whose maxprot allows writing gets its own copy of what it shows (it stops tracking
//! its file, and stops sharing a copy with a forked sibling or a loan), and untouched
//! anonymous pages get a zero copy. Regions already locked are not
//! touched again. If memory runs out part way, the pages before the failure keep their
//! copies and nothing is wired.

import { produce } from "immer";
import type { Madvise, Minherit, Mlock, Mmap, Mprotect, Munlock, Munmap, PageRange } from "../vocabulary/command.ts";
import { error, ok, value } from "../vocabulary/outcome.ts";
import { protectionBits, protectionIncludes, PROT_WRITE } from "../vocabulary/protection.ts";
import { processOf, validRange } from "./checks.ts";
import { cellAt, pageContents, privatize, unbacked } from "./contents.ts";
import { accessFailures, freshCopyLosses } from "./failures.ts";
import { cellHolders, forgetObjectLoans, pageIdentity } from "./identity.ts";
import { collectGarbage } from "./garbage.ts";
import { findRegion, insertRegion, insideRange, isolateRange, mappedPagesIn, placeMapping, regionEnd } from "./regions.ts";
import type { Cell, ModelState, Region, Source } from "./state.ts";
import { orDeviceFailure, orOutOfMemory, specified, type Transition } from "./transition.ts";

export function mmap(state: ModelState, command: Mmap): Transition {
  const process = processOf(state, command.pid);
  if (process === null) return specified(error("ESRCH"), state);
  const world = state.world;
  const pages = command.pages;
  if (!Number.isInteger(pages) || pages < 1 || pages > world.vaPages) return specified(error("EINVAL"), state);
  if (command.backing.kind === "file") {
    const { file, offset } = command.backing;
    const fileValid = Number.isInteger(file) && file >= 0 && file < world.files;
    const offsetValid = Number.isInteger(offset) && offset >= 0 && offset + pages <= world.filePages;
    if (!fileValid || !offsetValid) return specified(error("EINVAL"), state);
  }
  if (!protectionIncludes(command.maxprot, command.prot)) return specified(error("EINVAL"), state);
  const start = placeMapping(process.regions, pages, world.vaPages);
  if (start === null) return specified(error("ENOMEM"), state);
  const next = produce(state, (draft) => {
    let source: Source;
    if (command.backing.kind === "file") source = { kind: "file", file: command.backing.file, offset: command.backing.offset };
    else if (command.backing.kind === "reserved") source = { kind: "none" };
    else if (command.sharing === "shared") source = { kind: "zero", shared: true };
    else source = { kind: "zero" };
    let overlay = null;
    if (command.backing.kind === "anon" || (command.sharing === "private" && command.backing.kind !== "reserved")) {
      const id = draft.nextOverlay++;
      draft.overlays[id] = { slots: {} };
      overlay = { overlay: id, offset: 0 };
    }
    const region: Region = {
      start,
      pages,
      prot: command.prot,
      maxprot: command.maxprot,
      inherit: command.inherit,
      advice: command.advice,
      wired: false,
      source,
      overlay,
    };
    draft.processes[command.pid]!.regions = insertRegion(process.regions, region);
  });
  return specified(value(start), next);
}

export function munmap(state: ModelState, command: Munmap): Transition {
  const refusal = rangeRefusal(state, command);
  if (refusal !== null) return refusal;
  const end = command.va + command.pages;
  const next = produce(state, (draft) => {
    const regions = isolateRange(state.processes[command.pid]!.regions, command.va, end);
    draft.processes[command.pid]!.regions = regions.filter((region) => !insideRange(region, command.va, end));
  });
  return specified(ok, collectGarbage(next));
}

export function mprotect(state: ModelState, command: Mprotect): Transition {
  const refusal = rangeRefusal(state, command);
  if (refusal !== null) return refusal;
  const end = command.va + command.pages;
  const regions = isolateRange(state.processes[command.pid]!.regions, command.va, end);
  const inside = regions.filter((region) => insideRange(region, command.va, end));
  if (inside.some((region) => !protectionIncludes(region.maxprot, command.prot))) return specified(error("EACCES"), state);
  return specified(
    ok,
    updateRange(state, command, (region) => ({ ...region, prot: command.prot })),
  );
}

export function minherit(state: ModelState, command: Minherit): Transition {
  const refusal = rangeRefusal(state, command);
  if (refusal !== null) return refusal;
  return specified(
    ok,
    updateRange(state, command, (region) => ({ ...region, inherit: command.inherit })),
  );
}

export function madvise(state: ModelState, command: Madvise): Transition {
  const refusal = rangeRefusal(state, command);
  if (refusal !== null) return refusal;
  return specified(
    ok,
    updateRange(state, command, (region) => ({ ...region, advice: command.advice })),
  );
}

export function mlock(state: ModelState, command: Mlock): Transition {
  const refusal = rangeRefusal(state, command) ?? unmappedRefusal(state, command);
  if (refusal !== null) return refusal;
  const end = command.va + command.pages;
  const regions = isolateRange(state.processes[command.pid]!.regions, command.va, end);
  const inside = regions.filter((region) => insideRange(region, command.va, end));
  if (inside.some((region) => region.prot === "none")) return specified(error("EINVAL"), state);
  const wireRegions = (base: ModelState) =>
    produce(base, (draft) => {
      draft.processes[command.pid]!.regions = regions.map((region) => (insideRange(region, command.va, end) ? { ...region, wired: true } : region));
    });
  return wireFaults(state, inside, wireRegions);
}

/**
 * Pass 2 of uvm_map_pageable, page by page in address order over the regions not yet wired:
 * each page is faulted in (a private copy made where locking resolves copy-on-write), and the
 * first failure stops it, leaving the copies made so far and nothing wired. A reserved page
 * fails (EFAULT, reported as ENOMEM); a lost page fails with EIO; memory or a device may
 * fail at any page.
 */
function wireFaults(state: ModelState, inside: readonly Region[], wireRegions: (base: ModelState) => ModelState): Transition {
  const holders = cellHolders(state);
  let current = state;
  const exhausted: ModelState[] = [state];
  const failed: ModelState[] = [];
  const stop = (outcome: "ENOMEM" | "EIO") => orDeviceFailure(orOutOfMemory(specified(error(outcome), current), ...exhausted), ...failed);
  for (const region of inside) {
    if (region.wired) continue;
    for (let va = region.start; va < regionEnd(region); va++) {
      if (unbacked(region)) return stop("ENOMEM");
      if (pageContents(current, region, va) === "lost") return stop("EIO");
      failed.push(...accessFailures(current, region, va));
      const cell = cellAt(current, region, va);
      if (copiesWhenLocked(region, cell, holders)) {
        const before = current;
        current = produce(current, (draft) => privatize(draft, region, va));
        failed.push(...freshCopyLosses(before, current, region, va));
      } else if (cell === undefined) current = forgetObjectLoans(current, pageIdentity(current, region, va)); // wiring breaks its loans (F7)
      exhausted.push(current);
    }
  }
  if (exhausted.length === 1) return specified(ok, wireRegions(state));
  return orDeviceFailure(orOutOfMemory(specified(ok, wireRegions(current)), ...exhausted), ...failed);
}

export function munlock(state: ModelState, command: Munlock): Transition {
  const refusal = rangeRefusal(state, command) ?? unmappedRefusal(state, command);
  if (refusal !== null) return refusal;
  const end = command.va + command.pages;
  const regions = isolateRange(state.processes[command.pid]!.regions, command.va, end);
  if (regions.some((region) => insideRange(region, command.va, end) && !region.wired)) return specified(error("EINVAL"), state);
  return specified(
    ok,
    updateRange(state, command, (region) => ({ ...region, wired: false })),
  );
}

/** A private region gets its own copies when locked if it could ever be written, or is anonymous. */
/**
 * Whether locking a page of `region` gives it a new private copy: a writable (maxprot) private
 * page that still shows its source or shares its copy with someone (copy-on-write resolved
 * at wire time); and an untouched anonymous page, which is zero-filled. A shared copy locked
 * read-only stays shared.
 */
function copiesWhenLocked(region: Region, cell: Cell | undefined, holders: ReadonlyMap<number, number>): boolean {
  if (region.overlay === null) return false;
  const writable = (protectionBits(region.maxprot) & PROT_WRITE) !== 0;
  if (cell === undefined) return writable || region.source.kind === "zero";
  return writable && (holders.get(cell.tag) ?? 0) > 1;
}

function rangeRefusal(state: ModelState, range: PageRange): Transition | null {
  if (processOf(state, range.pid) === null) return specified(error("ESRCH"), state);
  if (!validRange(state.world, range.va, range.pages)) return specified(error("EINVAL"), state);
  return null;
}

/** uvm_map_pageable: a range starting in a hole is ENOMEM (EFAULT mapped by the syscall), a later hole EINVAL. */
function unmappedRefusal(state: ModelState, range: PageRange): Transition | null {
  const regions = state.processes[range.pid]!.regions;
  if (findRegion(regions, range.va) === null) return specified(error("ENOMEM"), state);
  if (mappedPagesIn(regions, range.va, range.va + range.pages) < range.pages) return specified(error("EINVAL"), state);
  return null;
}

/** Applies `change` to every region inside the range, splitting at its ends. */
function updateRange(state: ModelState, range: PageRange, change: (region: Region) => Region): ModelState {
  const end = range.va + range.pages;
  return produce(state, (draft) => {
    const regions = isolateRange(state.processes[range.pid]!.regions, range.va, end);
    draft.processes[range.pid]!.regions = regions.map((region) => (insideRange(region, range.va, end) ? change(region) : region));
  });
}
