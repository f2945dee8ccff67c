//! The `system` a counterexample file names, written so that the file replays from any
//! folder. A built-in name (`uvm`) is stored as it is. A module path is stored relative to
//! the folder of the file itself, in `/` form, whatever folder `run` was started from:
//!
//!   cd ~/project && uvmcheck run --system ./mine.mjs --out found/
//!     writes found/FILE.json with "system": "../mine.mjs"
//!
//! so `uvmcheck replay ~/project/found/FILE.json` finds the module from anywhere. Reading, a relative module path is resolved against the file's folder first;
//! files written before this rule named the module relative to the working folder, which is
//! tried second. `replay --system` and `shrink --system` override the stored system.
//!
//! The stored text depends only on the two paths, never on the machine's clock or state, so
//! the same campaign still writes byte-identical files.

import { existsSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type { CounterexampleFile } from "../properties/counterexample-files/counterexample-file.ts";
import { looksLikePath } from "../systems/load-system.ts";
import { builtInSystems } from "../systems/registry.ts";

/**
 * Whether `reference` names a module file rather than a built-in system.
 * Ensures: false for every built-in name.
 */
export function isModuleReference(reference: string): boolean {
  return !builtInSystems.has(reference) && (looksLikePath(reference) || existsSync(reference));
}

/**
 * What a file in `fileDirectory` stores for the system `reference` (as typed, relative to
 * `cwd`). Ensures: a built-in name unchanged; a module path relative to `fileDirectory`,
 * `/`-separated, starting with `./` or `../`.
 */
export function storedSystemReference(reference: string, fileDirectory: string, cwd: string = process.cwd()): string {
  if (!isModuleReference(reference)) return reference;
  const module = resolve(cwd, reference);
  const path = relative(resolve(cwd, fileDirectory), module).split(sep).join("/");
  return path.startsWith("../") || path.startsWith("./") ? path : `./${path}`;
}

/**
 * The reference to load for the system a file at `filePath` stores. Ensures: a built-in name
 * unchanged; a module path absolute: against the file's folder if a module is there, else
 * against `cwd` if one is there (an older file), else against the file's folder (so that
 * the error names where it was looked for).
 */
export function resolveStoredSystem(stored: string, filePath: string, cwd: string = process.cwd()): string {
  if (builtInSystems.has(stored) || !looksLikePath(stored)) return stored;
  if (isAbsolute(stored)) return stored;
  const besideFile = resolve(dirname(resolve(cwd, filePath)), stored);
  if (existsSync(besideFile)) return besideFile;
  const fromCwd = resolve(cwd, stored);
  return existsSync(fromCwd) ? fromCwd : besideFile;
}

/**
 * Which system a stored `system` names, as one string to compare: a built-in name, or the
 * module's absolute path (read against the file at `filePath`). Ensures: equal for two
 * files that name the same system, wherever each names it from.
 */
export function systemIdentity(stored: string, filePath: string, cwd: string = process.cwd()): string {
  return isModuleReference(stored) ? resolve(cwd, resolveStoredSystem(stored, filePath, cwd)) : stored;
}

/**
 * Whether a stored counterexample is about the system `reference` names (as given on the
 * command line, relative to `cwd`). Ensures: a built-in name matches itself only; a module
 * matches the files that name the same module file.
 */
export function sameSystemAs(reference: string, cwd: string = process.cwd()): (file: CounterexampleFile, path: string) => boolean {
  const ours = isModuleReference(reference) ? resolve(cwd, reference) : reference;
  return (file, path) => systemIdentity(file.system, path, cwd) === ours;
}
