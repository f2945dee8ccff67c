//! Deleting commands, until the counterexample is 1-minimal: no single command can be
//! removed and still give the same failure.
//!
//! First whole chunks go (halves, quarters, ... down to pairs: ddmin's complement steps,
//! which drop long irrelevant stretches in few runs), then single commands, from the last
//! to the first, repeated until a full pass removes nothing. A removal is tried twice: with
//! references followed (later pids, pages and handles renumbered as the system would hand
//! them out without the deleted command) and, if that fails, with every number kept as
//! stored. The result is 1-minimal in both senses.

import { type Candidate, type Effort, type Shrinking, attempt } from "./attempt.ts";
import type { AnnotatedCommand } from "./references.ts";

function without(commands: readonly AnnotatedCommand[], start: number, count: number): AnnotatedCommand[] {
  return [...commands.slice(0, start), ...commands.slice(start + count)];
}

function plain(commands: readonly AnnotatedCommand[]): AnnotatedCommand[] {
  return commands.map((item) => ({ ...item, origins: {} }));
}

/** One removal of `count` commands at `start`, followed references first, then plain numbers. */
function* tryRemoval(current: Candidate, start: number, count: number, effort: Effort): Shrinking<Candidate | null> {
  const limit = current.commands.length - 1;
  const remaining = without(current.commands, start, count);
  return (yield* attempt(current.setup, remaining, current.violation, limit, effort)) ?? (yield* attempt(current.setup, plain(remaining), current.violation, limit, effort));
}

/** ddmin's complement steps, chunk sizes from half the commands down to 2. Ensures: never longer. */
export function* deleteChunks(current: Candidate, effort: Effort): Shrinking<Candidate> {
  for (let chunk = Math.floor(current.commands.length / 2); chunk >= 2; chunk = Math.floor(chunk / 2)) {
    for (let start = current.commands.length - chunk; start >= 0; start -= chunk) {
      const smaller = yield* tryRemoval(current, start, chunk, effort);
      if (smaller !== null) current = smaller;
      start = Math.min(start, current.commands.length);
    }
  }
  return current;
}

/** Removes single commands until none can be removed. Ensures: 1-minimal (within the effort budget). */
export function* deleteSingles(current: Candidate, effort: Effort): Shrinking<Candidate> {
  for (let changed = true; changed; ) {
    changed = false;
    for (let index = current.commands.length - 1; index >= 0; index--) {
      const smaller = yield* tryRemoval(current, index, 1, effort);
      if (smaller === null) continue;
      current = smaller;
      changed = true;
      index = Math.min(index, current.commands.length);
    }
  }
  return current;
}
