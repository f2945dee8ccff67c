//! The simulated world's fixed shape: how big pages, files, address spaces and the machine
//! are. One `WorldConfig` is chosen per run and stored in every counterexample file.
//!
//! The model reads the semantic part (page words, files, address-space size, process limit),
//! and of the physical part only `frames`, to tell an earned ENOMEM from an unearned one
//! (model/memory-bound.ts). Initial file contents are part of
//! the world's definition, so both sides compute them with `initialFileWord`.

import type { FileId, FilePage, WordIndex } from "./units.ts";

export interface WorldConfig {
  /** Words per page; small so partial copies show. */
  readonly pageWords: number;
  /** Number of files on the simulated disk. */
  readonly files: number;
  /** Pages per file. */
  readonly filePages: number;
  /** Pages per address space; mmap places mappings in `[0, vaPages)`. */
  readonly vaPages: number;
  /** Most processes alive at once; spawn and fork beyond it fail with EAGAIN. */
  readonly maxProcesses: number;
  /** Physical frames of the simulated machine (hardware only). */
  readonly frames: number;
  /** Slots of the swap device (hardware only); 0 means no swap. */
  readonly swapSlots: number;
  /**
   * Sleeps a thread may take while no other operation completes before the scheduler reports
   * a liveness failure (implementation only; the sleep sites of docs/seeds.md, "restarts without progress").
   */
  readonly livenessBound: number;
}

export const defaultWorld: WorldConfig = {
  pageWords: 4,
  files: 2,
  filePages: 8,
  vaPages: 32,
  maxProcesses: 4,
  frames: 12,
  swapSlots: 6,
  livenessBound: 256,
};

/** The content of a file word before anything wrote it: distinct and never zero. */
export function initialFileWord(file: FileId, page: FilePage, word: WordIndex): number {
  return 1000 * (file + 1) + 10 * page + word;
}

/** Largest value a `write` or `fileWrite` stores (generated values are `1 .. writeValueMax`). */
export const writeValueMax = 999;

export function validateWorld(world: WorldConfig): string | null {
  const positive: (keyof WorldConfig)[] = ["pageWords", "files", "filePages", "vaPages", "maxProcesses", "frames", "livenessBound"];
  for (const key of positive) {
    const n = world[key];
    if (!Number.isInteger(n) || n < 1) return `world.${key} must be a positive integer (got ${n})`;
  }
  if (world.pageWords > 64) return "world.pageWords must be at most 64";
  if (world.vaPages > 4096) return "world.vaPages must be at most 4096";
  if (world.frames > 65536) return "world.frames must be at most 65536";
  if (world.livenessBound > 65536) return "world.livenessBound must be at most 65536";
  if (!Number.isInteger(world.swapSlots) || world.swapSlots < 0 || world.swapSlots > 65536) {
    return `world.swapSlots must be an integer in [0, 65536] (got ${world.swapSlots})`;
  }
  return null;
}
