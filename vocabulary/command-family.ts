//! Command families: the commands grouped by what a kernel needs to run them, so that a system
//! under test can say which groups it has (`SystemFactory.families`).
//!
//!   core        processes   spawn · fork · exit
//!               mappings    mmap · munmap · mprotect · minherit · madvise · mlock · munlock
//!               access      read · write
//!   optional    files       fileRead · fileWrite · fileEvict
//!               loans       loan · loanFile · loanRead · loanReceive · unloan
//!               sysvShm     shmget · shmat · shmrm
//!               machine     pageout · failNext · clearFailures
//!               threads     start · resume
//!
//! Every system runs the core. An optional family a system lacks is never generated for it,
//! and a stored counterexample that uses one is refused for it. A `start` uses two families:
//! `threads`, and the family of the operation it starts (a loan on a thread is a loan).
//!
//! What a family means is the model's (model/step.ts); an mmap of a file is a mapping, so a
//! system without `files` still maps files, it only lacks read(2), write(2) and the flush.

import type { Command, CommandKind } from "./command.ts";

export type CommandFamily = "processes" | "mappings" | "access" | "files" | "loans" | "sysvShm" | "machine" | "threads";

export const commandFamilies: readonly CommandFamily[] = ["processes", "mappings", "access", "files", "loans", "sysvShm", "machine", "threads"];

/** The families every system runs. */
export const coreFamilies: readonly CommandFamily[] = ["processes", "mappings", "access"];

const familyOfKind: Readonly<Record<CommandKind, CommandFamily>> = {
  spawn: "processes",
  fork: "processes",
  exit: "processes",
  mmap: "mappings",
  munmap: "mappings",
  mprotect: "mappings",
  minherit: "mappings",
  madvise: "mappings",
  mlock: "mappings",
  munlock: "mappings",
  read: "access",
  write: "access",
  fileRead: "files",
  fileWrite: "files",
  fileEvict: "files",
  loan: "loans",
  loanFile: "loans",
  loanRead: "loans",
  loanReceive: "loans",
  unloan: "loans",
  shmget: "sysvShm",
  shmat: "sysvShm",
  shmrm: "sysvShm",
  pageout: "machine",
  failNext: "machine",
  clearFailures: "machine",
  start: "threads",
  resume: "threads",
};

/** The family a command kind belongs to. */
export function familyOf(kind: CommandKind): CommandFamily {
  return familyOfKind[kind];
}

/** The families `command` uses: its own, and for a `start` its operation's too. */
export function familiesOf(command: Command): CommandFamily[] {
  const own = familyOf(command.kind);
  return command.kind === "start" ? [own, familyOf(command.operation.kind)] : [own];
}

/** The first family `command` uses that `supported` lacks, or null when it has them all. */
export function missingFamily(command: Command, supported: ReadonlySet<CommandFamily>): CommandFamily | null {
  return familiesOf(command).find((family) => !supported.has(family)) ?? null;
}

/** What is wrong with `value` as a list of families (null: nothing). */
export function familiesProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return "must be an array of command families";
  const unknown = value.filter((family) => !commandFamilies.includes(family as CommandFamily));
  if (unknown.length > 0) return `names no command family: ${unknown.map((family) => JSON.stringify(family)).join(", ")} (known: ${commandFamilies.join(", ")})`;
  return null;
}
