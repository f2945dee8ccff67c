//! When two counterexamples are the same finding, so that `run` keeps one file per finding
//! instead of piling up `-2`, `-3` copies. Two files are the same finding when they agree on
//!
//!   system      the same system (the caller says which: a module is the same file,
//!               wherever each names it from, cli/system-reference.ts)
//!   variant     the same planted bug, or both none
//!   check       the same failed check (`observation`, `invariant:G6 ...`)
//!   message     the same message once every number in it is replaced by `#`
//!               (`pid 1 va 0 word 1: model 1001, implementation 57005` and the same words
//!               at other pages or values are one finding)
//!   kinds       the same kinds of command, in order, up to the failing one (`mmap write`)
//!
//! and differ at most in the numbers: which pid, page, value, seed. A file shrunk further by
//! `uvmcheck shrink` usually has fewer commands, so it is a different finding from the one
//! it came from; two campaigns that shrink to the same shape are one.

import type { CounterexampleFile } from "./counterexample-file.ts";

/**
 * Every number in `message` replaced by `#`; runs of spaces folded.
 * Ensures: one line; no digit left.
 */
export function normalizedMessage(message: string): string {
  return message
    .split("\n")[0]!
    .replace(/-?\d+(\.\d+)?/g, "#")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Requires: `system` identifies the file's system (the same string for the same system).
 * Ensures: equal strings exactly for the same finding.
 */
export function failureSignature(file: CounterexampleFile, system: string): string {
  const kinds = file.commands.slice(0, file.failure.step + 1).map((command) => command.kind);
  return JSON.stringify([system, file.variant, file.failure.check, normalizedMessage(file.failure.message), kinds]);
}
