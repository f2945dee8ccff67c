//! Branded numbers of the vocabulary.
//!
//! Every number that crosses a layer boundary carries its unit in its type, so a virtual
//! page number cannot be passed where a page count or a process id is expected. Commands in
//! JSON files hold plain numbers; `command-parse.ts` is the one place that brands them.
//! Implementation-only units (frame numbers, swap slots) live in `impl/hardware/units.ts`.

declare const unit: unique symbol;
export type Branded<T, Unit extends string> = T & { readonly [unit]: Unit };

/** A virtual page number inside one process's address space. */
export type Vpn = Branded<number, "Vpn">;
/** A number of pages. */
export type PageCount = Branded<number, "PageCount">;
/** A process id. Ids are handed out in increasing order and never reused. */
export type Pid = Branded<number, "Pid">;
/** A file of the simulated file system, `0 .. files-1`. */
export type FileId = Branded<number, "FileId">;
/** A page index inside a file. */
export type FilePage = Branded<number, "FilePage">;
/** A word index inside a page, `0 .. pageWords-1`. */
export type WordIndex = Branded<number, "WordIndex">;
/** A loan handle. Handles are handed out in increasing order and never reused. */
export type LoanHandle = Branded<number, "LoanHandle">;
/** A SysV shared memory segment id (shmget's). Ids are handed out from 1 in increasing order and never reused. */
export type SegmentId = Branded<number, "SegmentId">;
/** A simulated kernel thread (the concurrency issue). */
export type ThreadId = Branded<number, "ThreadId">;

export const vpn = (n: number) => n as Vpn;
export const pageCount = (n: number) => n as PageCount;
export const pid = (n: number) => n as Pid;
export const fileId = (n: number) => n as FileId;
export const filePage = (n: number) => n as FilePage;
export const wordIndex = (n: number) => n as WordIndex;
export const loanHandle = (n: number) => n as LoanHandle;
export const threadId = (n: number) => n as ThreadId;
export const segmentId = (n: number) => n as SegmentId;
