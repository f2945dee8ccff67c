//! spawn, fork, exit.
//!
//! Fork gives the child, region by region, what the region's inheritance says:
//!
//!   none   nothing at that range
//!   share  the same region: same source, and for a private region the same overlay, so
//!          parent and child see each other's private writes from then on
//!   copy   a private region over the same source. A private parent region hands its
//!          current cells to the child's new overlay (same tags: one copy-on-write group,
//!          and from now on a write by either side is invisible to the other); pages still
//!          tracking their source keep tracking it on both sides. Shared anonymous memory
//!          (a shared zero source) is such a private region: the child gets a copy-on-write
//!          snapshot of it, and its untouched pages, plain zero-fill memory in the child,
//!          become lendable there (NetBSD's uvm_mapent_forkcopy over a shared amap). A
//!          shared region over an object becomes a private, tracking view in the child
//!          (semantic decision 7: a file or a SysV shm segment); a reserved
//!          one becomes private zero-fill memory (the child's entry is copy-on-write and
//!          needs a copy, so its first fault creates an amap: uvm_mapent_forkcopy).
//!
//! Locks are not inherited: every child region is unwired. A wired private region is
//! copied at once (semantic decision 6), so its cells get fresh tags in the child; so are the
//! pages of a copied region that another process sharing them has locked (no copy-on-write
//! fault may ever hit a locked page).

import { castDraft, produce } from "immer";
import type { Fork, Exit } from "../vocabulary/command.ts";
import { error, ok, value } from "../vocabulary/outcome.ts";
import { pid as toPid } from "../vocabulary/units.ts";
import { liveProcessCount, processOf } from "./checks.ts";
import { collectGarbage } from "./garbage.ts";
import type { Cell, ModelState, Region } from "./state.ts";
import { orOutOfMemory, specified, type Transition } from "./transition.ts";

export function spawn(state: ModelState): Transition {
  if (liveProcessCount(state) >= state.world.maxProcesses) return specified(error("EAGAIN"), state);
  const child = state.nextPid;
  const next = produce(state, (draft) => {
    draft.processes[child] = { pid: toPid(child), regions: [] };
    draft.nextPid = child + 1;
  });
  return specified(value(child), next);
}

export function fork(state: ModelState, command: Fork): Transition {
  const parent = processOf(state, command.pid);
  if (parent === null) return specified(error("ESRCH"), state);
  if (liveProcessCount(state) >= state.world.maxProcesses) return specified(error("EAGAIN"), state);
  const child = state.nextPid;
  const wired = wiredSlots(state);
  let copiesAtOnce = false;
  const next = produce(state, (draft) => {
    const regions: Region[] = [];
    for (const region of parent.regions) {
      if (region.inherit === "none") continue;
      if (region.inherit === "share") {
        regions.push({ ...region, wired: false });
        continue;
      }
      const overlay = draft.nextOverlay++;
      const slots: Record<number, Cell> = {};
      if (region.overlay !== null) {
        const parentSlots = state.overlays[region.overlay.overlay]?.slots ?? {};
        for (let index = 0; index < region.pages; index++) {
          const cell = parentSlots[region.overlay.offset + index];
          if (cell === undefined) continue;
          const copied = region.wired || wired.has(slotKey(region.overlay.overlay, region.overlay.offset + index));
          copiesAtOnce ||= copied;
          slots[index] = copied ? { words: cell.words, tag: draft.nextTag++ } : cell;
        }
      }
      draft.overlays[overlay] = castDraft({ slots });
      const source = region.source.kind === "none" || region.source.kind === "zero" ? { kind: "zero" as const } : region.source;
      regions.push({ ...region, wired: false, source, overlay: { overlay, offset: 0 } });
    }
    draft.processes[child] = { pid: toPid(child), regions };
    draft.nextPid = child + 1;
  });
  const transition = specified(value(child), next);
  return copiesAtOnce ? orOutOfMemory(transition, state) : transition;
}

function slotKey(overlay: number, slot: number): string {
  return `${overlay}:${slot}`;
}

/** The overlay slots some process has locked (a wired region's private pages). */
function wiredSlots(state: ModelState): Set<string> {
  const slots = new Set<string>();
  for (const process of Object.values(state.processes)) {
    for (const region of process.regions) {
      if (!region.wired || region.overlay === null) continue;
      for (let index = 0; index < region.pages; index++) slots.add(slotKey(region.overlay.overlay, region.overlay.offset + index));
    }
  }
  return slots;
}

export function exit(state: ModelState, command: Exit): Transition {
  if (processOf(state, command.pid) === null) return specified(error("ESRCH"), state);
  const next = produce(state, (draft) => {
    delete draft.processes[command.pid];
  });
  return specified(ok, collectGarbage(next));
}
