//! A variant's copy of a system's sources: its edits (variants/source-edit.ts) applied to a
//! copy of the files they touch and of every file that imports those (up to the entry
//! module), written once into a cache folder and then imported like any module.
//!
//!   <root>/node_modules/.cache/uvmcheck/variants/<variant>-<hash>/impl/...
//!
//! Only the edited files and their importers are copied. Their imports of anything else
//! (the rest of impl/, vocabulary/, packages) point at the originals by absolute path, so a
//! class or an error the checker tests with `instanceof` is the same class in the copy and
//! in the faithful system. The folder's name hashes everything that went into it (the edits
//! and the faithful text of every copied file), so a changed source makes a new copy and a
//! stale one is never used. A copy is written into a temporary folder and renamed into
//! place, so two processes (or worker threads) materialising the same variant at once both
//! end up with one complete copy.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, posix, sep } from "node:path";
import { threadId } from "node:worker_threads";
import { editedSources, type SourceVariant } from "./source-edit.ts";

/** Bumped when the layout of a copy changes, so old copies are not reused. */
const copyFormat = 2;

export interface MaterializeRequest {
  /** The absolute path of the folder the edits' file names are relative to (the repository). */
  readonly root: string;
  /** The folder (relative to `root`) whose files may import each other and be copied (`impl`). */
  readonly sourceFolder: string;
  /** The module (relative to `root`) the system loads from the copy (`impl/uvm-system.ts`). */
  readonly entry: string;
  readonly variant: SourceVariant;
  /** Where copies go; default `<root>/node_modules/.cache/uvmcheck/variants`. */
  readonly cacheFolder?: string;
}

const relativeSpecifier = /(\bfrom\s*|\bimport\s*\(?\s*)"(\.\.?\/[^"]+)"/g;

/** Every `.ts` file under `folder` (relative to `root`, with forward slashes). */
function sourceFiles(root: string, folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: "utf8" })
    .map((name) => posix.join(folder, name.split(sep).join("/")))
    .filter((name) => name.endsWith(".ts"))
    .sort();
}

/** The file (relative to the root) that `specifier`, imported from `file`, names. */
const targetOf = (file: string, specifier: string): string => posix.normalize(posix.join(posix.dirname(file), specifier));

/** The files to copy: the edited ones and, transitively, every source file importing one. */
function filesToCopy(root: string, sources: readonly string[], edited: Iterable<string>): Set<string> {
  const importers = new Map<string, string[]>();
  for (const file of sources) {
    for (const [, , specifier = ""] of readFileSync(join(root, file), "utf8").matchAll(relativeSpecifier)) {
      const target = targetOf(file, specifier);
      importers.set(target, [...(importers.get(target) ?? []), file]);
    }
  }
  const copy = new Set<string>();
  const pending = [...edited];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (copy.has(file)) continue;
    copy.add(file);
    pending.push(...(importers.get(file) ?? []));
  }
  return copy;
}

/** `text` (the copy of `file`) with its imports of files not copied pointed at the originals. */
function pointAtOriginals(root: string, file: string, text: string, copied: ReadonlySet<string>): string {
  return text.replace(relativeSpecifier, (whole, lead: string, specifier: string) => {
    const target = targetOf(file, specifier);
    return copied.has(target) ? whole : `${lead}"${join(root, target).split(sep).join("/")}"`;
  });
}

let temporaries = 0;

/** Writes `files` into `folder` atomically: into a temporary sibling, then renamed into place. */
function writeOnce(folder: string, files: ReadonlyMap<string, string>): void {
  if (existsSync(folder)) return;
  const temporary = `${folder}.tmp-${process.pid}-${threadId}-${++temporaries}`;
  for (const [file, text] of files) {
    mkdirSync(dirname(join(temporary, file)), { recursive: true });
    writeFileSync(join(temporary, file), text);
  }
  try {
    renameSync(temporary, folder);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    if (!existsSync(folder)) throw error; // someone else's copy won the race otherwise
  }
}

/**
 * Materialises `request.variant` and returns the absolute path of the entry module in its
 * copy. Throws EditNoLongerApplies when an edit does not apply; a RangeError when an edit
 * touches a file outside the source folder or one the entry never imports.
 */
export function materializeVariant(request: MaterializeRequest): string {
  const { root, sourceFolder, entry, variant } = request;
  const sources = sourceFiles(root, sourceFolder);
  for (const change of variant.edits) {
    if (!sources.includes(change.file)) throw new RangeError(`variant ${variant.name}: ${change.file} is not a source file under ${sourceFolder}/`);
  }
  const edited = editedSources(variant, (file) => readFileSync(join(root, file), "utf8"));
  const copied = filesToCopy(root, sources, edited.keys());
  if (!copied.has(entry)) throw new RangeError(`variant ${variant.name}: ${entry} does not import the files its edits change`);
  const texts = new Map<string, string>();
  const hash = createHash("sha256").update(`${copyFormat}\0${root}\0${variant.name}\0`);
  for (const file of [...copied].sort()) {
    const text = pointAtOriginals(root, file, edited.get(file) ?? readFileSync(join(root, file), "utf8"), copied);
    texts.set(file, text);
    hash.update(`${file}\0${text}\0`);
  }
  const cacheFolder = request.cacheFolder ?? join(root, "node_modules", ".cache", "uvmcheck", "variants");
  const folder = join(cacheFolder, `${variant.name}-${hash.digest("hex").slice(0, 16)}`);
  // Under node_modules no package.json of ours is in scope: say the copies are ES modules.
  texts.set("package.json", `${JSON.stringify({ type: "module", private: true })}\n`);
  writeOnce(folder, texts);
  return join(folder, entry);
}
