//! shmget, shmat, shmrm: SysV shared memory (docs/semantics.md, "SysV shared memory").
//!
//! A segment names a shared memory: zero-filled pages that every mapping attached to it
//! shows, exactly like the memory of a MAP_SHARED|MAP_ANON mapping. shmat maps the whole
//! segment at the lowest free range (placed like mmap), shared, prot = maxprot = r or rw,
//! inheritance share, advice random (sysv_shm.c shmat: UVM_MAPFLAG(prot, prot,
//! UVM_INH_SHARE, UVM_ADV_RANDOM, 0)). Detaching is munmap of the range: NetBSD's shmdt is
//! uvm_deallocate of the attach range, and the model keeps no attach table. Fork and exit
//! treat an attached region like any shared region.
//!
//! shmrm (shmctl IPC_RMID) forgets the id: shmat of it is EINVAL from then on, and the memory
//! lives as long as a region shows it (garbage.ts). Ids are handed out from 1 and never reused
//! (NetBSD's ids carry a sequence number for that). A removed segment frees its slot at once:
//! at most SHM_SEGMENTS_MAX segments are live (created and not removed), beyond that ENOSPC;
//! NetBSD keeps a removed segment's slot until its last detach, which needs the attach table.

import { castDraft, produce } from "immer";
import { SHM_SEGMENTS_MAX, type Shmat, type Shmget, type Shmrm } from "../vocabulary/command.ts";
import { error, ok, value } from "../vocabulary/outcome.ts";
import { pageCount } from "../vocabulary/units.ts";
import { processOf } from "./checks.ts";
import { collectGarbage } from "./garbage.ts";
import { insertRegion, placeMapping } from "./regions.ts";
import type { ModelState, Region, Words } from "./state.ts";
import { zeroWords } from "./state.ts";
import { specified, type Transition } from "./transition.ts";

export function shmget(state: ModelState, command: Shmget): Transition {
  const world = state.world;
  const pages = command.pages;
  if (!Number.isInteger(pages) || pages < 1 || pages > world.vaPages) return specified(error("EINVAL"), state);
  if (Object.keys(state.segments).length >= SHM_SEGMENTS_MAX) return specified(error("ENOSPC"), state);
  const segment = state.nextSegment;
  const next = produce(state, (draft) => {
    const memory = draft.nextSharedMemory++;
    draft.sharedMemories[memory] = castDraft({ pages: Array.from({ length: pages }, (): Words => zeroWords(world)), lost: {} });
    draft.segments[segment] = memory;
    draft.nextSegment = segment + 1;
  });
  return specified(value(segment), next);
}

export function shmat(state: ModelState, command: Shmat): Transition {
  const process = processOf(state, command.pid);
  if (process === null) return specified(error("ESRCH"), state);
  const memory = state.segments[command.segment];
  if (memory === undefined) return specified(error("EINVAL"), state);
  const pages = state.sharedMemories[memory]!.pages.length;
  const start = placeMapping(process.regions, pages, state.world.vaPages);
  if (start === null) return specified(error("ENOMEM"), state);
  const prot = command.readOnly ? "r" : "rw";
  const region: Region = {
    start,
    pages: pageCount(pages),
    prot,
    maxprot: prot,
    inherit: "share",
    advice: "random",
    wired: false,
    source: { kind: "sharedMemory", memory, offset: 0 },
    overlay: null,
  };
  const next = produce(state, (draft) => {
    draft.processes[command.pid]!.regions = insertRegion(process.regions, region);
  });
  return specified(value(start), next);
}

export function shmrm(state: ModelState, command: Shmrm): Transition {
  if (state.segments[command.segment] === undefined) return specified(error("EINVAL"), state);
  const next = produce(state, (draft) => {
    delete draft.segments[command.segment];
  });
  return specified(ok, collectGarbage(next));
}
