//! read, write (user loads and stores), fileRead, fileWrite (read(2)/write(2)).
//!
//! A load needs read permission and a store write permission, whatever the hardware could
//! do (semantic decision 8): a write-only page refuses loads with EACCES. A reserved page
//! (no backing at all) answers EFAULT to an access its protection allows. A page whose data
//! was lost answers EIO (or ENOMEM, under the allowance `enomemBeforeEio`).
//!
//! A store to a private page that still shows its source first takes a private copy of what
//! it shows, then changes one word (the model's 2B/1B). The first load of an untouched
//! private anonymous page also gives it its own (zero) copy: UVM zero-fills on a read fault
//! (seed F:1610-1612), and the copy is what a later device failure can lose.
//!
//! The environment adds outcomes (model/failures.ts, transition.ts): any access may need a
//! frame, so it may fail with ENOMEM and no effect (or, under the allowance
//! `copyKeptOnEnomem`, with the private copy its fault made kept); an access that reads a
//! file may answer EIO if backing reads can fail; one that reads anonymous data may find it
//! lost (and, under `copyLostBeforeUse`, so may the copy it just made).

import { produce } from "immer";
import type { FileRead, FileWrite, Read, Write } from "../vocabulary/command.ts";
import { error, ok, value } from "../vocabulary/outcome.ts";
import { PROT_READ, PROT_WRITE, protectionBits } from "../vocabulary/protection.ts";
import { processOf, validValue, validWord } from "./checks.ts";
import { cellAt, pageContents, privatize, storePage, unbacked } from "./contents.ts";
import { accessFailures, consumeFailure, failurePossible, freshCopyLosses } from "./failures.ts";
import { forgetObjectLoans, pageIdentity } from "./identity.ts";
import { findRegion } from "./regions.ts";
import { allows, type ModelState, type Region } from "./state.ts";
import { orDeviceFailure, orOutOfMemory, specified, type Transition } from "./transition.ts";

type Located = { readonly region: Region } | { readonly refusal: Transition };

/** The region a user access to `va` goes through, or the refusal it gets. */
function locate(state: ModelState, command: Read | Write, needs: number): Located {
  if (processOf(state, command.pid) === null) return { refusal: specified(error("ESRCH"), state) };
  if (!validWord(state.world, command.word)) return { refusal: specified(error("EINVAL"), state) };
  const region = findRegion(state.processes[command.pid]!.regions, command.va);
  if (region === null) return { refusal: specified(error("EFAULT"), state) };
  if ((protectionBits(region.prot) & needs) !== needs) return { refusal: specified(error("EACCES"), state) };
  if (unbacked(region)) return { refusal: specified(error("EFAULT"), state) };
  return { region };
}

/**
 * The first load of an untouched private anonymous page gives it its own zero copy: `state`
 * with it, or `state` itself. (Asked of `state`, not of a draft: reading through a draft
 * copies every object on the way, the whole overlay, on every read.)
 */
function zeroFillOnRead(state: ModelState, region: Region, va: number): ModelState {
  if (region.overlay === null || region.source.kind !== "zero" || cellAt(state, region, va) !== undefined) return state;
  return produce(state, (draft) => privatize(draft, region, va));
}

/**
 * `state` with the zero copy the first fault on `va` of `pid` makes if the page is an
 * untouched private anonymous one (whatever the access: a store's fault makes it too, before
 * it copies) and the access passes the protection check (`needs`, PROT_* bits), or `state` itself.
 */
export function withZeroFill(state: ModelState, pid: number, va: number, needs = 0): ModelState {
  const region = state.processes[pid] === undefined ? null : findRegion(state.processes[pid]!.regions, va);
  if (region === null || region.overlay === null || region.source.kind !== "zero" || cellAt(state, region, va) !== undefined) return state;
  if ((protectionBits(region.prot) & needs) !== needs) return state;
  return zeroFillOnRead(state, region, va);
}

/**
 * `state` with the private copy a write's fault on `va` of `pid` makes before it stores (a
 * promotion: the same words, a copy of its own), if the page is private, writable (or, under
 * `copyBeforeRevalidation`, was when the write's fault looked the map up), and its data is
 * not already a copy only this page holds; or `state` itself. The copy shows only through
 * sharing: a later swap failure, a fork, a loan.
 */
export function withWriteCopy(state: ModelState, pid: number, va: number): ModelState {
  const region = state.processes[pid] === undefined ? null : findRegion(state.processes[pid]!.regions, va);
  if (region === null || region.overlay === null || region.source.kind === "none") return state;
  if ((protectionBits(region.prot) & PROT_WRITE) === 0 && !allows(state, "copyBeforeRevalidation")) return state;
  const cell = cellAt(state, region, va);
  if (cell !== undefined && !cellShared(state, cell.tag)) return state;
  return produce(state, (draft) => privatize(draft, region, va));
}

/** Whether more than one overlay slot or loan page holds the copy tagged `tag`. */
function cellShared(state: ModelState, tag: number): boolean {
  let holders = 0;
  for (const overlay of Object.values(state.overlays)) for (const cell of Object.values(overlay.slots)) if (cell.tag === tag) holders++;
  for (const loan of Object.values(state.loans)) for (const cell of loan.pages) if (cell.tag === tag) holders++;
  return holders > 1;
}

/** An access to data a device failure destroyed: EIO (or ENOMEM, under `enomemBeforeEio`). */
function lostData(state: ModelState): Transition {
  const lost = specified(error("EIO"), state);
  return allows(state, "enomemBeforeEio") ? orOutOfMemory(lost, state) : lost;
}

/** The states an access's ENOMEM may leave: none changed, or (under `copyKeptOnEnomem`) `copied` too. */
function exhaustedStates(state: ModelState, copied: ModelState | null): ModelState[] {
  return copied !== null && allows(state, "copyKeptOnEnomem") ? [state, copied] : [state];
}

/** The states where the copy an access made (`after`) was lost before it completed, under `copyLostBeforeUse`. */
function copyLosses(before: ModelState, after: ModelState, region: Region, va: number): ModelState[] {
  return allows(before, "copyLostBeforeUse") ? freshCopyLosses(before, after, region, va) : [];
}

export function read(state: ModelState, command: Read): Transition {
  const located = locate(state, command, PROT_READ);
  if ("refusal" in located) return located.refusal;
  const region = located.region;
  const contents = pageContents(state, region, command.va);
  if (contents === "lost") return lostData(state);
  if (contents === "unbacked") throw new Error("model: unbacked region passed locate");
  const filled = zeroFillOnRead(state, region, command.va);
  const transition = orOutOfMemory(specified(value(contents[command.word]!), filled), ...exhaustedStates(state, filled));
  return orDeviceFailure(transition, ...accessFailures(state, region, command.va), ...copyLosses(state, filled, region, command.va));
}

export function write(state: ModelState, command: Write): Transition {
  if (!validValue(command.value)) return specified(error("EINVAL"), state);
  const located = locate(state, command, PROT_WRITE);
  if ("refusal" in located) return located.refusal;
  const region = located.region;
  const contents = pageContents(state, region, command.va);
  if (contents === "lost") return lostData(state);
  if (contents === "unbacked") throw new Error("model: unbacked region passed locate");
  const written = forgetObjectLoans(
    produce(state, (draft) => {
      const words = [...contents];
      words[command.word] = command.value;
      storePage(draft, region, command.va, words);
    }),
    region.overlay === null ? pageIdentity(state, region, command.va) : "-",
  );
  const promoted = region.overlay === null ? null : produce(state, (draft) => privatize(draft, region, command.va));
  const lostCopy = promoted === null ? [] : copyLosses(state, promoted, region, command.va);
  return orDeviceFailure(orOutOfMemory(specified(ok, written), ...exhaustedStates(state, promoted)), ...accessFailures(state, region, command.va), ...lostCopy);
}

function validFileWord(state: ModelState, command: FileRead | FileWrite): boolean {
  const world = state.world;
  const fileValid = Number.isInteger(command.file) && command.file >= 0 && command.file < world.files;
  const pageValid = Number.isInteger(command.page) && command.page >= 0 && command.page < world.filePages;
  return fileValid && pageValid && validWord(world, command.word);
}

/** A backing read failure shows as EIO on a read(2) or write(2) of the file; nothing changes. */
function fileFailures(state: ModelState): ModelState[] {
  return failurePossible(state, "backingRead") ? [produce(state, (draft) => consumeFailure(draft, "backingRead"))] : [];
}

export function fileRead(state: ModelState, command: FileRead): Transition {
  if (!validFileWord(state, command)) return specified(error("EINVAL"), state);
  const word = state.files[command.file]![command.page]![command.word]!;
  return orDeviceFailure(orOutOfMemory(specified(value(word), state), state), ...fileFailures(state));
}

export function fileWrite(state: ModelState, command: FileWrite): Transition {
  if (!validFileWord(state, command) || !validValue(command.value)) return specified(error("EINVAL"), state);
  const next = produce(forgetObjectLoans(state, `file:${command.file}:${command.page}`), (draft) => {
    draft.files[command.file]![command.page]![command.word] = command.value;
  });
  return orDeviceFailure(orOutOfMemory(specified(ok, next), state), ...fileFailures(state));
}
