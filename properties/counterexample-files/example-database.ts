//! The example database, after Hypothesis's: before generating anything, `run` replays the
//! stored counterexamples (a folder of counterexample files, `counterexamples/` or
//! `--db DIR`, searched with its subfolders) that apply to the system under test, and says
//! how each one did against what its status expects (counterexamples/README.md):
//!
//!   status   replay                      verdict
//!   fixed    passes                      passes          as expected
//!   fixed    fails                       fails again     a regression: run exits 1
//!   open     fails with its check        still fails     a known failure, as expected
//!   open     fails with another check    fails anew      unexpected: run exits 1
//!   open     passes                      passes now      unexpected, welcome: mark it fixed
//!
//! A file applies when it names the same system (the caller decides what that is: a module is
//! the same file, wherever each names it from, cli/system-reference.ts) and the same variant
//! (or both none): a variant's counterexample says
//! nothing about the faithful system, nor about another variant. A replay is one run of the
//! file's commands, so the whole database costs milliseconds per file. Files that are not
//! counterexamples are left alone; a counterexample file that cannot be read is listed.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { SystemFactory } from "../../vocabulary/system-under-test.ts";
import { type CounterexampleFile, CounterexampleFileError, counterexampleFormat, parseCounterexample } from "./counterexample-file.ts";
import { replayCommands, sameFailure, setupFromFile } from "./replay.ts";

export type DatabaseVerdict = "passes" | "fails again" | "still fails" | "fails anew" | "passes now";

export interface DatabaseEntry {
  readonly path: string;
  readonly status: CounterexampleFile["status"];
  readonly verdict: DatabaseVerdict;
  /** Whether the verdict is what the status expects. */
  readonly expected: boolean;
  /** The failure on replay, or null when it passed. */
  readonly failure: { readonly check: string; readonly step: number; readonly message: string } | null;
}

export interface DatabaseReplay {
  readonly directory: string;
  /** Counterexample files found, applicable or not. */
  readonly found: number;
  readonly entries: readonly DatabaseEntry[];
  /** Files that look like counterexamples but cannot be read, with why. */
  readonly unreadable: readonly { readonly path: string; readonly reason: string }[];
}

/** What the system under test is: whether a stored file names it (read against the file's path), and the variant. */
export interface SystemUnderTestIdentity {
  readonly sameSystem: (file: CounterexampleFile, path: string) => boolean;
  readonly variant: string | null;
}

/** Every `.json` file under `directory`, sorted; hidden entries and node_modules skipped. */
function jsonFiles(directory: string): string[] {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) return [];
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) found.push(...jsonFiles(path));
    else if (entry.isFile() && entry.name.endsWith(".json")) found.push(path);
  }
  return found;
}

/**
 * The counterexample files under `directory`, and the ones that claim to be but cannot be read.
 * Ensures: files in path order; nothing thrown for a bad file.
 */
export function readDatabase(directory: string): { files: { path: string; file: CounterexampleFile }[]; unreadable: { path: string; reason: string }[] } {
  const files: { path: string; file: CounterexampleFile }[] = [];
  const unreadable: { path: string; reason: string }[] = [];
  for (const path of jsonFiles(directory)) {
    const text = readFileSync(path, "utf8");
    if (!text.includes(counterexampleFormat)) continue;
    try {
      files.push({ path, file: parseCounterexample(text, path) });
    } catch (error) {
      if (!(error instanceof CounterexampleFileError)) throw error;
      unreadable.push({ path, reason: error.message });
    }
  }
  return { files, unreadable };
}

/**
 * Whether the file at `path` is about the system under test `identity` names.
 * Ensures: true only for the same system and the same variant.
 */
function applies(file: CounterexampleFile, path: string, identity: SystemUnderTestIdentity): boolean {
  return file.variant === identity.variant && identity.sameSystem(file, path);
}

function verdictOf(file: CounterexampleFile, failure: DatabaseEntry["failure"]): { verdict: DatabaseVerdict; expected: boolean } {
  if (file.status === "fixed") return failure === null ? { verdict: "passes", expected: true } : { verdict: "fails again", expected: false };
  if (failure === null) return { verdict: "passes now", expected: false };
  return sameFailure(failure, file.failure) ? { verdict: "still fails", expected: true } : { verdict: "fails anew", expected: false };
}

/**
 * Replays every file under `directory` that applies to `identity`, on `system` (the system
 * `identity.sameSystem` recognizes). Ensures: one entry per applicable file, in path order;
 * deterministic.
 */
export function replayDatabase(directory: string, system: SystemFactory, identity: SystemUnderTestIdentity): DatabaseReplay {
  const { files, unreadable } = readDatabase(directory);
  const entries: DatabaseEntry[] = [];
  for (const { path, file } of files) {
    if (!applies(file, path, identity)) continue;
    let failure: DatabaseEntry["failure"];
    try {
      const violation = replayCommands(setupFromFile(file, system, identity.variant), file.commands).violation;
      failure = violation === null ? null : { check: violation.check, step: violation.step, message: violation.message };
    } catch (error) {
      if (!(error instanceof CounterexampleFileError)) throw error;
      unreadable.push({ path, reason: error.message });
      continue;
    }
    entries.push({ path, status: file.status, ...verdictOf(file, failure), failure });
  }
  return { directory, found: files.length, entries, unreadable };
}

/**
 * The entries that make `run` exit 1: a fixed file failing again, an open one failing with another check.
 * Ensures: the entries whose verdict is not what their status expects, passing-now ones excepted.
 */
export function failingAgain(replay: DatabaseReplay): DatabaseEntry[] {
  return replay.entries.filter((entry) => entry.verdict === "fails again" || entry.verdict === "fails anew");
}
