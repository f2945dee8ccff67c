//! How uvmcheck ends on an error: one clear line on stderr (`uvmcheck: ...`), exit code 2,
//! and nothing else, whatever went wrong:
//!
//!   bad usage, a bad file         UsageError, CounterexampleFileError, SystemLoadError
//!   a campaign that cannot run    CampaignError (every run abandoned)
//!   a disk that refuses a write   the path and the system's error code (EACCES, ENOSPC)
//!   anything else                 `internal error: <message>`
//!
//! The stack trace follows only with `--verbose`. With `--json` the same error is also one
//! JSON object on stdout, `{"error": {"message", "kind", "exitCode"}}`, so a script reading
//! stdout never sees it empty. The CI reports (`--junit`, `--report`) are written with the
//! verdict `error`.

import { CommanderError } from "commander";
import { CounterexampleFileError } from "../properties/counterexample-files/counterexample-file.ts";
import { CampaignError } from "../properties/hunting/campaign.ts";
import { SystemLoadError } from "../systems/load-system.ts";
import type { Session } from "./session.ts";
import { UsageError } from "./usage-error.ts";

export const exitCodes = { passed: 0, violation: 1, error: 2, interrupted: 130, terminated: 143 } as const;

type ErrorKind = "usage" | "file" | "system" | "campaign" | "disk" | "internal";

function kindOf(error: unknown): ErrorKind {
  if (error instanceof UsageError || error instanceof CommanderError) return "usage";
  if (error instanceof CounterexampleFileError) return "file";
  if (error instanceof SystemLoadError) return "system";
  if (error instanceof CampaignError) return "campaign";
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return "disk";
  return "internal";
}

/**
 * The one line that says what went wrong (without the `uvmcheck: ` prefix).
 * Ensures: one line.
 */
export function errorLine(error: unknown): string {
  const kind = kindOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split("\n")[0]!.replace(/^error: /, "");
  return kind === "internal" ? `internal error: ${first}` : first;
}

/**
 * Reports `error` as the session asks and returns the exit code (2). A CommanderError has
 * printed its own line already. Ensures: nothing but these lines is printed.
 */
export function reportError(error: unknown, session: Session): number {
  const line = errorLine(error);
  const kind = kindOf(error);
  if (!(error instanceof CommanderError)) {
    const hint = kind === "internal" && !session.verbose ? " (run again with --verbose for the stack trace)" : "";
    process.stderr.write(`uvmcheck: ${line}${hint}\n`);
  }
  if (session.verbose && error instanceof Error && error.stack !== undefined && !(error instanceof CommanderError)) {
    process.stderr.write(`${error.stack}\n`);
  }
  if (session.json) process.stdout.write(`${JSON.stringify({ error: { message: line, kind, exitCode: exitCodes.error } })}\n`);
  finishReports(session, { verdict: "error", message: line });
  return exitCodes.error;
}

/**
 * Writes the CI reports now; a report that cannot be written is one more line on stderr.
 * Ensures: written at most once per session; problems reported, never thrown.
 */
export function finishReports(session: Session, final: Parameters<Session["reports"]["finish"]>[0]): void {
  const { problems } = session.reports.finish(final, session.elapsedMilliseconds() / 1000);
  for (const problem of problems) process.stderr.write(`uvmcheck: ${problem}\n`);
}
