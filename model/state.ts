//! The abstract state of the reference model.
//!
//! The model knows what each process reads at each page and nothing about how a kernel
//! would arrange for it: no amaps, anons, objects, pmaps or queues. Its nouns:
//!
//!   file          global contents, authoritative (`files[file][page][word]`)
//!   shared memory the contents of one SysV shared memory segment, shared by every mapping
//!                 that attached it (and their heirs); a private view over it tracks it
//!   segment       a SysV shared memory id, naming a shared memory until it is removed
//!   shared zero   MAP_SHARED|MAP_ANON memory: an overlay every sharer points at over a
//!                 zero source marked `shared` (NetBSD's shared amap, semantic decision 7).
//!                 It behaves as private memory inherited `share`: a copying fork gives the
//!                 child a copy-on-write snapshot. Its untouched pages cannot be lent (no anon,
//!                 no object, not copy-on-write: uvm_loanentry refuses them)
//!   region        a run of pages of one process with uniform attributes; it shows either a
//!                 source directly (shared) or an overlay over a source (private)
//!   overlay       the private pages of private regions. A page with no overlay cell still
//!                 tracks its source (sees later file writes; reads zero for anonymous
//!                 memory). Regions inherited with `share` point at the same overlay, so they
//!                 see each other's private writes; fork with `copy` gives the child a new
//!                 overlay holding the same cells.
//!   cell          the contents of one private page plus a tag. Cells are never changed: a
//!                 write puts a fresh cell in the overlay. Equal tags mean "the same copy"
//!                 (one copy-on-write group), which matters for wiring and data loss.
//!   loan          a snapshot: the cells the holder reads, forever, whatever happens to the
//!                 lender afterwards. A loan to anons shares the lender's private cells (the
//!                 same copy, one more holder); every other loan page is a fresh cell.
//!
//!   process ──regions──▶ region ──source──▶ file | shared memory | zero | none
//!                          │
//!                          └──overlay + offset──▶ overlay ──slot──▶ cell {words, tag}

import { type AllowanceName, allowanceNames } from "../vocabulary/allowance.ts";
import type { Advice, Inheritance, Protection } from "../vocabulary/protection.ts";
import type { FailureKind, FailureRates } from "../vocabulary/failure.ts";
import type { FileId, FilePage, PageCount, Pid, Vpn } from "../vocabulary/units.ts";
import { initialFileWord, type WorldConfig } from "../vocabulary/world.ts";
import { fileId, filePage, pid, wordIndex } from "../vocabulary/units.ts";

export type Words = readonly number[];

export interface Cell {
  readonly words: Words;
  readonly tag: number;
}

/** What a region's pages show when nothing private covers them. */
export type Source =
  | { readonly kind: "file"; readonly file: FileId; readonly offset: FilePage }
  | { readonly kind: "sharedMemory"; readonly memory: number; readonly offset: number }
  /** Zero-fill memory; `shared` for MAP_SHARED|MAP_ANON, whose untouched pages cannot be lent. */
  | { readonly kind: "zero"; readonly shared?: true }
  /** A reserved region: no data at all; accesses fault with EFAULT (case 0). */
  | { readonly kind: "none" };

export interface OverlayRef {
  readonly overlay: number;
  /** Overlay slot of the region's first page. */
  readonly offset: number;
}

export interface Region {
  readonly start: Vpn;
  readonly pages: PageCount;
  readonly prot: Protection;
  readonly maxprot: Protection;
  readonly inherit: Inheritance;
  readonly advice: Advice;
  readonly wired: boolean;
  readonly source: Source;
  /** Present exactly for private regions. */
  readonly overlay: OverlayRef | null;
}

export interface Process {
  readonly pid: Pid;
  /** Disjoint, in increasing `start`. */
  readonly regions: readonly Region[];
}

export interface Overlay {
  /** Slot index → cell; a missing slot tracks the source. */
  readonly slots: Readonly<Record<number, Cell>>;
}

export interface SharedMemory {
  readonly pages: readonly Words[];
  /** Pages whose data a device failure destroyed (reads give EIO). */
  readonly lost: Readonly<Record<number, true>>;
}

/** Which device failures can still happen: kinds with a rate this run, and armed one-shots. */
export interface FailureState {
  readonly rated: Readonly<Partial<Record<FailureKind, true>>>;
  readonly armed: Readonly<Partial<Record<FailureKind, number>>>;
}

export interface Loan {
  readonly to: "kernel" | "anon";
  readonly pages: readonly Cell[];
}

export interface ModelState {
  readonly world: WorldConfig;
  /** The allowances the system under test is held to (vocabulary/allowance.ts); fixed for a run. */
  readonly allowances: Readonly<Partial<Record<AllowanceName, true>>>;
  readonly processes: Readonly<Record<number, Process>>;
  readonly files: readonly (readonly Words[])[];
  readonly sharedMemories: Readonly<Record<number, SharedMemory>>;
  /** Live SysV shared memory segments: id → its shared memory. A removed segment is gone from here. */
  readonly segments: Readonly<Record<number, number>>;
  readonly overlays: Readonly<Record<number, Overlay>>;
  /** Outstanding loans by handle. */
  readonly loans: Readonly<Record<number, Loan>>;
  /**
   * The copy (tag) last lent to anons from each object page (`file:F:P`, `memory:M:P`), while
   * that object page stays the same, which a later loan to anons may lend again: kept only
   * under the allowance `objectLoanReusesAnon`.
   */
  readonly objectLoanTags: Readonly<Record<string, number>>;
  /** Tags of cells whose data a device failure destroyed. */
  readonly lostTags: Readonly<Record<number, true>>;
  readonly failures: FailureState;
  readonly nextPid: number;
  readonly nextSharedMemory: number;
  readonly nextOverlay: number;
  readonly nextTag: number;
  readonly nextHandle: number;
  readonly nextSegment: number;
}

/**
 * The world at boot: pristine files and one empty process, pid 1; failures as the run's rates
 * say; the system held to `allowances` (every one unless said otherwise: UVM's).
 */
export function initialState(world: WorldConfig, rates: FailureRates = {}, allowances: Iterable<AllowanceName> = allowanceNames): ModelState {
  const files: Words[][] = [];
  for (let file = 0; file < world.files; file++) {
    const pages: Words[] = [];
    for (let page = 0; page < world.filePages; page++) {
      const words: number[] = [];
      for (let word = 0; word < world.pageWords; word++) words.push(initialFileWord(fileId(file), filePage(page), wordIndex(word)));
      pages.push(words);
    }
    files.push(pages);
  }
  return {
    world,
    allowances: Object.fromEntries([...allowances].map((name) => [name, true])),
    processes: { 1: { pid: pid(1), regions: [] } },
    files,
    sharedMemories: {},
    segments: {},
    overlays: {},
    loans: {},
    objectLoanTags: {},
    lostTags: {},
    failures: { rated: Object.fromEntries(Object.entries(rates).filter(([, rate]) => (rate ?? 0) > 0).map(([kind]) => [kind, true])), armed: {} },
    nextPid: 2,
    nextSharedMemory: 1,
    nextOverlay: 1,
    nextTag: 1,
    nextHandle: 1,
    nextSegment: 1,
  };
}

/** Whether the system under test is granted `allowance` (vocabulary/allowance.ts). */
export function allows(state: ModelState, allowance: AllowanceName): boolean {
  return state.allowances[allowance] === true;
}

export function zeroWords(world: WorldConfig): Words {
  return new Array<number>(world.pageWords).fill(0);
}
