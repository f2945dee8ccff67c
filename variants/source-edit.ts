//! A planted bug as a source edit: which file of a system's sources it changes, the faithful
//! lines it looks for and the lines it puts in their place. The faithful code carries no
//! switch for it; the edit is applied to a copy (variants/materialize.ts), like a patch.
//!
//! An edit matches whole lines, compared without their leading and trailing blanks (so a
//! re-indentation does not break it, and nothing else does silently): the lines of `find`
//! must appear, one after the other, exactly once in the file. The replacement lines take
//! the indentation of the first line found, plus their own leading blanks. An empty
//! replacement removes the lines.

import type { VariantInfo } from "../vocabulary/system-under-test.ts";

export interface SourceEdit {
  /** The file the edit changes, relative to the system's root (`impl/uvm/amap.ts`). */
  readonly file: string;
  /** The faithful lines, one after the other (never empty). */
  readonly find: readonly string[];
  /** What they become (empty: removed). */
  readonly replace: readonly string[];
}

/** A variant defined by its edits (a canary or a mutant; a seed bug stays in the faithful code). */
export interface SourceVariant extends VariantInfo {
  readonly edits: readonly SourceEdit[];
}

/** An edit that no longer applies to the sources it was written for. */
export class EditNoLongerApplies extends Error {
  override readonly name = "EditNoLongerApplies";
}

const asLines = (text: string | readonly string[]): readonly string[] => (typeof text === "string" ? (text === "" ? [] : text.split("\n")) : text);

/** An edit of `file`: `find` (one line or several) becomes `replace` ("" or [] removes it). */
export function edit(file: string, find: string | readonly string[], replace: string | readonly string[]): SourceEdit {
  const lines = asLines(find);
  if (lines.length === 0) throw new RangeError(`edit of ${file}: nothing to find`);
  return { file, find: lines, replace: asLines(replace) };
}

/** The line numbers (0-based) where the lines of `find` start in `lines`. */
function matchesOf(lines: readonly string[], find: readonly string[]): number[] {
  const starts: number[] = [];
  for (let start = 0; start + find.length <= lines.length; start++) {
    if (find.every((wanted, k) => lines[start + k]?.trim() === wanted.trim())) starts.push(start);
  }
  return starts;
}

/**
 * Applies `change` to `source` (the text of `change.file`) for variant `variant`.
 * Ensures: the result differs from `source` only at the one place `change.find` matched.
 * Throws EditNoLongerApplies when `change.find` matches no line or more than one place.
 */
export function applyEdit(variant: string, source: string, change: SourceEdit): string {
  const lines = source.split("\n");
  const starts = matchesOf(lines, change.find);
  const where = `variant ${variant}: edit no longer applies to ${change.file}`;
  if (starts.length === 0) throw new EditNoLongerApplies(`${where}: snippet not found: ${change.find.join(" ⏎ ")}`);
  if (starts.length > 1) throw new EditNoLongerApplies(`${where}: snippet found ${starts.length} times: ${change.find.join(" ⏎ ")}`);
  const start = starts[0] ?? 0;
  const indent = /^\s*/.exec(lines[start] ?? "")?.[0] ?? "";
  lines.splice(start, change.find.length, ...change.replace.map((line) => indent + line));
  return lines.join("\n");
}

/** The files `variant` edits, each with its edited text; `read` gives a file's faithful text. */
export function editedSources(variant: SourceVariant, read: (file: string) => string): Map<string, string> {
  const edited = new Map<string, string>();
  for (const change of variant.edits) {
    edited.set(change.file, applyEdit(variant.name, edited.get(change.file) ?? read(change.file), change));
  }
  return edited;
}
