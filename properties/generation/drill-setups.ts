//! The setups of the drills (drills.ts, whose tables say what each recipe prepares): for each
//! recipe, the commands that map fresh pages and bring them into the recipe's state; then what
//! the drill's thread starts, where a second operation aims, and what the cleanup undoes. A
//! step that fails (an mmap with no room left, a loan refused, a fork over the process limit)
//! ends the setup: the drill then does nothing more.

import type { Command, Sharing, ThreadOperation } from "../../vocabulary/command.ts";
import { MAX_THREADS } from "../../vocabulary/command.ts";
import type { Advice, Inheritance, Protection } from "../../vocabulary/protection.ts";
import { fileId, filePage, loanHandle, pageCount, type Pid, pid, segmentId, vpn, wordIndex } from "../../vocabulary/units.ts";
import type { DrillHost, DrillOperation, DrillTemplate, DrillTouch } from "./drills.ts";
import type { Page } from "./targets.ts";

/** What a prepared drill starts, where its second operation aims, what its cleanup runs. */
export interface Prepared {
  /** The operation the drill's thread starts. */
  readonly first: ThreadOperation;
  /** The page a second operation aims at. */
  readonly second: Page;
  /** Run when nobody sleeps any more (an unloan only while its loan is outstanding). */
  readonly cleanup: readonly Command[];
  /** Run at once while the first operation sleeps, before the second operation and the interferences. */
  readonly asleep?: readonly Command[];
}

/** The setup: fresh pages mapped and prepared by the recipe; null where a step failed (or no thread is idle). */
export function prepare(drill: DrillTemplate, host: DrillHost): Prepared | null {
  const processes = Object.keys(host.model().processes)
    .map(Number)
    .sort((a, b) => a - b);
  if (processes.length === 0 || host.threads().pending.length >= MAX_THREADS) return null;
  const owner = pid(processes[drill.process % processes.length]!);
  switch (drill.recipe) {
    case "fileFault":
    case "swapIn":
    case "memoryWait":
    case "pmapFailure":
    case "loanedPage":
    case "unloan":
      return prepareSleep(drill, host, owner);
    case "sharedAmap":
      return prepareSharedAmap(drill, host, owner);
    case "orphan":
      return prepareOrphan(drill, host, owner);
    case "reactivate":
      return prepareReactivate(drill, host, owner);
    case "wired":
      return prepareWired(drill, host, owner);
  }
}

/** How `mapFresh` maps: shared or private, inherited as `sharing` says unless `inherit` is given, with `advice` and `prot` (default rw). */
interface Mapping {
  readonly sharing: Sharing;
  readonly prot?: Protection;
  readonly inherit?: Inheritance;
  readonly advice?: Advice;
}

/** Maps `pages` fresh pages for `owner`; their first page, or null if the mmap failed. */
function mapFresh(host: DrillHost, owner: Pid, pages: number, file: DrillTemplate["file"], mapping: Mapping): Page | null {
  const world = host.model().world;
  const backing =
    file === null
      ? { kind: "anon" as const }
      : { kind: "file" as const, file: fileId(file.file % world.files), offset: filePage(Math.min(file.offset % world.filePages, world.filePages - pages)) };
  const { sharing, advice = "normal", prot = "rw" } = mapping;
  const inherit = mapping.inherit ?? (sharing === "shared" ? "share" : "copy");
  if (file === null && sharing === "shared" && host.threads().families.has("sysvShm")) return attachFresh(host, owner, pages, inherit, advice);
  const mapped = host.run({ kind: "mmap", pid: owner, pages: pageCount(pages), prot, maxprot: "rw", backing, sharing, inherit, advice });
  return mapped.kind === "value" ? { pid: owner, va: vpn(mapped.value) } : null;
}

/**
 * Shared anonymous pages for a drill are a SysV shm segment where the system has them (an
 * aobj in NetBSD, whose pager paths the recipes are after; MAP_SHARED|MAP_ANON is an amap):
 * created, attached, removed at once (it dies with its mapping), then given the mapping's
 * inheritance and advice.
 */
function attachFresh(host: DrillHost, owner: Pid, pages: number, inherit: Inheritance, advice: Advice): Page | null {
  const created = host.run({ kind: "shmget", pages: pageCount(pages) });
  if (created.kind !== "value") return null;
  const segment = segmentId(created.value);
  const attached = host.run({ kind: "shmat", pid: owner, segment, readOnly: false });
  host.run({ kind: "shmrm", segment });
  if (attached.kind !== "value") return null;
  const range = { pid: owner, va: vpn(attached.value), pages: pageCount(pages) };
  if (inherit !== "share") host.run({ kind: "minherit", ...range, inherit });
  if (advice !== "random") host.run({ kind: "madvise", ...range, advice });
  return { pid: owner, va: range.va };
}

/** Touches `page` as `how` says; false if the access failed. */
function touch(host: DrillHost, page: Page, how: DrillTouch, value: number): boolean {
  if (how === "none") return true;
  const { pid: process, va } = page;
  const command: Command =
    how === "read" ? { kind: "read", pid: process, va, word: wordIndex(0) } : { kind: "write", pid: process, va, word: wordIndex(0), value };
  return host.run(command).kind !== "error";
}

/** A fresh private anonymous page for `owner`: a command that moves its map. */
function mapAnother(owner: Pid): Command {
  const backing = { kind: "anon" as const };
  return { kind: "mmap", pid: owner, pages: pageCount(1), prot: "rw", maxprot: "rw", backing, sharing: "private", inherit: "copy", advice: "normal" };
}

function unmapOne(page: Page, pages = 1): Command {
  return { kind: "munmap", pid: page.pid, va: page.va, pages: pageCount(pages) };
}

/** The recipes that put the thread to sleep on one fresh page (drills.ts's table). */
function prepareSleep(drill: DrillTemplate, host: DrillHost, owner: Pid): Prepared | null {
  const file = drill.recipe === "fileFault" ? (drill.file ?? { file: 0, offset: 0 }) : drill.recipe === "swapIn" ? null : drill.file;
  // An untouched private file page that mlock wires is mapped write-only: the wire asks for
  // write access through VM_PROT_OVERRIDE_WRITE, and a mapping made while it sleeps in the
  // vnode read moves the map, so the woken fault re-validates (D:713-781) with that access.
  const writeOnly = drill.recipe === "fileFault" && drill.operation === "mlock" && drill.touch === "none" && !drill.shared;
  const origin = mapFresh(host, owner, 1, file, { sharing: drill.shared ? "shared" : "private", prot: writeOnly ? "w" : "rw" });
  if (origin === null) return null;
  const world = host.model().world;
  const sleep = { first: operationOn(drill.operation, origin, drill.value), second: origin, cleanup: [unmapOne(origin)] };
  switch (drill.recipe) {
    case "fileFault":
      if (!touch(host, origin, drill.touch, drill.value)) return null;
      host.run({ kind: "fileEvict", file: fileId(file!.file % world.files) });
      return writeOnly ? { ...sleep, asleep: [mapAnother(owner)] } : sleep;
    case "swapIn": {
      if (!touch(host, origin, "write", drill.value)) return null;
      // A private page a write or a wire will sleep on, "read" first (`touch` is otherwise
      // unused here), is forked: shared copy-on-write with a child that exits while the
      // operation sleeps, so the page's last other sharer goes away under it (DragonFly's COW
      // rename, D:625-672; an anon whose an_ref drops to 1 in uvm_anonget).
      const forks = drill.touch === "read" && !drill.shared && (drill.operation === "write" || drill.operation === "mlock");
      const forked = forks ? host.run({ kind: "fork", pid: owner }) : null;
      host.run({ kind: "pageout", targetFreeFrames: world.frames });
      return forked?.kind === "value" ? { ...sleep, asleep: [{ kind: "exit", pid: pid(forked.value) }] } : sleep;
    }
    case "memoryWait": {
      // uvm_wait only where the page daemon has something to reclaim (else ENOMEM at once):
      // a clean file page, read in now.
      const cached = drill.file ?? { file: 0, offset: 0 };
      host.run({ kind: "fileRead", file: fileId(cached.file % world.files), page: filePage(cached.offset % world.filePages), word: wordIndex(0) });
      // Two failures: the first a loan meets is its locked pgo_get's, which gives up without waiting.
      if (drill.arms) for (let armed = 0; armed < 2; armed++) host.run({ kind: "failNext", failure: "frameAllocation" });
      return sleep;
    }
    case "pmapFailure":
      // Mapped read-only first, so a write fault promotes (a copy-on-write) before it maps.
      if (!touch(host, origin, "read", drill.value)) return null;
      if (drill.arms) host.run({ kind: "failNext", failure: "pmapEnter" });
      return sleep;
    default:
      return touch(host, origin, drill.touch, drill.value) ? lend(drill, host, origin) : null;
  }
}

/** The loan recipes' setup: the page lent (and maybe received), a try-lock armed to fail. */
function lend(drill: DrillTemplate, host: DrillHost, origin: Page): Prepared | null {
  const to = drill.received || drill.operation === "loanAnon" ? "anon" : "kernel";
  const lent = host.run({ kind: "loan", pid: origin.pid, va: origin.va, pages: pageCount(1), to });
  if (lent.kind !== "value") return null;
  const handle = loanHandle(lent.value);
  let page = origin;
  if (drill.recipe === "loanedPage" && drill.received && to === "anon") {
    const received = host.run({ kind: "loanReceive", handle, pid: origin.pid });
    if (received.kind === "value") page = { pid: origin.pid, va: vpn(received.value) };
  }
  if (drill.arms) host.run({ kind: "failNext", failure: "lockContention" });
  const cleanup: Command[] = [{ kind: "unloan", handle }, unmapOne(origin)];
  if (drill.recipe === "unloan") return { first: { kind: "unloan", handle }, second: origin, cleanup };
  return { first: operationOn(drill.operation, page, drill.value), second: page, cleanup };
}

/**
 * sharedAmap: two pages of a private file mapping inherited shared; the first written (by
 * `touch` "write") or not, the process forked, the other sharer reading the second page (the
 * file page, mapped read-only), the writer too (`touch` "read"); then the thread writes it
 * (`shared`: the child is the writer). Armed, pmap_enter fails after the promotion (flt_pmfail2).
 */
function prepareSharedAmap(drill: DrillTemplate, host: DrillHost, owner: Pid): Prepared | null {
  if (host.model().world.filePages < 2) return null;
  const origin = mapFresh(host, owner, 2, drill.file ?? { file: 0, offset: 0 }, { sharing: "private", inherit: "share" });
  if (origin === null || !touch(host, origin, drill.touch === "write" ? "write" : "none", drill.value)) return null;
  const forked = host.run({ kind: "fork", pid: owner });
  if (forked.kind !== "value") return null;
  const child = pid(forked.value);
  const second = vpn(origin.va + 1);
  const writer = { pid: drill.shared ? child : owner, va: second };
  const other = { pid: drill.shared ? owner : child, va: second };
  if (!touch(host, other, "read", drill.value)) return null;
  if (!touch(host, writer, drill.touch === "read" ? "read" : "none", drill.value)) return null;
  if (drill.arms) host.run({ kind: "failNext", failure: "pmapEnter" });
  return { first: operationOn("write", writer, drill.value), second: other, cleanup: [unmapOne(origin, 2), { kind: "exit", pid: child }] };
}

/**
 * orphan: a file page lent to an anon and received (mapped where `second` aims), the received
 * page lent to the kernel, the anon loan maybe given back (`received`), the file evicted (the
 * page is orphaned: its anon still borrows it); the thread gives the kernel loan back. A write
 * touches only a shared mapping's page (a private one would get an anon of its own).
 */
function prepareOrphan(drill: DrillTemplate, host: DrillHost, owner: Pid): Prepared | null {
  const file = drill.file ?? { file: 0, offset: 0 };
  const origin = mapFresh(host, owner, 1, file, { sharing: drill.shared ? "shared" : "private" });
  const how = drill.touch === "write" && !drill.shared ? "read" : drill.touch;
  if (origin === null || !touch(host, origin, how, drill.value)) return null;
  const toAnon = host.run({ kind: "loan", pid: owner, va: origin.va, pages: pageCount(1), to: "anon" });
  if (toAnon.kind !== "value") return null;
  const anonLoan = loanHandle(toAnon.value);
  const received = host.run({ kind: "loanReceive", handle: anonLoan, pid: owner });
  if (received.kind !== "value") return null;
  const borrower = { pid: owner, va: vpn(received.value) };
  const toKernel = host.run({ kind: "loan", pid: owner, va: borrower.va, pages: pageCount(1), to: "kernel" });
  if (toKernel.kind !== "value") return null;
  const kernelLoan = loanHandle(toKernel.value);
  if (drill.received) host.run({ kind: "unloan", handle: anonLoan });
  host.run({ kind: "fileEvict", file: fileId(file.file % host.model().world.files) });
  if (drill.arms) host.run({ kind: "failNext", failure: "lockContention" });
  const cleanup: Command[] = [{ kind: "unloan", handle: anonLoan }, { kind: "unloan", handle: kernelLoan }, unmapOne(borrower), unmapOne(origin)];
  return { first: { kind: "unloan", handle: kernelLoan }, second: borrower, cleanup };
}

/**
 * reactivate: two private pages mapped MADV_SEQUENTIAL (anonymous, or of a file); the first
 * touched, the second written (its fault deactivates the first, still mapped), the first read
 * again (its referenced bit set), then the page daemon runs. The thread works on the first page.
 */
function prepareReactivate(drill: DrillTemplate, host: DrillHost, owner: Pid): Prepared | null {
  const origin = mapFresh(host, owner, 2, drill.file, { sharing: "private", advice: "sequential" });
  if (origin === null || !touch(host, origin, drill.touch === "none" ? "read" : drill.touch, drill.value)) return null;
  if (!touch(host, { pid: owner, va: vpn(origin.va + 1) }, "write", drill.value)) return null;
  if (!touch(host, origin, "read", drill.value)) return null;
  host.run({ kind: "pageout", targetFreeFrames: host.model().world.frames });
  return { first: operationOn(drill.operation, origin, drill.value), second: origin, cleanup: [unmapOne(origin, 2)] };
}

/** Which part of the three wired pages `wired` unlocks: [first page, pages]. The last runs past the region. */
const unlockedParts: readonly (readonly [number, number])[] = [
  [1, 1],
  [1, 2],
  [0, 1],
  [2, 2],
];

/**
 * wired: three pages (anonymous, or of a file) touched or not, wired, the middle one maybe made
 * PROT_NONE (`protectNone`), then part of them unlocked (`unlock`, `unlockedParts`). The thread
 * works on the last page.
 */
function prepareWired(drill: DrillTemplate, host: DrillHost, owner: Pid): Prepared | null {
  const file = drill.file !== null && host.model().world.filePages >= 3 ? drill.file : null;
  const origin = mapFresh(host, owner, 3, file, { sharing: drill.shared ? "shared" : "private" });
  if (origin === null || !touch(host, origin, drill.touch, drill.value)) return null;
  if (host.run({ kind: "mlock", pid: owner, va: origin.va, pages: pageCount(3) }).kind === "error") return null;
  if (drill.protectNone) host.run({ kind: "mprotect", pid: owner, va: vpn(origin.va + 1), pages: pageCount(1), prot: "none" });
  const [offset, pages] = unlockedParts[drill.unlock % unlockedParts.length]!;
  host.run({ kind: "munlock", pid: owner, va: vpn(origin.va + offset), pages: pageCount(pages) });
  const last = { pid: owner, va: vpn(origin.va + 2) };
  return { first: operationOn(drill.operation, last, drill.value), second: last, cleanup: [unmapOne(origin, 3)] };
}

/** The thread operation `operation` on `page`. */
export function operationOn(operation: DrillOperation, page: Page, value: number): ThreadOperation {
  const { pid: process, va } = page;
  switch (operation) {
    case "read":
      return { kind: "read", pid: process, va, word: wordIndex(0) };
    case "write":
      return { kind: "write", pid: process, va, word: wordIndex(0), value };
    case "mlock":
      return { kind: "mlock", pid: process, va, pages: pageCount(1) };
    case "loanKernel":
    case "loanAnon":
      return { kind: "loan", pid: process, va, pages: pageCount(1), to: operation === "loanKernel" ? "kernel" : "anon" };
  }
}
