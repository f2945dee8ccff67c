//! `uvmcheck mutants`' CI reports: one JUnit test case per variant (killed: passed, the
//! checker caught it; survived: failed; not hunted because Ctrl-C came first: skipped),
//! and the JSON report's fields: verdict, kills, survivors, the killing counterexamples.

import type { TestCase } from "./reports/ci-reports.ts";
import type { VariantInfo } from "../vocabulary/system-under-test.ts";
import type { KillFiles, MutantsReport } from "./mutants-report.ts";

function caseOf(report: MutantsReport, variant: VariantInfo, files: KillFiles): TestCase {
  const index = report.results.findIndex((result) => result.variant === variant.name);
  const result = report.results[index];
  const name = `${variant.kind} ${variant.name}`;
  if (result === undefined) return { name, seconds: 0, outcome: "skipped", message: "not hunted: interrupted" };
  const seconds = result.seconds ?? 0;
  if (!result.killed) {
    return { name, seconds, outcome: "failure", type: "survived", message: `survived ${result.seedsTried} seeds of ${report.runs} runs`, details: variant.description };
  }
  const saved = files[index];
  const file = saved === null || saved === undefined || saved.kind === "unwritten" ? "" : ` (${saved.path})`;
  return { name, seconds, outcome: "passed", message: `killed by ${result.caughtBy} with seed ${result.seed}${file}` };
}

/** Ensures: one JUnit case per chosen variant, in order. */
export function mutantsCiFields(report: MutantsReport, chosen: readonly VariantInfo[], files: KillFiles, interrupted: boolean, seconds: number) {
  const survivors = report.results.filter((result) => !result.killed).map((result) => result.variant);
  const killed = report.results.length - survivors.length;
  const counterexamples = files.flatMap((saved) => (saved === null || saved.kind === "unwritten" ? [] : [saved.path]));
  return {
    verdict: interrupted ? ("interrupted" as const) : survivors.length === 0 ? ("passed" as const) : ("violation" as const),
    message: interrupted ? `interrupted after ${report.results.length} of ${chosen.length} variants` : `${killed}/${report.results.length} killed`,
    cases: chosen.map((variant) => caseOf(report, variant, files)),
    killed,
    total: chosen.length,
    survivors,
    counterexamples,
    timings: { elapsedSeconds: Number(seconds.toFixed(3)) },
  };
}
