//! uvmcheck's command line. Each subcommand lives in its own file and is declared to
//! commander in program.ts; this one runs it and maps every end to an exit code:
//!
//!   0    success (no violation; a shrunk file written; a page written)
//!   1    a violation (or a surviving mutant, a divergence, a stored counterexample failing again)
//!   2    bad usage, a bad file, or any other error: one line on stderr (error-report.ts)
//!   130  interrupted by Ctrl-C (143: by SIGTERM), after the partial summary and the reports
//!
//! When the reader of stdout goes away (`uvmcheck variants | head -1`), uvmcheck stops
//! quietly instead of failing on the broken pipe.

import { CommanderError } from "commander";
import { reportError } from "./error-report.ts";
import { buildProgram } from "./program.ts";
import { sessionFrom } from "./session.ts";

let pipeGuarded = false;

/** Ends the process quietly when stdout's reader has gone (EPIPE); any other stdout error is one line and exit 2. */
function guardStdout(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
    process.stderr.write(`uvmcheck: cannot write to stdout: ${error.code ?? error.message}\n`);
    process.exit(2);
  });
}

/** Requires: `argv` without node and the script. Ensures: the exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  guardStdout();
  const { session, argv: rest } = sessionFrom(argv);
  let exitCode = 0;
  const program = buildProgram(session, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(rest, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return 0;
    return reportError(error, session);
  }
}
