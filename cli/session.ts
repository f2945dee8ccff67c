//! One invocation of uvmcheck: the flags that matter before any subcommand has parsed its
//! own (`--verbose`, `--json`, `--junit FILE`, `--report FILE`), the wall clock it started
//! at, and where its output goes. A subcommand gets the session; so does the error handler
//! in main.ts, which needs it to answer an error in the form the user asked for (a JSON
//! object with `--json`, the stack with `--verbose`) and to write the CI reports even when
//! the subcommand never ran.
//!
//! The wall clock lives here and in the other cli/ files only: elapsed time and rates are
//! figures for people, never part of what a campaign computes or a counterexample stores.

import { CiReports } from "./reports/ci-reports.ts";

export interface Session {
  /** Print stack traces with errors. */
  readonly verbose: boolean;
  /** The user asked for one JSON object on stdout (errors included). */
  readonly json: boolean;
  /** `--junit` and `--report`, written once, whatever happens. */
  readonly reports: CiReports;
  /** Milliseconds since the session started (performance.now based). */
  elapsedMilliseconds(): number;
}

/** The value of `--name VALUE` or `--name=VALUE` in `argv` (the last one given), or undefined. */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  argv.forEach((word, index) => {
    if (word === name && index + 1 < argv.length) found = argv[index + 1];
    else if (word.startsWith(`${name}=`)) found = word.slice(name.length + 1);
  });
  return found;
}

/**
 * The session `argv` describes, and `argv` without `--verbose` (which any subcommand
 * accepts anywhere). Ensures: reading argv only; nothing is written yet.
 */
export function sessionFrom(argv: readonly string[]): { session: Session; argv: string[] } {
  const started = performance.now();
  const rest = argv.filter((word) => word !== "--verbose");
  const beforeSeparator = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  const session: Session = {
    verbose: rest.length !== argv.length,
    json: beforeSeparator.includes("--json"),
    reports: new CiReports(flagValue(beforeSeparator, "--junit"), flagValue(beforeSeparator, "--report"), beforeSeparator[0] ?? "uvmcheck"),
    elapsedMilliseconds: () => performance.now() - started,
  };
  return { session, argv: rest };
}
