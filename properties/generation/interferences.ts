//! Interferences: the commands that change what a sleeping thread's operation works on while
//! it sleeps, the "may change meanwhile" column of each sleep site (docs/seeds.md): unmap or
//! protect its page, write it, fork its process, lend it again, evict its file, reclaim
//! memory, give its loan back. Only commands of families the system under test runs.

import type { Command, ThreadOperation } from "../../vocabulary/command.ts";
import { type CommandFamily, missingFamily } from "../../vocabulary/command-family.ts";
import { filePage, type Pid, pageCount, type Vpn, wordIndex } from "../../vocabulary/units.ts";
import { regionEnd } from "../../model/regions.ts";
import type { ModelState } from "../../model/state.ts";
import { exitVictim } from "./targets.ts";
import type { ThreadContext } from "./templates.ts";

/**
 * The commands that change what `operation` works on while it sleeps, of `families`.
 * Ensures: at least one (an exit of another process, when no other command fits).
 */
export function interferences(
  state: ModelState,
  operation: ThreadOperation,
  value: number,
  loanOrigin: ThreadContext["loanOrigin"],
  families: ReadonlySet<CommandFamily>,
): Command[] {
  const runnable = everyInterference(state, operation, value, loanOrigin).filter((command) => missingFamily(command, families) === null);
  return runnable.length > 0 ? runnable : [{ kind: "exit", pid: exitVictim(state, value) }];
}

function everyInterference(state: ModelState, operation: ThreadOperation, value: number, loanOrigin: ThreadContext["loanOrigin"]): Command[] {
  const reclaim: Command = { kind: "pageout", targetFreeFrames: state.world.frames };
  if ("pid" in operation && "va" in operation) {
    const { pid: process, va } = operation;
    const unmap: Command = { kind: "munmap", pid: process, va, pages: pageCount(1) };
    return [
      unmap,
      unmap,
      { kind: "mprotect", pid: process, va, pages: pageCount(1), prot: "r" },
      { kind: "write", pid: process, va, word: wordIndex(0), value },
      { kind: "fork", pid: process },
      { kind: "munlock", pid: process, va, pages: pageCount(1) },
      { kind: "loan", pid: process, va, pages: pageCount(1), to: "anon" },
      { kind: "loan", pid: process, va, pages: pageCount(1), to: "kernel" },
      ...evictionOf(state, process, va),
      reclaim,
    ];
  }
  if ("file" in operation)
    return [
      { kind: "fileEvict", file: operation.file },
      { kind: "fileWrite", file: operation.file, page: filePage(operation.page), word: wordIndex(0), value },
      reclaim,
    ];
  if ("handle" in operation) {
    // Give the loan back; or lend again, write, or evict the page it was taken from (a new
    // O->A loan of that page meets the anon the pending operation is disposing of; an
    // eviction orphans the loaned page, which an anon borrowing it then adopts).
    const origin = loanOrigin(operation.handle);
    if (origin === null) return [{ kind: "unloan", handle: operation.handle }, reclaim];
    const { pid: lender, va } = origin;
    return [
      { kind: "unloan", handle: operation.handle },
      { kind: "loan", pid: lender, va, pages: pageCount(1), to: "anon" },
      { kind: "loan", pid: lender, va, pages: pageCount(1), to: "kernel" },
      { kind: "write", pid: lender, va, word: wordIndex(0), value },
      ...evictionOf(state, lender, va),
      reclaim,
    ];
  }
  if (operation.kind === "fork") return [{ kind: "exit", pid: exitVictim(state, value) }, reclaim];
  return [reclaim];
}

/** A fileEvict of the file mapped at (pid, va), if a file is. */
function evictionOf(state: ModelState, process: Pid, va: Vpn): Command[] {
  const region = state.processes[process]?.regions.find((candidate) => candidate.start <= va && va < regionEnd(candidate));
  return region?.source.kind === "file" ? [{ kind: "fileEvict", file: region.source.file }] : [];
}
