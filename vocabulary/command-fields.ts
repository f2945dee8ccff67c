//! The fields of every command kind, as data: one table row per kind, naming each field and
//! the type of value it holds.
//!
//! The table is what makes a stored command more than an opaque object. From it,
//!
//!   command-parse.ts          validates a command read from a counterexample file, field
//!                             by field, and brands its numbers
//!   command-format.ts         prints a command on one line of a trace
//!   properties/counterexample-files/shrink/        simplifies arguments by field type, and follows references
//!                             (a pid, a virtual page, a loan handle) to the command that
//!                             created what they name, so deletions can renumber them
//!
//! A field's type says what its value means, not only how it is spelled:
//!
//!   pid          a process, by id: init is 1; spawn and fork hand out the next ids
//!   va           a virtual page of the process named by the command's `pid` field
//!   loanHandle   a loan, by handle: each loan hands out the next one
//!   pageCount    a number of pages        word        a word index inside a page
//!   value        a word's value           file        a file id
//!   filePage     a page index in a file   loanIndex   a page index in a loan
//!   frameCount   a number of frames       failureKind a device failure (vocabulary/failure.ts)
//!   thread       a thread, 1..MAX_THREADS operation   a command a thread runs (command.ts ThreadOperation)
//!   segment      a SysV shared memory segment, by id: each shmget hands out the next one
//!   flag         true or false (shmat's readOnly)
//!   protection · inheritance · advice · sharing · loanTarget (kernel or anon)   one of a few names
//!   backing      `{kind: "anon" | "reserved"}` or `{kind: "file", file, offset}`
//!
//! `creates` says which kind of name a successful command hands out as its `value` outcome:
//! spawn and fork a pid, mmap (and loanReceive) the first page of a new mapping, loan (and
//! loanFile) a handle, shmget a segment id, shmat the first page of the mapping it makes. Adding a command kind to the vocabulary is adding one row here.

import type { Command, CommandKind } from "./command.ts";

export type FieldType =
  | "pid"
  | "va"
  | "pageCount"
  | "word"
  | "value"
  | "file"
  | "filePage"
  | "protection"
  | "inheritance"
  | "advice"
  | "sharing"
  | "backing"
  | "loanHandle"
  | "loanIndex"
  | "loanTarget"
  | "frameCount"
  | "failureKind"
  | "thread"
  | "operation"
  | "segment"
  | "flag";

/** The names a command can hand out, as its `value` outcome. */
export type CreatedName = "pid" | "va" | "loanHandle" | "segment";

export interface FieldSpec<Name extends string = string> {
  readonly name: Name;
  readonly type: FieldType;
}

export interface CommandSpec {
  /** Every field but `kind`, in the order files and traces spell them. */
  readonly fields: readonly FieldSpec[];
  readonly creates?: CreatedName;
}

/** A row whose field names are fields of the command kind it describes. */
type CheckedSpec<C> = CommandSpec & { readonly fields: readonly FieldSpec<Exclude<keyof C & string, "kind">>[] };
type CommandSpecs = { readonly [K in CommandKind]: CheckedSpec<Extract<Command, { kind: K }>> };

const pid = { name: "pid", type: "pid" } as const;
const va = { name: "va", type: "va" } as const;
const pages = { name: "pages", type: "pageCount" } as const;
const word = { name: "word", type: "word" } as const;
const value = { name: "value", type: "value" } as const;
const file = { name: "file", type: "file" } as const;
const handle = { name: "handle", type: "loanHandle" } as const;
const range = [pid, va, pages] as const;
const segment = { name: "segment", type: "segment" } as const;

export const commandSpecs: CommandSpecs = {
  spawn: { fields: [], creates: "pid" },
  fork: { fields: [pid], creates: "pid" },
  exit: { fields: [pid] },
  mmap: {
    fields: [
      pid,
      pages,
      { name: "prot", type: "protection" },
      { name: "maxprot", type: "protection" },
      { name: "backing", type: "backing" },
      { name: "sharing", type: "sharing" },
      { name: "inherit", type: "inheritance" },
      { name: "advice", type: "advice" },
    ],
    creates: "va",
  },
  munmap: { fields: range },
  mprotect: { fields: [...range, { name: "prot", type: "protection" }] },
  minherit: { fields: [...range, { name: "inherit", type: "inheritance" }] },
  madvise: { fields: [...range, { name: "advice", type: "advice" }] },
  mlock: { fields: range },
  munlock: { fields: range },
  read: { fields: [pid, va, word] },
  write: { fields: [pid, va, word, value] },
  fileRead: { fields: [file, { name: "page", type: "filePage" }, word] },
  fileWrite: { fields: [file, { name: "page", type: "filePage" }, word, value] },
  fileEvict: { fields: [file] },
  loan: { fields: [...range, { name: "to", type: "loanTarget" }], creates: "loanHandle" },
  loanFile: { fields: [file, { name: "page", type: "filePage" }, pages], creates: "loanHandle" },
  loanRead: { fields: [handle, { name: "index", type: "loanIndex" }, word] },
  loanReceive: { fields: [handle, pid], creates: "va" },
  unloan: { fields: [handle] },
  shmget: { fields: [pages], creates: "segment" },
  shmat: { fields: [pid, segment, { name: "readOnly", type: "flag" }], creates: "va" },
  shmrm: { fields: [segment] },
  pageout: { fields: [{ name: "targetFreeFrames", type: "frameCount" }] },
  failNext: { fields: [{ name: "failure", type: "failureKind" }] },
  clearFailures: { fields: [] },
  start: { fields: [{ name: "thread", type: "thread" }, { name: "operation", type: "operation" }] },
  resume: { fields: [{ name: "thread", type: "thread" }] },
};

/** The table row of `kind`, or undefined for a kind the vocabulary does not have. */
export function commandSpecOf(kind: string): CommandSpec | undefined {
  return Object.hasOwn(commandSpecs, kind) ? (commandSpecs as Readonly<Record<string, CommandSpec>>)[kind] : undefined;
}

/** The value of field `name` of `command`, as plain data. */
export function fieldValue(command: Command, name: string): unknown {
  return (command as unknown as Readonly<Record<string, unknown>>)[name];
}

/** `command` with field `name` set to `value` (the caller keeps it well typed). */
export function withField(command: Command, name: string, value: unknown): Command {
  return { ...command, [name]: value } as Command;
}
