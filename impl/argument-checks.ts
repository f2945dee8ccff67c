//! The argument checks of the system calls, shared by both kernels (impl/kernel.ts for UVM,
//! impl/dragonfly/kernel.ts): an argument the model refuses is refused here, before any
//! kernel work, the same way for every system. Each returns the errno, or null to go on.
//!
//!   range    va and pages integers, va ≥ 0, pages ≥ 1, the range inside the address space
//!   mmap     1 ≤ pages ≤ address space; a file window inside the file; prot ⊆ maxprot
//!   access   the word inside the page; a stored value a safe integer
//!   file     the file exists, page and word inside it; a written value a safe integer
//!   shmget   1 ≤ pages ≤ address space (EINVAL); fewer than SHM_SEGMENTS_MAX live (ENOSPC)
//!   machine  a pageout target a non-negative integer; a failure kind the machine knows

import {
  type FailNext,
  type FileRead,
  type FileWrite,
  type Mmap,
  type PageRange,
  type Pageout,
  type Read,
  SHM_SEGMENTS_MAX,
  type Shmget,
  type Write,
} from "../vocabulary/command.ts";
import { failureKinds } from "../vocabulary/failure.ts";
import type { Errno } from "../vocabulary/outcome.ts";
import { protectionBits } from "../vocabulary/protection.ts";
import type { WorldConfig } from "../vocabulary/world.ts";

/** How often one access may trap and fault before the kernel calls it an endless refault (bug F12). */
export const ACCESS_RETRIES = 4;

export function rangeRefusal(range: PageRange, world: WorldConfig): Errno | null {
  const valid = Number.isInteger(range.va) && Number.isInteger(range.pages) && range.va >= 0 && range.pages >= 1;
  return valid && range.va + range.pages <= world.vaPages ? null : "EINVAL";
}

/** `filePages`: the size of the file a file mapping names, null when there is no such file. */
export function mmapRefusal(command: Mmap, world: WorldConfig, filePages: number | null): Errno | null {
  if (!Number.isInteger(command.pages) || command.pages < 1 || command.pages > world.vaPages) return "EINVAL";
  if (command.backing.kind === "file") {
    const offset = command.backing.offset;
    if (filePages === null || !Number.isInteger(offset) || offset < 0 || offset + command.pages > filePages) return "EINVAL";
  }
  return (protectionBits(command.prot) & ~protectionBits(command.maxprot)) === 0 ? null : "EINVAL";
}

export function accessRefusal(command: Read | Write, world: WorldConfig): Errno | null {
  if (!Number.isInteger(command.word) || command.word < 0 || command.word >= world.pageWords) return "EINVAL";
  return command.kind === "write" && !Number.isSafeInteger(command.value) ? "EINVAL" : null;
}

/** `exists`: whether the file the command names exists. */
export function fileAccessRefusal(command: FileRead | FileWrite, world: WorldConfig, exists: boolean): Errno | null {
  const pageValid = Number.isInteger(command.page) && command.page >= 0 && command.page < world.filePages;
  const wordValid = Number.isInteger(command.word) && command.word >= 0 && command.word < world.pageWords;
  if (!exists || !pageValid || !wordValid) return "EINVAL";
  return command.kind === "fileWrite" && !Number.isSafeInteger(command.value) ? "EINVAL" : null;
}

/** The page daemon's free-frame target, capped at the machine's frames; null when the argument is refused. */
export function pageoutTarget(command: Pageout, world: WorldConfig): number | null {
  if (!Number.isInteger(command.targetFreeFrames) || command.targetFreeFrames < 0) return null;
  return Math.min(command.targetFreeFrames, world.frames);
}

/** `live`: how many segments exist and are not removed. */
export function shmgetRefusal(command: Shmget, world: WorldConfig, live: number): Errno | null {
  if (!Number.isInteger(command.pages) || command.pages < 1 || command.pages > world.vaPages) return "EINVAL";
  return live >= SHM_SEGMENTS_MAX ? "ENOSPC" : null;
}

export function failNextRefusal(command: FailNext): Errno | null {
  return failureKinds.includes(command.failure) ? null : "EINVAL";
}
