//! Where a command will write, checked before it starts working: a campaign that runs for
//! an hour must not find out at its end that `--out` names a file, a folder it may not
//! write, or a path under a file; `shrink` must not lose its work to an unwritable folder.
//! Each check creates nothing: a folder that does not exist yet passes when its nearest
//! existing ancestor is a folder uvmcheck may write in (the write creates it later).

import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "./usage-error.ts";

/** The nearest existing ancestor of `path` (itself if it exists). */
function nearestExisting(path: string): string {
  let current = resolve(path);
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) return current;
    current = parent;
  }
  return current;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ensures: files can be created in `directory` (it is a writable folder, or can be created
 * as one), else a UsageError naming `flag`. Creates nothing.
 */
export function checkWritableFolder(flag: string, directory: string, shown: string = directory): void {
  const existing = nearestExisting(directory);
  if (!statSync(existing).isDirectory()) {
    const what = existing === resolve(shown) ? "is a file, not a folder" : `cannot be created: ${existing} is a file`;
    throw new UsageError(`${flag} ${shown} ${what}`);
  }
  if (!writable(existing)) throw new UsageError(`${flag} ${shown}: cannot write in ${existing} (permission denied)`);
}

/**
 * Ensures: a file can be written at `path` (its folder writable or creatable; not a folder
 * itself; not existing unless `replace`), else a UsageError naming `flag`. Creates nothing.
 */
export function checkWritableFile(flag: string, path: string, options: { readonly replace: boolean; readonly hint?: string }): void {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new UsageError(`${flag} ${path} is a folder, not a file`);
    if (!options.replace) throw new UsageError(`${flag} ${path} exists${options.hint === undefined ? "" : `; ${options.hint}`}`);
  }
  checkWritableFolder(flag, dirname(path), path);
  if (existsSync(path) && !writable(dirname(resolve(path)))) throw new UsageError(`${flag} ${path}: cannot replace it (permission denied)`);
}
