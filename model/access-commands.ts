//! read, write (user loads and stores), fileRead, fileWrite (read(2)/write(2)).
//!
//! A load needs read permission and a store write permission, whatever the hardware could
//! do (semantic decision 8): a write-only page refuses loads with EACCES. A reserved page
//! (no backing at all) answers EFAULT to an access its protection allows. A page whose data
//! was lost answers EIO. A store to a private page that still tracks its source first takes
//! a private copy of what it shows now, then changes one word (the model's 2B/1B). Any
//! access may need a frame, so each may also fail with ENOMEM and no effect; a store that
//! failed after its page went private (the promotion stays committed, seed F:1476-1488)
//! leaves that private copy behind.

import { produce } from "immer";
import type { FileRead, FileWrite, Read, Write } from "../vocabulary/command.ts";
import { error, ok, value } from "../vocabulary/outcome.ts";
import { protectionBits, PROT_READ, PROT_WRITE } from "../vocabulary/protection.ts";
import { processOf, validValue, validWord } from "./checks.ts";
import { cellAt, pageContents, privatize, storePage, unbacked } from "./contents.ts";
import { findRegion } from "./regions.ts";
import type { ModelState, Region } from "./state.ts";
import { orOutOfMemory, specified, type Transition } from "./transition.ts";

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

export function read(state: ModelState, command: Read): Transition {
  const located = locate(state, command, PROT_READ);
  if ("refusal" in located) return located.refusal;
  const contents = pageContents(state, located.region, command.va);
  if (contents === "lost") return specified(error("EIO"), state);
  if (contents === "unbacked") throw new Error("model: unbacked region passed locate");
  return orOutOfMemory(specified(value(contents[command.word]!), state), state);
}

export function write(state: ModelState, command: Write): Transition {
  if (!validValue(command.value)) return specified(error("EINVAL"), state);
  const located = locate(state, command, PROT_WRITE);
  if ("refusal" in located) return located.refusal;
  const region = located.region;
  const contents = pageContents(state, region, command.va);
  if (contents === "lost") return specified(error("EIO"), state);
  if (contents === "unbacked") throw new Error("model: unbacked region passed locate");
  const written = produce(state, (draft) => {
    const words = [...contents];
    words[command.word] = command.value;
    storePage(draft, region, command.va, words);
  });
  const transition = orOutOfMemory(specified(ok, written), state);
  if (region.overlay === null || cellAt(state, region, command.va) !== undefined) return transition;
  const promotedOnly = produce(state, (draft) => privatize(draft, region, command.va));
  return orOutOfMemory(transition, promotedOnly);
}

function validFileWord(state: ModelState, command: FileRead | FileWrite): boolean {
  const world = state.world;
  const fileValid = Number.isInteger(command.file) && command.file >= 0 && command.file < world.files;
  const pageValid = Number.isInteger(command.page) && command.page >= 0 && command.page < world.filePages;
  return fileValid && pageValid && validWord(world, command.word);
}

export function fileRead(state: ModelState, command: FileRead): Transition {
  if (!validFileWord(state, command)) return specified(error("EINVAL"), state);
  const word = state.files[command.file]![command.page]![command.word]!;
  return orOutOfMemory(specified(value(word), state), state);
}

export function fileWrite(state: ModelState, command: FileWrite): Transition {
  if (!validFileWord(state, command) || !validValue(command.value)) return specified(error("EINVAL"), state);
  const next = produce(state, (draft) => {
    draft.files[command.file]![command.page]![command.word] = command.value;
  });
  return orOutOfMemory(specified(ok, next), state);
}
