//! Commands: the one vocabulary spoken by the model, the implementation, the properties and
//! the counterexample files.
//!
//! A command is plain JSON data. It names its targets concretely (a pid, a virtual page, a
//! file page), so a stored sequence replays against any later version of the generators.
//! Each command is one system call or one hardware event:
//!
//!   processes   spawn · fork · exit
//!   mappings    mmap · munmap · mprotect · minherit · madvise · mlock · munlock
//!   access      read · write            (through the simulated MMU; may page-fault)
//!   files       fileRead · fileWrite    (read(2)/write(2) through the file's object)
//!
//! What each command returns is an `Outcome` (outcome.ts); what it means is the model's
//! business (model/step.ts).

import type { Advice, Inheritance, Protection } from "./protection.ts";
import type { FileId, FilePage, PageCount, Pid, Vpn, WordIndex } from "./units.ts";

/**
 * What a mapping is backed by: zero-fill anonymous memory, a window onto a file, or nothing
 * at all (`reserved`: address space held with no backing store, like uvm_map_reserve; an
 * access its protection allows is a layerless fault, case 0, and gets EFAULT).
 */
export type Backing = { readonly kind: "anon" } | { readonly kind: "file"; readonly file: FileId; readonly offset: FilePage } | { readonly kind: "reserved" };

/** MAP_SHARED or MAP_PRIVATE. */
export type Sharing = "shared" | "private";

/** A new, empty process (returns its pid). */
export interface Spawn {
  readonly kind: "spawn";
}
/** uvmspace_fork: a child with each mapping inherited per its inheritance (returns the child pid). */
export interface Fork {
  readonly kind: "fork";
  readonly pid: Pid;
}
/** The process unmaps everything and disappears. */
export interface Exit {
  readonly kind: "exit";
  readonly pid: Pid;
}
/** A new mapping placed at the lowest free range that fits (returns its first page). */
export interface Mmap {
  readonly kind: "mmap";
  readonly pid: Pid;
  readonly pages: PageCount;
  readonly prot: Protection;
  readonly maxprot: Protection;
  readonly backing: Backing;
  readonly sharing: Sharing;
  readonly inherit: Inheritance;
  readonly advice: Advice;
}
/** A page range of one process, the operand of every range command. */
export interface PageRange {
  readonly pid: Pid;
  readonly va: Vpn;
  readonly pages: PageCount;
}
export interface Munmap extends PageRange {
  readonly kind: "munmap";
}
export interface Mprotect extends PageRange {
  readonly kind: "mprotect";
  readonly prot: Protection;
}
export interface Minherit extends PageRange {
  readonly kind: "minherit";
  readonly inherit: Inheritance;
}
export interface Madvise extends PageRange {
  readonly kind: "madvise";
  readonly advice: Advice;
}
/** mlock(2): wire the range (uvm_map_pageable → uvm_fault_wire). */
export interface Mlock extends PageRange {
  readonly kind: "mlock";
}
/** munlock(2): unwire the range (uvm_map_pageable → uvm_fault_unwire). */
export interface Munlock extends PageRange {
  readonly kind: "munlock";
}
/** A user load of one word (returns its value). */
export interface Read {
  readonly kind: "read";
  readonly pid: Pid;
  readonly va: Vpn;
  readonly word: WordIndex;
}
/** A user store of one word. */
export interface Write {
  readonly kind: "write";
  readonly pid: Pid;
  readonly va: Vpn;
  readonly word: WordIndex;
  readonly value: number;
}
/** read(2) of one word of a file (returns its value). */
export interface FileRead {
  readonly kind: "fileRead";
  readonly file: FileId;
  readonly page: FilePage;
  readonly word: WordIndex;
}
/** write(2) of one word of a file. */
export interface FileWrite {
  readonly kind: "fileWrite";
  readonly file: FileId;
  readonly page: FilePage;
  readonly word: WordIndex;
  readonly value: number;
}

export type Command = Spawn | Fork | Exit | Mmap | Munmap | Mprotect | Minherit | Madvise | Mlock | Munlock | Read | Write | FileRead | FileWrite;

export type CommandKind = Command["kind"];

export const commandKinds: readonly CommandKind[] = [
  "spawn",
  "fork",
  "exit",
  "mmap",
  "munmap",
  "mprotect",
  "minherit",
  "madvise",
  "mlock",
  "munlock",
  "read",
  "write",
  "fileRead",
  "fileWrite",
];
