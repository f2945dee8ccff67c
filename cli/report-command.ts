//! `uvmcheck report FILE [--out PAGE] [--force] [--system SPEC] [--json]`: writes one
//! counterexample file as a self-contained HTML page (cli/reports/page/counterexample-page.ts)
//! that any browser opens without a network: steps, thread timeline, linearizability,
//! first divergence, frames, reproduce lines.
//!
//!   no --out       next to FILE, `<name>.html` (`-2`... if taken: nothing is replaced)
//!   --out PAGE     exactly PAGE; an existing file only with --force
//!
//! `run --html` writes the page of the counterexample it finds the same way. Exit 0 when
//! the page is written, 2 when FILE or the destination is unusable.

import { existsSync, linkSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { setAutoFreeze } from "immer";
import { counterexamplePage } from "./reports/page/counterexample-page.ts";
import { counterexampleStory } from "./reports/page/counterexample-story.ts";
import { loadCounterexample } from "./counterexample-input.ts";
import { checkWritableFile, checkWritableFolder } from "./destination.ts";
import type { Session } from "./session.ts";

export interface ReportFlags {
  readonly out?: string;
  readonly force?: boolean;
  readonly system?: string;
  readonly json?: boolean;
}

/** Writes `text` at `path` through a temporary: replacing only with `replace`; else the first free `-N` name when `number`. */
function placePage(path: string, text: string, options: { readonly replace: boolean; readonly number: boolean }): string {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temporary, text, { flag: "wx" });
  try {
    if (options.replace) {
      renameSync(temporary, path);
      return path;
    }
    for (let suffix = 1; ; suffix++) {
      const candidate = suffix === 1 ? path : path.replace(/\.html$/, `-${suffix}.html`);
      try {
        linkSync(temporary, candidate);
        return candidate;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST" || !options.number) throw error;
      }
    }
  } finally {
    if (existsSync(temporary)) unlinkSync(temporary);
  }
}

function defaultPage(file: string): string {
  return join(dirname(file), `${basename(file).replace(/\.json$/, "")}.html`);
}

/** The page of the counterexample file at `file`, written next to it. Ensures: the page's path. */
export async function writePageFor(file: string, out: string | undefined, options: { readonly force: boolean; readonly system?: string }): Promise<string> {
  const target = out ?? defaultPage(file);
  if (out !== undefined) checkWritableFile("--out", out, { replace: options.force, hint: "give --force to replace it" });
  else checkWritableFolder("the folder of FILE,", dirname(target));
  const loaded = await loadCounterexample(file, options.system);
  setAutoFreeze(false);
  const story = counterexampleStory(loaded.path, loaded.file, loaded.setup, loaded.systemReference);
  return placePage(target, counterexamplePage(story), { replace: out !== undefined && options.force, number: out === undefined });
}

/**
 * For `run --html`: the page of a file just written (or of the stored file with the same finding), or why there is none.
 * Ensures: never throws.
 */
export async function writeFindingPage(file: string): Promise<string> {
  const existing = defaultPage(file);
  if (existsSync(existing)) return existing; // the page of the same file: pages are a function of the file
  try {
    return await writePageFor(file, undefined, { force: false });
  } catch (error) {
    return `not written (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Ensures: exit 0 with the page written, or a UsageError. */
export async function reportCommand(file: string, flags: ReportFlags, _session: Session): Promise<number> {
  const page = await writePageFor(file, flags.out, { force: flags.force === true, ...(flags.system === undefined ? {} : { system: flags.system }) });
  process.stdout.write(flags.json === true ? `${JSON.stringify({ file, page })}\n` : `wrote ${page}\n`);
  return 0;
}
