//! Counterexample files on disk: reading one (any problem is one CounterexampleFileError
//! line), and writing one atomically without ever replacing an existing file.
//!
//! A write goes to a temporary file in the target directory, then `link`s it to its final
//! name, which fails if that name exists, so two writers never clobber each other and a
//! reader never sees half a file; the temporary is always removed. Names are readable and
//! stable: `<variant or system>-<check>-<seed>.json`, with `-2`, `-3`... when taken.

import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { basename, join } from "node:path";
import { type CounterexampleFile, CounterexampleFileError, parseCounterexample, serializeCounterexample } from "./counterexample-file.ts";

/** Ensures: the parsed file, or a CounterexampleFileError (unreadable, malformed, truncated, unknown version or kind). */
export function readCounterexample(path: string): CounterexampleFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new CounterexampleFileError(`${path}: cannot read (${code})`);
  }
  return parseCounterexample(text, path);
}

/** Lower case, words joined by `-`: `invariant:G6 shared-anons-read-only` → `invariant-g6-shared-anons-read-only`. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "counterexample"
  );
}

/** The readable name of `file`, without a directory or suffix: `canary-cow-copy-skip-observation-1`. */
export function counterexampleStem(file: CounterexampleFile): string {
  const subject = file.variant ?? file.system;
  const seed = file.seed === null ? "" : `-${file.seed}`;
  return `${slug(subject)}-${slug(file.failure.check)}${seed}`;
}

/**
 * Writes `file` as `<directory>/<stem>.json` (or `<stem>-N.json`, the first N ≥ 2 free).
 * Requires: `stem` has no directory part. Ensures: what is written reads back (else a
 * CounterexampleFileError and nothing written); an existing file is never replaced; the
 * file appears complete or not at all; returns the path written.
 */
export function writeCounterexample(directory: string, stem: string, file: CounterexampleFile): string {
  if (basename(stem) !== stem) throw new RangeError(`writeCounterexample: stem "${stem}" has a directory part`);
  const text = serializeCounterexample(file);
  parseCounterexample(text, `the counterexample to write as ${stem}`);
  mkdirSync(directory, { recursive: true });
  const temporary = join(directory, `.${stem}.${process.pid}.tmp`);
  const descriptor = openSync(temporary, "wx");
  try {
    try {
      writeSync(descriptor, text);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    for (let suffix = 1; ; suffix++) {
      const path = join(directory, suffix === 1 ? `${stem}.json` : `${stem}-${suffix}.json`);
      try {
        linkSync(temporary, path);
        return path;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
  } finally {
    unlinkSync(temporary);
  }
}
