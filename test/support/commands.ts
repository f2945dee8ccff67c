// Terse constructors for concrete commands in tests.
import type { Backing, Command, Sharing, ThreadOperation } from "../../vocabulary/command.ts";
import type { FailureKind } from "../../vocabulary/failure.ts";
import type { Advice, Inheritance, Protection } from "../../vocabulary/protection.ts";
import { fileId, filePage, loanHandle, pageCount, pid, segmentId, threadId, vpn, wordIndex } from "../../vocabulary/units.ts";

export const spawn = (): Command => ({ kind: "spawn" });
export const fork = (parent: number): Command => ({ kind: "fork", pid: pid(parent) });
export const exit = (process: number): Command => ({ kind: "exit", pid: pid(process) });

export interface MmapOptions {
  readonly prot?: Protection;
  readonly maxprot?: Protection;
  readonly sharing?: Sharing;
  readonly inherit?: Inheritance;
  readonly advice?: Advice;
}

function mmap(process: number, pages: number, backing: Backing, options: MmapOptions): Command {
  const sharing = options.sharing ?? "private";
  return {
    kind: "mmap",
    pid: pid(process),
    pages: pageCount(pages),
    prot: options.prot ?? "rw",
    maxprot: options.maxprot ?? "rw",
    backing,
    sharing,
    inherit: options.inherit ?? (sharing === "shared" ? "share" : "copy"),
    advice: options.advice ?? "normal",
  };
}

export const mmapAnon = (process: number, pages: number, options: MmapOptions = {}) => mmap(process, pages, { kind: "anon" }, options);
export const mmapFile = (process: number, pages: number, file: number, offset: number, options: MmapOptions = {}) =>
  mmap(process, pages, { kind: "file", file: fileId(file), offset: filePage(offset) }, options);
export const mmapReserved = (process: number, pages: number, options: MmapOptions = {}) =>
  mmap(process, pages, { kind: "reserved" }, { ...options, sharing: "shared" });

const range = (process: number, va: number, pages: number) => ({ pid: pid(process), va: vpn(va), pages: pageCount(pages) });
export const munmap = (process: number, va: number, pages: number): Command => ({ kind: "munmap", ...range(process, va, pages) });
export const mprotect = (process: number, va: number, pages: number, prot: Protection): Command => ({ kind: "mprotect", ...range(process, va, pages), prot });
export const minherit = (process: number, va: number, pages: number, inherit: Inheritance): Command => ({
  kind: "minherit",
  ...range(process, va, pages),
  inherit,
});
export const madvise = (process: number, va: number, pages: number, advice: Advice): Command => ({ kind: "madvise", ...range(process, va, pages), advice });
export const mlock = (process: number, va: number, pages: number): Command => ({ kind: "mlock", ...range(process, va, pages) });
export const munlock = (process: number, va: number, pages: number): Command => ({ kind: "munlock", ...range(process, va, pages) });
export const read = (process: number, va: number, word = 0): Command => ({ kind: "read", pid: pid(process), va: vpn(va), word: wordIndex(word) });
export const write = (process: number, va: number, value: number, word = 0): Command => ({
  kind: "write",
  pid: pid(process),
  va: vpn(va),
  word: wordIndex(word),
  value,
});
export const fileRead = (file: number, page: number, word = 0): Command => ({
  kind: "fileRead",
  file: fileId(file),
  page: filePage(page),
  word: wordIndex(word),
});
export const fileWrite = (file: number, page: number, value: number, word = 0): Command => ({
  kind: "fileWrite",
  file: fileId(file),
  page: filePage(page),
  word: wordIndex(word),
  value,
});
export const loan = (process: number, va: number, pages: number, to: "kernel" | "anon"): Command => ({ kind: "loan", ...range(process, va, pages), to });
export const unloan = (handle: number): Command => ({ kind: "unloan", handle: loanHandle(handle) });
export const loanRead = (handle: number, index: number, word = 0): Command => ({ kind: "loanRead", handle: loanHandle(handle), index, word: wordIndex(word) });
export const pageout = (targetFreeFrames: number): Command => ({ kind: "pageout", targetFreeFrames });
export const failNext = (failure: FailureKind): Command => ({ kind: "failNext", failure });
export const clearFailures = (): Command => ({ kind: "clearFailures" });
/** Runs `operation` on thread `thread` until it completes or parks. */
export const start = (thread: number, operation: Command): Command => ({ kind: "start", thread: threadId(thread), operation: operation as ThreadOperation });
export const resume = (thread: number): Command => ({ kind: "resume", thread: threadId(thread) });
export const shmget = (pages: number): Command => ({ kind: "shmget", pages: pageCount(pages) });
export const shmat = (process: number, segment: number, readOnly = false): Command => ({ kind: "shmat", pid: pid(process), segment: segmentId(segment), readOnly });
export const shmrm = (segment: number): Command => ({ kind: "shmrm", segment: segmentId(segment) });
