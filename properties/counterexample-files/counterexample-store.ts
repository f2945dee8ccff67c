//! Counterexample files on disk: reading one (any problem is one CounterexampleFileError
//! line), and writing one atomically without ever replacing an existing file (unless told
//! to, for `shrink --out FILE --force`).
//!
//! A write goes to a temporary file in the target directory, then `link`s it to its final
//! name, which fails if that name exists, so two writers never clobber each other and a
//! reader never sees half a file; the temporary is always removed. Names are readable and
//! stable: `<variant or system>-<check>-<seed>.json`, with `-2`, `-3`... when taken by a
//! different finding (`run` does not write the same finding twice: failure-signature.ts).

import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
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

/**
 * The readable name of `file`, without a directory or suffix: `canary-cow-copy-skip-observation-1`;
 * a module's system by its file name (`../my-system.ts` → `my-system`).
 */
export function counterexampleStem(file: CounterexampleFile): string {
  const subject = file.variant ?? basename(file.system).replace(/\.[cm]?[jt]sx?$/, "");
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
  return writeThroughTemporary(directory, stem, file, (temporary) => {
    for (let suffix = 1; ; suffix++) {
      const path = join(directory, suffix === 1 ? `${stem}.json` : `${stem}-${suffix}.json`);
      try {
        linkSync(temporary, path);
        return path;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
  });
}

/** An existing file at the path `writeCounterexampleAt` was told not to replace. */
export class FileExistsError extends Error {
  override readonly name = "FileExistsError";
}

/**
 * Writes `file` at exactly `path`. Ensures: what is written reads back; the file appears
 * complete or not at all; an existing file is replaced only with `force`, else a
 * FileExistsError and nothing written.
 */
export function writeCounterexampleAt(path: string, file: CounterexampleFile, options: { readonly force?: boolean } = {}): string {
  return writeThroughTemporary(dirname(path), basename(path), file, (temporary) => {
    if (options.force === true) {
      renameSync(temporary, path);
      return path;
    }
    try {
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new FileExistsError(`${path} exists; give --force to replace it`);
      throw error;
    }
    return path;
  });
}

/** Serializes and checks `file`, writes it to a temporary in `directory`, and lets `place` give it its name. */
function writeThroughTemporary(directory: string, name: string, file: CounterexampleFile, place: (temporary: string) => string): string {
  const text = serializeCounterexample(file);
  parseCounterexample(text, `the counterexample to write as ${name}`);
  mkdirSync(directory, { recursive: true });
  const temporary = join(directory, `.${name}.${process.pid}.tmp`);
  const descriptor = openSync(temporary, "wx");
  try {
    try {
      writeSync(descriptor, text);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    return place(temporary);
  } finally {
    if (existsSync(temporary)) unlinkSync(temporary);
  }
}
