//! Forgetting what no region can show any more.
//!
//! Overlays and shared memories that no region refers to can never be observed again (no
//! command attaches to an existing overlay), so the model drops them after an unmap or an
//! exit, or the removal of a segment. A shared memory a live SysV segment names is kept:
//! shmat may map it again. This keeps the state small; it has no visible effect.

import { produce } from "immer";
import type { ModelState } from "./state.ts";

export function collectGarbage(state: ModelState): ModelState {
  const overlays = new Set<number>();
  const memories = new Set<number>(Object.values(state.segments));
  for (const process of Object.values(state.processes)) {
    for (const region of process.regions) {
      if (region.overlay !== null) overlays.add(region.overlay.overlay);
      if (region.source.kind === "sharedMemory") memories.add(region.source.memory);
    }
  }
  const deadOverlays = Object.keys(state.overlays).filter((id) => !overlays.has(Number(id)));
  const deadMemories = Object.keys(state.sharedMemories).filter((id) => !memories.has(Number(id)));
  if (deadOverlays.length === 0 && deadMemories.length === 0) return state;
  return produce(state, (draft) => {
    for (const id of deadOverlays) delete draft.overlays[Number(id)];
    for (const id of deadMemories) delete draft.sharedMemories[Number(id)];
  });
}
