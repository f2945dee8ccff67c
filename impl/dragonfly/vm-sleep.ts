//! DragonFly's sleep points (docs/seeds.md: DW1-DW7): every place the seed sleeps is a
//! `yield` of the path that sleeps, a generator returning `Sleepy<T>`. The scheduler
//! (dragonfly-scheduler.ts) parks a thread there, runs other commands, and resumes it.
//!
//!   DW1  pageWait     vm_page_sleep_busy on a BUSY page; the fault let go of the map, its
//!                     paging counts and its placeholder first, and starts over after
//!   DW2  memoryWait   a cache page under a severe shortage: everything let go, VM_WAIT
//!   DW3  memoryWait   a page allocation failed: everything let go, VM_WAITPFAULT
//!   DW4  io           the pager reads: only the map let go (lookup_still_valid false)
//!   —    io           read(2) reads a file page in (bread): the page BUSY meanwhile
//!   —    pageWait     read(2)/write(2) meet a BUSY file page (the buffer is busy)
//!   —    transition   a map change meets entries an mlock has in transition
//!                     (MAP_ENTRY_IN_TRANSITION, vm_map_transition_wait)
//!
//! DW5 (the rename's lock upgrade) and DW6 (pmap_enter after the map is unlocked) do not
//! sleep here: no parked thread holds a map lock, and the simulated pmap_enter allocates
//! nothing. DW7 (vm_fault_copy_entry's VM_WAIT with both maps locked) runs the page daemon
//! in place: a fork is one step (docs/semantics.md).
//!
//! A sleeping path holds no map: a fault asleep with `lookupStillValid` set is a
//! `sleep-with-lock` failure.

import type { VmMap } from "./vm-map.ts";
import type { VmPage } from "./vm-page.ts";

export type DragonflySleep =
  | { readonly kind: "io"; readonly site: string }
  | { readonly kind: "memoryWait"; readonly site: string }
  /** vm_page_sleep_busy: until the busying of `epoch` (the page's busyEpoch then) ends; a later one does not keep the sleeper. */
  | { readonly kind: "pageWait"; readonly site: string; readonly page: VmPage; readonly epoch: number }
  | { readonly kind: "transitionWait"; readonly site: string; readonly map: VmMap };

export type Sleepy<T> = Generator<DragonflySleep, T, undefined>;

export function* sleep(point: DragonflySleep): Sleepy<void> {
  yield point;
}
