//! What `uvmcheck mutants` prints: a table with one line per variant, the median and worst
//! time-to-kill, commands and shrunk lengths over the killed ones, and the catch matrix;
//! as text, as one JSON object, or as Markdown (the generated part of docs/mutants.md).

import type { CatchRow } from "../properties/hunting/catch-matrix.ts";
import { deadChecks } from "../properties/hunting/catch-matrix.ts";
import type { HuntResult } from "../properties/hunting/mutant-hunt.ts";
import type { VariantInfo } from "../vocabulary/system-under-test.ts";
import { dirname } from "node:path";
import { count } from "./output.ts";
import type { Saved } from "./run-text.ts";

export interface MutantsReport {
  readonly system: string;
  readonly runs: number;
  readonly firstSeed: number;
  readonly budgetSeconds: number;
  readonly variants: readonly VariantInfo[];
  /** One per variant, in the same order. */
  readonly results: readonly HuntResult[];
  readonly matrix: readonly CatchRow[];
}

type Measure = "seconds" | "commands" | "shrunkLength" | "ownShrunkLength";
const measures: readonly Measure[] = ["seconds", "commands", "shrunkLength", "ownShrunkLength"];

interface Worst {
  readonly value: number;
  /** The variant it was measured on. */
  readonly name: string;
}

interface Summary {
  readonly median: Readonly<Record<Measure, number | null>>;
  readonly worst: Readonly<Record<Measure, Worst | null>>;
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `measure` of every killed variant that has one. */
function measured(results: readonly HuntResult[], measure: Measure): Worst[] {
  return results.flatMap((result) => {
    const value = result[measure];
    return result.killed && value !== null ? [{ value, name: result.variant }] : [];
  });
}

function largest(items: readonly Worst[]): Worst | null {
  return items.reduce<Worst | null>((worst, item) => (worst === null || item.value > worst.value ? item : worst), null);
}

/** Median and worst of each measure over the killed variants. */
export function summarize(results: readonly HuntResult[]): Summary {
  const middle = {} as Record<Measure, number | null>;
  const worst = {} as Record<Measure, Worst | null>;
  for (const measure of measures) {
    const items = measured(results, measure);
    middle[measure] = median(items.map((item) => item.value));
    worst[measure] = largest(items);
  }
  return { median: middle, worst };
}

const round = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1000) / 1000);

/** Seconds rounded to milliseconds; everything else as measured. */
function roundedSummary(summary: Summary): Summary {
  const worstSeconds = summary.worst.seconds;
  return {
    median: { ...summary.median, seconds: round(summary.median.seconds) },
    worst: { ...summary.worst, seconds: worstSeconds === null ? null : { ...worstSeconds, value: round(worstSeconds.value)! } },
  };
}

/** Where the counterexample that killed a variant was saved (per result, null: survived). */
export type KillFiles = readonly (Saved | null)[];

function fileOf(saved: Saved | null | undefined): string | null {
  return saved === null || saved === undefined || saved.kind === "unwritten" ? null : saved.path;
}

/** `--json`: exactly one object. */
export function jsonReport(report: MutantsReport, files: KillFiles = []) {
  const summary = roundedSummary(summarize(report.results));
  const kinds = new Map(report.variants.map((variant) => [variant.name, variant.kind]));
  return {
    system: report.system,
    runs: report.runs,
    firstSeed: report.firstSeed,
    budgetSeconds: report.budgetSeconds,
    mutants: report.results.map((result, index) => ({
      name: result.variant,
      file: fileOf(files[index]),
      kind: kinds.get(result.variant),
      killed: result.killed,
      seconds: round(result.seconds),
      commands: result.commands,
      shrunkLength: result.shrunkLength,
      ownShrunkLength: result.ownShrunkLength,
      caughtBy: result.caughtBy,
      seed: result.seed,
      run: result.run,
      seedsTried: result.seedsTried,
      unattributed: result.unattributed,
    })),
    killed: report.results.filter((result) => result.killed).length,
    total: report.results.length,
    median: summary.median,
    worst: summary.worst,
    matrix: report.matrix,
    deadChecks: deadChecks(report.matrix),
  };
}

function seconds(value: number | null): string {
  return value === null ? "-" : value.toFixed(2);
}

function shrunk(result: HuntResult): string {
  if (result.shrunkLength === null) return "-";
  return result.ownShrunkLength === null ? String(result.shrunkLength) : `${result.shrunkLength} → ${result.ownShrunkLength}`;
}

/** `measure`'s worst value and its variant, or "-". */
function worstText(worst: Worst | null, format: (value: number) => string): string {
  return worst === null ? "-" : `${format(worst.value)} (${worst.name})`;
}

const plain = (value: number | null) => (value === null ? "-" : String(value));

/** A warning when the faithful system failed some counterexample too (those were not counted as kills). */
function unattributedLines(results: readonly HuntResult[]): string[] {
  const affected = results.filter((result) => result.unattributed > 0);
  if (affected.length === 0) return [];
  const total = affected.reduce((sum, result) => sum + result.unattributed, 0);
  return [`warning: ${total} violations failed the faithful system too and were not counted as kills (${affected.map((result) => result.variant).join(", ")})`];
}

/** The summary lines under the table. */
function summaryLines(report: MutantsReport): string[] {
  const { median: middle, worst } = summarize(report.results);
  const killed = report.results.filter((result) => result.killed).length;
  const survivors = report.results.filter((result) => !result.killed).map((result) => result.variant);
  return [
    `${killed}/${report.results.length} killed${survivors.length === 0 ? "" : `; survived: ${survivors.join(", ")}`}`,
    ...unattributedLines(report.results),
    `time to kill:        median ${seconds(middle.seconds)} s, worst ${worstText(worst.seconds, (value) => `${seconds(value)} s`)}`,
    `commands to kill:    median ${plain(middle.commands)}, worst ${worstText(worst.commands, String)}`,
    `shrunk (fast-check): median ${plain(middle.shrunkLength)}, worst ${worstText(worst.shrunkLength, String)}`,
    `shrunk (ours):       median ${plain(middle.ownShrunkLength)}, worst ${worstText(worst.ownShrunkLength, String)}`,
  ];
}

/** The catch matrix as text: one line per check, `!` marking a check nothing tripped. */
function matrixLines(matrix: readonly CatchRow[]): string[] {
  const lines = ["catch matrix (check: the variants it caught first):"];
  for (const row of matrix) lines.push(`${row.variants.length === 0 ? "!" : " "} ${row.check}: ${row.variants.join(", ") || "(none)"}`);
  return lines;
}

/** The plain-text report: a fixed-column table, the summary, and with `matrix` the catch matrix. */
export function formatTextReport(report: MutantsReport, matrix: boolean, files: KillFiles = []): string {
  const width = Math.max(7, ...report.results.map((result) => result.variant.length));
  const header = `${"variant".padEnd(width)}  killed  seed  seconds  commands  shrunk    caught by`;
  const rows = report.results.map(
    (result) =>
      `${result.variant.padEnd(width)}  ${(result.killed ? "yes" : "NO").padEnd(6)}  ${String(result.seed ?? "-").padStart(4)}  ${seconds(result.seconds).padStart(7)}  ${String(result.commands).padStart(8)}  ${shrunk(result).padEnd(8)}  ${result.caughtBy ?? `survived ${result.seedsTried} seeds`}`,
  );
  const lines = [
    `uvmcheck mutants: system ${report.system}, ${report.results.length} variants, seeds from ${report.firstSeed} × ${report.runs} runs, budget ${report.budgetSeconds} s each`,
    header,
    ...rows,
    ...summaryLines(report),
  ];
  const written = files.flatMap((saved) => (fileOf(saved) === null ? [] : [fileOf(saved)!]));
  if (written.length > 0) lines.push(`killing counterexamples: ${count(written.length, "file")} in ${dirname(written[0]!)} (\`uvmcheck replay FILE\`)`);
  if (matrix) lines.push("", ...matrixLines(report.matrix));
  return `${lines.join("\n")}\n`;
}

const cell = (text: string) => text.replaceAll("|", "\\|");

/** The generated part of docs/mutants.md: catalog, kills, summary, catch matrix. */
export function formatMarkdownReport(report: MutantsReport, command: string): string {
  const results = new Map(report.results.map((result) => [result.variant, result]));
  const lines = [
    `<!-- generated by \`${command}\`: do not edit below this line -->`,
    "",
    "## Catalog",
    "",
    "| variant | kind | description | corrupts |",
    "| --- | --- | --- | --- |",
    ...report.variants.map((variant) => `| \`${variant.name}\` | ${variant.kind} | ${cell(variant.description)} | ${cell(variant.corrupts)} |`),
    "",
    `## Kills (system ${report.system}; seeds from ${report.firstSeed}, ${report.runs} runs each; budget ${report.budgetSeconds} s per variant)`,
    "",
    "| variant | killed | seed | seconds | commands | shrunk (fast-check → ours) | caught by |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...report.variants.map((variant) => {
      const result = results.get(variant.name)!;
      return `| \`${variant.name}\` | ${result.killed ? "yes" : "**no**"} | ${result.seed ?? "-"} | ${seconds(result.seconds)} | ${result.commands} | ${shrunk(result)} | ${result.caughtBy ?? "—"} |`;
    }),
    "",
    "```",
    ...summaryLines(report),
    "```",
    "",
    "## Catch matrix",
    "",
    "| check | variants caught by it first | count |",
    "| --- | --- | --- |",
    ...report.matrix.map(
      (row) => `| ${row.check} | ${row.variants.map((name) => `\`${name}\``).join(", ") || "**none (dead check)**"} | ${row.variants.length} |`,
    ),
    "",
  ];
  return lines.join("\n");
}
