//! What a system can tell a trace about its physical frames: an optional capability of the
//! system-under-test contract, used by `uvmcheck replay --trace` to draw a per-frame
//! timeline around a failure.
//!
//! A *frame description* is a snapshot of one frame in use after a command: who owns it,
//! which translations map it, its loan and wire counts and its flags, all as text the
//! system chooses. A *frame event* is something that happened to a frame during a command,
//! in order: allocated (and whether zeroed), freed, copied into another frame, written out
//! to or read in from a swap slot. A system records events only when created with
//! `recordFrameEvents` (SystemOptions), so checking campaigns pay nothing for them.

export interface FrameDescription {
  readonly frame: number;
  /** `anon 3`, `object vnode0@2`, `orphan`: whatever the system calls the owner. */
  readonly owner: string;
  /** Every translation to the frame, as `pid:va:prot` (e.g. `1:4:rw`), in increasing pid and va. */
  readonly translations: readonly string[];
  readonly loanCount: number;
  readonly wireCount: number;
  /** The system's flag bits, spelled out (`BUSY|CLEAN`), or `-`. */
  readonly flags: string;
}

export type FrameEvent =
  | { readonly kind: "alloc"; readonly frame: number; readonly zeroed: boolean }
  | { readonly kind: "free"; readonly frame: number }
  | { readonly kind: "copy"; readonly from: number; readonly to: number }
  | { readonly kind: "swapOut"; readonly frame: number; readonly slot: number }
  | { readonly kind: "swapIn"; readonly frame: number; readonly slot: number };

/** The frames an event touches. */
export function eventFrames(event: FrameEvent): readonly number[] {
  return event.kind === "copy" ? [event.from, event.to] : [event.frame];
}

/** How `event` reads in the timeline of `frame`: `alloc`, `alloc zeroed`, `copy → 5`, `swap out → slot 2`. */
export function formatFrameEvent(event: FrameEvent, frame: number): string {
  switch (event.kind) {
    case "alloc":
      return event.zeroed ? "alloc zeroed" : "alloc";
    case "free":
      return "free";
    case "copy":
      return event.from === frame ? `copy → ${event.to}` : `copy ← ${event.from}`;
    case "swapOut":
      return `swap out → slot ${event.slot}`;
    case "swapIn":
      return `swap in ← slot ${event.slot}`;
  }
}
