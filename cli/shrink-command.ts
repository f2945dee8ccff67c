//! `uvmcheck shrink FILE [--out FILE] [--force] [--json] [--system SPEC]`: shrinks a
//! counterexample file further (properties/counterexample-files/shrink/shrink.ts) and writes
//! the result as a new file:
//!
//!   no --out            next to FILE as `<name>.shrunk.json` (`-2`, `-3`... if taken)
//!   --out FOLDER        (an existing folder, or a path ending in `/`) the same name in it
//!   --out PATH          exactly PATH; an existing file only with --force
//!
//! The destination is checked before shrinking, so a shrink is never lost to a folder it
//! cannot write; if the write still fails (a full disk), the shrunk file goes to the
//! system's temporary folder and the error says where. Prints the path written, then the
//! sizes before and after.
//!
//! Exit 0 when the new file is written; 2 when FILE is bad, no longer fails with its stored
//! check (nothing to shrink), or the destination is unusable: one line on stderr. Ctrl-C
//! (or SIGTERM) stops the shrink before its next attempt, writes the smallest counterexample
//! found so far (the work done is kept) and exits 130 (143).

import { existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname } from "node:path";
import { setAutoFreeze } from "immer";
import type { WorldConfig } from "../vocabulary/world.ts";
import { type CounterexampleFile, failureOf } from "../properties/counterexample-files/counterexample-file.ts";
import { writeCounterexample, writeCounterexampleAt } from "../properties/counterexample-files/counterexample-store.ts";
import { replayCommands, sameFailure } from "../properties/counterexample-files/replay.ts";
import { defaultAttemptBudget, type ShrinkResult, shrinkCounterexampleInterruptibly } from "../properties/counterexample-files/shrink/shrink.ts";
import { storedSystemReference } from "./system-reference.ts";
import { CampaignError } from "../properties/hunting/campaign.ts";
import { asUsageError, loadCounterexample } from "./counterexample-input.ts";
import { checkWritableFile, checkWritableFolder } from "./destination.ts";
import { Interrupt } from "./interrupt.ts";
import { count } from "./output.ts";
import { Progress } from "./progress.ts";
import type { Session } from "./session.ts";
import { UsageError } from "./usage-error.ts";

export interface ShrinkFlags {
  readonly out?: string;
  readonly force?: boolean;
  readonly json?: boolean;
  readonly system?: string;
}

function shrunkFile(file: CounterexampleFile, result: ShrinkResult, system: string): CounterexampleFile {
  const { setup, violation } = result;
  return {
    ...file,
    system,
    variant: setup.variant,
    configuration: { ...file.configuration, world: setup.world, failures: setup.failures, hardwareSeed: setup.hardwareSeed },
    commands: result.commands,
    failure: failureOf(violation),
    shrunkFrom: file.shrunkFrom ?? { commands: file.commands.length, world: file.configuration.world },
  };
}

/** Where the new file goes: a folder and a stem (numbered if taken), or one exact path. */
type Destination = { readonly kind: "folder"; readonly directory: string; readonly stem: string } | { readonly kind: "exact"; readonly path: string };

/** Ensures: a destination that can be written (checked now, before any shrinking), or a UsageError. */
function destination(input: string, flags: ShrinkFlags): Destination {
  const stem = `${basename(input)
    .replace(/\.json$/, "")
    .replace(/\.shrunk$/, "")}.shrunk`;
  const out = flags.out;
  if (out === undefined || out.endsWith("/") || (existsSync(out) && statSync(out).isDirectory())) {
    const directory = out ?? dirname(input);
    checkWritableFolder(out === undefined ? "the folder of FILE," : "--out", directory);
    return { kind: "folder", directory, stem };
  }
  checkWritableFile("--out", out, { replace: flags.force === true, hint: "give --force to replace it" });
  return { kind: "exact", path: out };
}

/** Writes `build(directory)` at `target`; if that fails, into the temporary folder. Ensures: the path written. */
function write(target: Destination, build: (directory: string) => CounterexampleFile, force: boolean): string {
  const directory = target.kind === "folder" ? target.directory : dirname(target.path);
  try {
    return target.kind === "folder"
      ? writeCounterexample(target.directory, target.stem, build(directory))
      : writeCounterexampleAt(target.path, build(directory), { force });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    const stem = target.kind === "folder" ? target.stem : basename(target.path).replace(/\.json$/, "");
    const saved = writeCounterexample(tmpdir(), stem, build(tmpdir()));
    const where = target.kind === "folder" ? target.directory : target.path;
    throw new UsageError(`could not write ${where} (${code}); the shrunk counterexample was saved to ${saved}`);
  }
}

function worldChanges(before: WorldConfig, after: WorldConfig): string {
  const names: [keyof WorldConfig, string][] = [
    ["frames", "frames"],
    ["swapSlots", "swap slots"],
    ["maxProcesses", "processes"],
    ["files", "files"],
    ["filePages", "file pages"],
    ["vaPages", "address-space pages"],
    ["pageWords", "page words"],
  ];
  const changed = names.filter(([key]) => before[key] !== after[key]).map(([key, name]) => `${name} ${before[key]} → ${after[key]}`);
  return changed.length === 0 ? "world unchanged" : changed.join(", ");
}

export async function shrinkCommand(path: string, flags: ShrinkFlags, _session: Session): Promise<number> {
  const { file, setup, systemReference } = await loadCounterexample(path, flags.system);
  const target = destination(path, flags);
  setAutoFreeze(false);
  const replayed = asUsageError(() => replayCommands(setup, file.commands)).violation;
  if (replayed === null) throw new UsageError(`${path}: no longer fails, nothing to shrink (\`uvmcheck replay\` shows it passing)`);
  if (!sameFailure(replayed, file.failure)) {
    throw new UsageError(`${path}: now fails with ${replayed.check}, not the stored ${file.failure.check}; replay it before shrinking`);
  }
  const interrupt = new Interrupt("the shrink").install();
  const progress = new Progress({ label: "shrinking", noun: "attempt", total: defaultAttemptBudget, enabled: flags.json !== true, hideCursor: true });
  let result: ShrinkResult | null;
  try {
    const watch = { stopRequested: interrupt.requested, onAttempt: (attempts: number) => progress.update(attempts) };
    result = await shrinkCounterexampleInterruptibly(setup, file.commands, watch);
  } finally {
    progress.stop();
    interrupt.uninstall();
  }
  if (result === null) throw new CampaignError(`${path}: stopped failing while it was shrunk: the system answers differently to the same commands (not deterministic)`);
  const written = write(target, (directory) => shrunkFile(file, result, storedSystemReference(systemReference, directory)), flags.force === true);
  if (flags.json === true) {
    const report = {
      file: written,
      before: result.before,
      after: result.after,
      failure: result.violation.check,
      attempts: result.attempts,
      complete: result.complete,
      interrupted: interrupt.requested(),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return interrupt.requested() ? interrupt.exitCode : 0;
  }
  process.stdout.write(`wrote ${written}\n`);
  process.stdout.write(`  commands: ${result.before.commands} → ${result.after.commands}; ${worldChanges(result.before.world, result.after.world)}\n`);
  process.stdout.write(`  same failure: ${result.violation.check} at step ${result.violation.step}: ${result.violation.message}\n`);
  process.stdout.write(`  ${count(result.attempts, "attempt")}${result.complete ? ", 1-minimal" : interrupt.requested() ? "" : ", attempt budget exhausted before a fixpoint"}\n`);
  if (!interrupt.requested()) return 0;
  process.stdout.write(`INTERRUPTED: the file holds the smallest counterexample found so far; \`uvmcheck shrink ${written}\` goes on\n`);
  return interrupt.exitCode;
}
