//! Which physical thing a page shows, abstractly: "the same copy" is the same cell tag, "the
//! same object page" is the same file (or shared memory) page. Two pages with one identity
//! are one page to the outside world: wiring one wires the other, and a private copy shared
//! by several holders (a copy-on-write group, or a lender and its anon loans) is one copy.
//!
//! The model uses identities for two rules: a loan of a wired page fails, and mlock gives a
//! page its own copy if it shares one (copy-on-write is resolved at wire time).

import { produce } from "immer";
import { cellAt } from "./contents.ts";
import { regionEnd } from "./regions.ts";
import type { ModelState, Region } from "./state.ts";

export function pageIdentity(state: ModelState, region: Region, va: number): string {
  const cell = cellAt(state, region, va);
  if (cell !== undefined) return `cell:${cell.tag}`;
  const index = va - region.start;
  const source = region.source;
  switch (source.kind) {
    case "file":
      return `file:${source.file}:${source.offset + index}`;
    case "sharedMemory":
      return `memory:${source.memory}:${source.offset + index}`;
    case "zero":
    case "none":
      return `${source.kind}:${region.overlay?.overlay ?? "-"}:${(region.overlay?.offset ?? 0) + index}`;
  }
}

/** The identities of every page of every wired region. */
export function wiredIdentities(state: ModelState): Set<string> {
  const wired = new Set<string>();
  for (const process of Object.values(state.processes)) {
    for (const region of process.regions) {
      if (!region.wired) continue;
      for (let va = region.start; va < regionEnd(region); va++) wired.add(pageIdentity(state, region, va));
    }
  }
  return wired;
}

/** How many holders share each cell tag: overlay slots some region covers, plus pages of loans to anons. */
export function cellHolders(state: ModelState): Map<number, number> {
  const holders = new Map<number, number>();
  const add = (tag: number) => holders.set(tag, (holders.get(tag) ?? 0) + 1);
  const covered = new Set<string>();
  for (const process of Object.values(state.processes)) {
    for (const region of process.regions) {
      if (region.overlay === null) continue;
      for (let va = region.start; va < regionEnd(region); va++) {
        const key = `${region.overlay.overlay}:${region.overlay.offset + va - region.start}`;
        const cell = cellAt(state, region, va);
        if (cell === undefined || covered.has(key)) continue;
        covered.add(key);
        add(cell.tag);
      }
    }
  }
  for (const loan of Object.values(state.loans)) if (loan.to === "anon") for (const cell of loan.pages) add(cell.tag);
  return holders;
}

/**
 * The object pages whose identity is `key` (or starts with it, for a whole file ending in
 * `:`) are new pages from now on (written through a loan break, evicted, or wired, which
 * breaks loans): no anon borrows them any more, so no later loan can lend the same anon.
 */
export function forgetObjectLoans(state: ModelState, key: string): ModelState {
  const stale = Object.keys(state.objectLoanTags).filter((known) => known === key || (key.endsWith(":") && known.startsWith(key)));
  if (stale.length === 0) return state;
  return produce(state, (draft) => {
    for (const known of stale) delete draft.objectLoanTags[known];
  });
}
