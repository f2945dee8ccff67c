//! loan, loanRead, loanReceive, unloan, fileEvict (semantic decision 2, docs/semantics.md §2).
//!
//! A loan is a snapshot: the holder reads, forever, what its pages showed when it was taken.
//! A loan to the kernel copies the contents (the kernel holds the physical page; the lender
//! moves to a new copy when it writes). A loan to anons shares the lender's private cells
//! (the same copy, one more holder) and takes fresh cells for pages still showing their
//! source. A received loan is a private region holding those cells; from then on it behaves
//! as private memory. Under the allowance `objectLoanReusesAnon`, a loan to anons of an
//! object page an earlier one lent (still the same page) may share that earlier loan's copy.
//!
//! Refusals, page by page in address order (uvm_loan is all-or-nothing): an unmapped page is
//! ENOENT; a reserved page or an untouched page of shared anonymous memory (no anon, no
//! object, not copy-on-write) or a wired page is EINVAL, except
//! that lending a private copy to anons is refused only if it is wired and has no other
//! holder (uvm_loananon checks wiring only for an_ref == 1). Lending a lost page to the
//! kernel fails too (its page-in answers EIO); lending it to anons shares the loss. Every
//! other failure of a loan (memory) is also reported as EINVAL, with no effect.

import { castDraft, produce } from "immer";
import type { FileEvict, Loan, LoanFile, LoanRead, LoanReceive, Unloan } from "../vocabulary/command.ts";
import { error, ok, value } from "../vocabulary/outcome.ts";
import { pageCount } from "../vocabulary/units.ts";
import { processOf, validRange, validWord } from "./checks.ts";
import { cellAt, pageContents, unbacked } from "./contents.ts";
import { cellHolders, forgetObjectLoans, pageIdentity, wiredIdentities } from "./identity.ts";
import { findRegion, insertRegion, placeMapping } from "./regions.ts";
import { allows, type Cell, type ModelState, type Region } from "./state.ts";
import { consumeFailure, consumeLoss, failurePossible, lossPossible, accessFailures } from "./failures.ts";
import { orDeviceFailure, orOutOfMemory, specified, type Transition } from "./transition.ts";

export function loan(state: ModelState, command: Loan): Transition {
  const process = processOf(state, command.pid);
  if (process === null) return specified(error("ESRCH"), state);
  if (!validRange(state.world, command.va, command.pages)) return specified(error("EINVAL"), state);
  const wired = wiredIdentities(state);
  const holders = cellHolders(state);
  const pages: LentPage[] = [];
  const failed: ModelState[] = [];
  const refuse = (errno: "ENOENT" | "EINVAL") => orLoanFailure(specified(error(errno), state), state, failed);
  for (let va = command.va; va < command.va + command.pages; va++) {
    const region = findRegion(process.regions, va);
    if (region === null) return refuse("ENOENT");
    if (unbacked(region)) return refuse("EINVAL");
    if (region.source.kind === "zero" && region.source.shared === true && cellAt(state, region, va) === undefined) return refuse("EINVAL");
    const contents = pageContents(state, region, va);
    const shared = command.to === "anon" ? cellAt(state, region, va) : undefined;
    if (contents === "lost" && shared === undefined) return refuse("EINVAL"); // A->K pages the data in: EIO
    const identity = pageIdentity(state, region, va);
    if (wired.has(identity) && (shared === undefined || (holders.get(shared.tag) ?? 0) <= 1)) return refuse("EINVAL");
    if (shared === undefined) failed.push(...accessFailures(state, region, va)); // lending to anons reads nothing
    const reuses = command.to === "anon" && shared === undefined && allows(state, "objectLoanReusesAnon");
    const reusable = reuses ? state.objectLoanTags[identity] : undefined;
    const repeats = reuses ? pages.findIndex((earlier) => earlier.shared === undefined && earlier.identity === identity) : -1;
    pages.push({
      words: shared?.words ?? (contents as readonly number[]),
      shared: shared?.tag,
      identity,
      reusable: reusable !== undefined && (holders.get(reusable) ?? 0) > 0 ? reusable : undefined,
      repeats: repeats >= 0 ? repeats : undefined,
    });
  }
  const handle = state.nextHandle;
  const outcomes = lendingChoices(pages).map((reuse) => lendPages(state, handle, command.to, pages, reuse));
  return orLoanFailure({ allowed: outcomes.map((next) => ({ outcome: value(handle), state: next, cause: "specified" as const })) }, state, failed);
}

interface LentPage {
  readonly words: readonly number[];
  /** The lender's private copy, shared by a loan to anons. */
  readonly shared: number | undefined;
  readonly identity: string;
  /** The copy an earlier loan to anons made of this object page, which may be lent again (`objectLoanReusesAnon`). */
  readonly reusable: number | undefined;
  /** An earlier page of the same loan that lends the same object page: its anon may be lent again. */
  readonly repeats: number | undefined;
}

/** Every combination of "reuse the earlier anon" or "a new anon" for the pages that allow reuse. */
function lendingChoices(pages: readonly LentPage[]): boolean[][] {
  let choices: boolean[][] = [[]];
  for (const page of pages) {
    const canReuse = page.reusable !== undefined || page.repeats !== undefined;
    choices = choices.flatMap((prefix) => (canReuse ? [[...prefix, true], [...prefix, false]] : [[...prefix, false]]));
  }
  return choices;
}

function lendPages(state: ModelState, handle: number, to: "kernel" | "anon", pages: readonly LentPage[], reuse: readonly boolean[]): ModelState {
  return produce(state, (draft) => {
    const cells: Cell[] = [];
    pages.forEach((page, index) => {
      if (page.shared !== undefined) cells.push({ words: page.words, tag: page.shared });
      else if (reuse[index] === true) cells.push({ words: page.words, tag: page.repeats !== undefined ? cells[page.repeats]!.tag : page.reusable! });
      else {
        cells.push({ words: page.words, tag: draft.nextTag });
        if (to === "anon" && allows(state, "objectLoanReusesAnon")) draft.objectLoanTags[page.identity] = draft.nextTag;
        draft.nextTag++;
      }
    });
    draft.loans[handle] = castDraft({ to, pages: cells });
    draft.nextHandle = handle + 1;
  });
}

/**
 * Any loan may run out of memory (a page-in, an object read, the zero page), or meet a device
 * failure while paging its pages in: uvm_loan reports every such failure as EINVAL (L:293-297)
 * and undoes every loan, but data a swap failure destroyed stays lost.
 */
function orLoanFailure(transition: Transition, state: ModelState, failed: readonly ModelState[]): Transition {
  return {
    allowed: [
      ...transition.allowed,
      { outcome: error("EINVAL"), state, cause: "memoryExhausted" },
      ...failed.map((failedState) => ({ outcome: error("EINVAL"), state: failedState, cause: "deviceFailure" as const })),
    ],
  };
}

/** uvm_loanuobjpages: a kernel loan of file pages, no mapping. A wired page: EBUSY (after the pages are read in: EIO first if a read fails). Memory: ENOMEM. */
export function loanFile(state: ModelState, command: LoanFile): Transition {
  const world = state.world;
  const valid = Number.isInteger(command.page) && Number.isInteger(command.pages) && command.page >= 0 && command.pages >= 1;
  if (!(command.file >= 0 && command.file < world.files) || !valid || command.page + command.pages > world.filePages) return specified(error("EINVAL"), state);
  const readFailure = failurePossible(state, "backingRead") ? [produce(state, (draft) => consumeFailure(draft, "backingRead"))] : [];
  const wired = wiredIdentities(state);
  for (let page = command.page; page < command.page + command.pages; page++) {
    // the pages are read in before any is found wired
    if (wired.has(`file:${command.file}:${page}`)) return orDeviceFailure(orOutOfMemory(specified(error("EBUSY"), state), state), ...readFailure);
  }
  const handle = state.nextHandle;
  const next = produce(state, (draft) => {
    const pages = Array.from({ length: command.pages }, (_, index) => ({ words: [...state.files[command.file]![command.page + index]!], tag: draft.nextTag++ }));
    draft.loans[handle] = castDraft({ to: "kernel" as const, pages });
    draft.nextHandle = handle + 1;
  });
  return orDeviceFailure(orOutOfMemory(specified(value(handle), next), state), ...readFailure);
}

export function loanRead(state: ModelState, command: LoanRead): Transition {
  const held = state.loans[command.handle];
  if (held === undefined || !Number.isInteger(command.index) || command.index < 0 || command.index >= held.pages.length || !validWord(state.world, command.word)) {
    return specified(error("EINVAL"), state);
  }
  const cell = held.pages[command.index]!;
  if (state.lostTags[cell.tag] === true) return specified(error("EIO"), state);
  const read = specified(value(cell.words[command.word]!), state);
  if (held.to === "kernel") return read;
  const lost = lossPossible(state)
    ? [
        produce(state, (draft) => {
          draft.lostTags[cell.tag] = true;
          consumeLoss(draft, state);
        }),
      ]
    : [];
  return orDeviceFailure(orOutOfMemory(read, state), ...lost);
}

export function loanReceive(state: ModelState, command: LoanReceive): Transition {
  const process = processOf(state, command.pid);
  if (process === null) return specified(error("ESRCH"), state);
  const held = state.loans[command.handle];
  if (held === undefined || held.to !== "anon") return specified(error("EINVAL"), state);
  const start = placeMapping(process.regions, held.pages.length, state.world.vaPages);
  if (start === null) return specified(error("ENOMEM"), state);
  const next = produce(state, (draft) => {
    const overlay = draft.nextOverlay++;
    draft.overlays[overlay] = castDraft({ slots: Object.fromEntries(held.pages.map((cell, index) => [index, cell])) });
    const region: Region = {
      start,
      pages: pageCount(held.pages.length),
      prot: "rw",
      maxprot: "rw",
      inherit: "copy",
      advice: "normal",
      wired: false,
      source: { kind: "zero" },
      overlay: { overlay, offset: 0 },
    };
    draft.processes[command.pid]!.regions = insertRegion(process.regions, region);
  });
  return specified(value(start), next);
}

export function unloan(state: ModelState, command: Unloan): Transition {
  if (state.loans[command.handle] === undefined) return specified(error("EINVAL"), state);
  const next = produce(state, (draft) => {
    delete draft.loans[command.handle];
  });
  return specified(ok, next);
}

/**
 * A pager flush changes nothing anyone can read: dirty pages are written back, loans keep
 * their pages. The file's pages are new pages afterwards, so none is lent to an anon any more.
 */
export function fileEvict(state: ModelState, command: FileEvict): Transition {
  const valid = Number.isInteger(command.file) && command.file >= 0 && command.file < state.world.files;
  if (!valid) return specified(error("EINVAL"), state);
  return specified(ok, forgetObjectLoans(state, `file:${command.file}:`));
}
