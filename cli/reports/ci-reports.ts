//! Reports for continuous integration, written at the end of a command whatever its end:
//! success, a violation, an error, or an interruption (Ctrl-C, SIGTERM).
//!
//!   --junit FILE    JUnit XML: one test case per campaign (`run`, `diff`), one per variant
//!                   (`mutants`), failed with the violation's check and message, or in error
//!   --report FILE   one JSON object: verdict, seed, runs, coverage, counterexample paths,
//!                   timings, and what the command adds (the command)
//!
//! A command records what it knows as soon as it knows it (`note`), so that an error later
//! still reports the seed and the runs done; `finish` writes both files once. Each file is
//! written whole to a temporary file beside it and renamed into place: a reader never sees
//! half a report. A report file is output the user named: it replaces the one before it.

import { mkdirSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { junitXml } from "./junit.ts";

export type Verdict = "passed" | "violation" | "error" | "interrupted";

/** One JUnit test case. */
export interface TestCase {
  readonly name: string;
  readonly seconds: number;
  readonly outcome: "passed" | "failure" | "error" | "skipped";
  /** The one-line reason (failure, error, skipped). */
  readonly message?: string;
  /** More text for the failure: the reproduce line, the shrunk commands. */
  readonly details?: string;
  /** The failure's type: the check that failed, or `interrupted`. */
  readonly type?: string;
}

/**
 * What a command knows about its own end; every field is optional. Besides the report's own
 * fields: `cases` (the JUnit test cases; default one from the verdict), `caseName`,
 * `details` and `failureType` (that default case's name, text and type), which the JSON
 * report leaves out.
 */
export interface ReportFields {
  readonly verdict?: Verdict;
  readonly message?: string;
  readonly [key: string]: unknown;
}

export class CiReports {
  private fields: Record<string, unknown> = {};
  private written = false;

  constructor(
    readonly junitPath: string | undefined,
    readonly reportPath: string | undefined,
    /** The subcommand, `run` or `mutants`: names the suite. */
    readonly command: string,
  ) {}

  get wanted(): boolean {
    return this.junitPath !== undefined || this.reportPath !== undefined;
  }

  /** Adds what the command knows now; later notes override earlier ones, key by key. */
  note(fields: ReportFields): void {
    this.fields = { ...this.fields, ...fields };
  }

  /**
   * Writes both reports once (later calls do nothing). Requires: `seconds` ≥ 0.
   * Ensures: the paths written; a file that could not be written is named in `problems`.
   */
  finish(final: ReportFields, seconds: number): { written: string[]; problems: string[] } {
    if (this.written || !this.wanted) return { written: [], problems: [] };
    this.written = true;
    this.note(final);
    const verdict = (this.fields.verdict as Verdict | undefined) ?? "error";
    const { caseName: _name, details: _details, failureType: _type, cases: given, ...shown } = this.fields;
    const report = { command: this.command, ...shown, verdict, elapsedSeconds: Number(seconds.toFixed(3)) };
    const cases = Array.isArray(given) ? (given as TestCase[]) : [defaultCase(this.command, verdict, this.fields, seconds)];
    const outputs: [string | undefined, () => string][] = [
      [this.reportPath, () => `${JSON.stringify(report, null, 2)}\n`],
      [this.junitPath, () => junitXml(`uvmcheck ${this.command}`, cases, seconds)],
    ];
    const written: string[] = [];
    const problems: string[] = [];
    for (const [path, text] of outputs) {
      if (path === undefined) continue;
      try {
        replaceFile(path, text());
        written.push(path);
      } catch (error) {
        problems.push(`could not write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
    }
    return { written, problems };
  }
}

function defaultCase(command: string, verdict: Verdict, fields: Readonly<Record<string, unknown>>, seconds: number): TestCase {
  const name = typeof fields.caseName === "string" ? fields.caseName : `uvmcheck ${command}`;
  const message = typeof fields.message === "string" ? fields.message : undefined;
  const details = typeof fields.details === "string" ? fields.details : undefined;
  const type = typeof fields.failureType === "string" ? fields.failureType : verdict;
  const outcome = verdict === "passed" ? "passed" : verdict === "violation" ? "failure" : "error";
  return { name, seconds, outcome, type, ...(message === undefined ? {} : { message }), ...(details === undefined ? {} : { details }) };
}

/**
 * Writes `text` to `path` through a temporary file beside it, replacing what was there.
 * Ensures: `path` holds `text` whole, or is as it was.
 */
export function replaceFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temporary, text, { flag: "wx" });
  try {
    renameSync(temporary, path);
  } catch (error) {
    unlinkSync(temporary);
    throw error;
  }
}
