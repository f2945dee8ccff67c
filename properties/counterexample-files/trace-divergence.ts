//! The first divergence of a failing step, in words, and the frames it involves.
//!
//!   observation   which process, page and word (or attribute, or file word) the model and
//!                 the implementation disagree on, and which frame the implementation
//!                 translates that page to
//!   invariant     which invariant, and the objects its message names, located in frames
//!   healed        what the heal phase left behind, and the objects it names
//!   outcome, assertion, liveness, crash      the message, and the objects it names
//!
//! Objects are found in messages by the spellings the invariants and Page.describe use:
//! `pid P va V` (located through the frames' translations), `frame N`, `page N (...)` (a
//! vm_page is named by its frame), `anon N` (the frame whose owner it is), and a file page
//! as an object owner `vnodeF@P`. A message naming nothing still explains itself.

import type { FrameDescription } from "../../vocabulary/frame-trace.ts";
import { type Divergence, formatDivergence } from "../../vocabulary/observation.ts";
import type { Attempt, Violation } from "../checking/runner.ts";

export interface Explanation {
  readonly lines: readonly string[];
  /** Frames the divergence names, in the order named. */
  readonly frames: readonly number[];
}

type Frames = ReadonlyMap<number, FrameDescription>;

function describeFrame(description: FrameDescription): string {
  const translations = description.translations.length === 0 ? "none" : description.translations.join(" ");
  return `frame ${description.frame}: owner ${description.owner}; translations ${translations}; loans ${description.loanCount}; wired ${description.wireCount}; flags ${description.flags}`;
}

/** The frame `pid`'s page `va` is translated to, if any. */
function translatedFrame(frames: Frames, pid: number, va: number): FrameDescription | undefined {
  const prefix = `${pid}:${va}:`;
  return [...frames.values()].find((description) => description.translations.some((translation) => translation.startsWith(prefix)));
}

function locatePage(frames: Frames, pid: number, va: number): { line: string; frame: number | null } {
  const description = translatedFrame(frames, pid, va);
  if (description === undefined) return { line: `pid ${pid} va ${va} has no translation (not resident, or not mapped)`, frame: null };
  return { line: `pid ${pid} va ${va} is translated to ${describeFrame(description)}`, frame: description.frame };
}

function observationLines(divergence: Divergence, frames: Frames): Explanation {
  switch (divergence.kind) {
    case "pageWord":
    case "attribute": {
      const what = divergence.kind === "pageWord" ? `word ${divergence.word}` : divergence.attribute;
      const located = locatePage(frames, divergence.pid, divergence.va);
      const headline = `pid ${divergence.pid} va ${divergence.va} ${what}: the model has ${divergence.expected}, the implementation ${divergence.actual}`;
      return { lines: [headline, located.line], frames: located.frame === null ? [] : [located.frame] };
    }
    case "mappedPages": {
      const extra = divergence.actual.filter((va) => !divergence.expected.includes(va));
      const missing = divergence.expected.filter((va) => !divergence.actual.includes(va));
      const located = extra.map((va) => locatePage(frames, divergence.pid, va));
      const headline = `pid ${divergence.pid}: pages only the model maps [${missing.join(",")}], only the implementation maps [${extra.join(",")}]`;
      return { lines: [headline, ...located.map((entry) => entry.line)], frames: located.flatMap((entry) => (entry.frame === null ? [] : [entry.frame])) };
    }
    case "fileWord": {
      const owner = `vnode${divergence.file}@${divergence.page}`;
      const resident = [...frames.values()].filter((description) => description.owner.includes(owner));
      const headline = `file ${divergence.file}, page ${divergence.page}, word ${divergence.word}: the model has ${divergence.expected}, the implementation ${divergence.actual}`;
      const located = resident.length === 0 ? [`file ${divergence.file} page ${divergence.page} is not resident`] : resident.map(describeFrame);
      return { lines: [headline, ...located], frames: resident.map((description) => description.frame) };
    }
    default:
      return { lines: [formatDivergence(divergence)], frames: [] };
  }
}

/** The frames a message names, each once, in the order named. */
export function framesNamedIn(message: string, frames: Frames): number[] {
  const named: number[] = [];
  const add = (frame: number | undefined) => {
    if (frame !== undefined && !named.includes(frame)) named.push(frame);
  };
  const patterns: readonly [RegExp, (match: RegExpMatchArray) => void][] = [
    [/pid (\d+) va (\d+)/g, (match) => add(translatedFrame(frames, Number(match[1]), Number(match[2]))?.frame)],
    [/\bframe (\d+)/g, (match) => add(Number(match[1]))],
    [/\bpage (\d+) \(/g, (match) => add(Number(match[1]))],
    [/\banon (\d+)\b/g, (match) => add([...frames.values()].find((description) => description.owner.startsWith(`anon ${match[1]}`))?.frame)],
  ];
  for (const [pattern, found] of patterns) for (const match of message.matchAll(pattern)) found(match);
  return named;
}

/**
 * Requires: `failure` is the violation the replay stopped at, `attempt` the runner's record
 * of that step, `frames` the frames after it. Ensures: at least one line.
 */
export function explainFailure(failure: Violation, attempt: Attempt | null, frames: Frames): Explanation {
  if (failure.check === "observation" && attempt?.divergence != null) return observationLines(attempt.divergence, frames);
  const named = framesNamedIn(failure.message, frames);
  const subject = failure.check.startsWith("invariant:")
    ? `invariant ${failure.check.slice("invariant:".length)} is broken`
    : failure.check === "healed"
      ? "the heal phase left something behind"
      : `${failure.check} check failed`;
  const located = named.map((frame) => {
    const description = frames.get(frame);
    return description === undefined ? `frame ${frame}: free` : describeFrame(description);
  });
  return { lines: [`${subject}: ${failure.message}`, ...located], frames: named };
}
