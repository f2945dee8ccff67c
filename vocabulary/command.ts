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
//!               fileEvict               (the file's object frees its resident pages: a pager flush)
//!   loans       loan · loanFile · loanRead · loanReceive · unloan   (uvm_loan and its users)
//!   sysvShm     shmget · shmat · shmrm  (SysV shared memory: create a segment, attach it, IPC_RMID;
//!                                        detaching is munmap)
//!   machine     pageout                 (run the page daemon to a free-frame target)
//!               failNext · clearFailures (arm one device failure; switch injection off)
//!   threads     start · resume          (run an operation on a thread that parks at its sleep
//!                                        points; resume a parked one: the schedule is data)
//!
//! What each command returns is an `Outcome` (outcome.ts); what it means is the model's
//! business (model/step.ts).

import type { FailureKind } from "./failure.ts";
import type { Advice, Inheritance, Protection } from "./protection.ts";
import type { FileId, FilePage, LoanHandle, PageCount, Pid, SegmentId, ThreadId, Vpn, WordIndex } from "./units.ts";

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

/** The object of `file` frees its resident pages (written back first); loaned ones become orphans. */
export interface FileEvict {
  readonly kind: "fileEvict";
  readonly file: FileId;
}
/**
 * uvm_loan of a page range: to the kernel (UVM_LOAN_TOPAGE, the handle holds pages) or to
 * anons (UVM_LOAN_TOANON, the handle holds anons). Returns a loan handle.
 */
export interface Loan extends PageRange {
  readonly kind: "loan";
  readonly to: "kernel" | "anon";
}
/**
 * uvm_loanuobjpages: lend `pages` pages of a file to the kernel directly, without a mapping
 * (as the NFS server does for zero-copy reads). Returns a loan handle.
 */
export interface LoanFile {
  readonly kind: "loanFile";
  readonly file: FileId;
  readonly page: FilePage;
  readonly pages: PageCount;
}
/** What the kernel reads through page `index` of a loan (returns the word). */
export interface LoanRead {
  readonly kind: "loanRead";
  readonly handle: LoanHandle;
  readonly index: number;
  readonly word: WordIndex;
}
/** Maps a TOANON loan's anons into `pid` as a private copy-on-write region (returns its first page). */
export interface LoanReceive {
  readonly kind: "loanReceive";
  readonly handle: LoanHandle;
  readonly pid: Pid;
}
/** uvm_unloan: the holder gives the loan back. */
export interface Unloan {
  readonly kind: "unloan";
  readonly handle: LoanHandle;
}

/**
 * shmget(IPC_PRIVATE, pages): a new segment of `pages` zero-filled pages of shared memory
 * (returns its id); EINVAL for a size outside 1..vaPages, ENOSPC with SHM_SEGMENTS_MAX live.
 */
export interface Shmget {
  readonly kind: "shmget";
  readonly pages: PageCount;
}
/**
 * shmat(segment, NULL, readOnly ? SHM_RDONLY : 0): maps the whole segment, shared, at the
 * lowest free range, prot = maxprot = r or rw, inherit share, advice random (returns its
 * first page). ESRCH, EINVAL (no such segment, or removed), ENOMEM (no room).
 */
export interface Shmat {
  readonly kind: "shmat";
  readonly pid: Pid;
  readonly segment: SegmentId;
  readonly readOnly: boolean;
}
/** shmctl(segment, IPC_RMID): no new attach; the memory lives on while mapped. EINVAL if none. */
export interface Shmrm {
  readonly kind: "shmrm";
  readonly segment: SegmentId;
}

/** The most segments alive (created, not removed) at once (shminfo.shmmni, tiny so ENOSPC shows). */
export const SHM_SEGMENTS_MAX = 4;

/** Runs the page daemon until `targetFreeFrames` frames are free or nothing more can be reclaimed. */
export interface Pageout {
  readonly kind: "pageout";
  readonly targetFreeFrames: number;
}
/** The next operation of `failure`'s kind fails (a one-shot device failure). */
export interface FailNext {
  readonly kind: "failNext";
  readonly failure: FailureKind;
}
/** Switches every failure injection off: armed failures and per-run rates. */
export interface ClearFailures {
  readonly kind: "clearFailures";
}

/** The operations a thread can run: the ones that sleep in the seeds (the sleep sites of docs/seeds.md). */
export type ThreadOperation = Read | Write | FileRead | FileWrite | Loan | LoanFile | LoanRead | Unloan | Mlock | Fork;
export type ThreadOperationKind = ThreadOperation["kind"];
export const threadOperationKinds: readonly ThreadOperationKind[] = ["read", "write", "fileRead", "fileWrite", "loan", "loanFile", "loanRead", "unloan", "mlock", "fork"];

/** Threads 1..MAX_THREADS run operations; thread 0 runs every other command. */
export const MAX_THREADS = 3;

/**
 * Starts `operation` on thread `thread` (1..MAX_THREADS), which must be idle: it runs until it
 * completes or parks at its first sleep point. Returns ok (its own outcome comes when it
 * completes); EINVAL for a busy or unknown thread or an operation threads do not run.
 */
export interface Start {
  readonly kind: "start";
  readonly thread: ThreadId;
  readonly operation: ThreadOperation;
}
/** Resumes parked thread `thread` until it parks again or completes. Returns ok; EINVAL if it is not parked. */
export interface Resume {
  readonly kind: "resume";
  readonly thread: ThreadId;
}

export type Command =
  | Spawn
  | Fork
  | Exit
  | Mmap
  | Munmap
  | Mprotect
  | Minherit
  | Madvise
  | Mlock
  | Munlock
  | Read
  | Write
  | FileRead
  | FileWrite
  | FileEvict
  | Loan
  | LoanFile
  | LoanRead
  | LoanReceive
  | Unloan
  | Shmget
  | Shmat
  | Shmrm
  | Pageout
  | FailNext
  | ClearFailures
  | Start
  | Resume;

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
  "fileEvict",
  "loan",
  "loanFile",
  "loanRead",
  "loanReceive",
  "unloan",
  "shmget",
  "shmat",
  "shmrm",
  "pageout",
  "failNext",
  "clearFailures",
  "start",
  "resume",
];
