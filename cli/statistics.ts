//! `run --statistics`, in the spirit of Hypothesis's `--hypothesis-show-statistics`: what
//! the campaign's runs were like, from its tally (campaign-tally.ts):
//!
//!   run length     shortest, median, 90th percentile and longest run, in commands, and a
//!                  histogram in ten buckets up to --max-commands
//!   outcomes       the share of each outcome the system returned: ok, value, each errno
//!   time per run   median, 90th percentile and slowest, wall clock (varies run to run)
//!
//! As text for people and as data for `--json` and `--report`.

import type { CampaignTally } from "./campaign-tally.ts";
import { count } from "./output.ts";

export interface Statistics {
  readonly runLength: Distribution | null;
  /** Each outcome's count, most frequent first. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Milliseconds. */
  readonly millisecondsPerRun: Distribution | null;
  /** Runs per bucket of run length: bucket i holds lengths in [i·width, (i+1)·width). */
  readonly histogram: { readonly width: number; readonly runs: readonly number[] };
}

export interface Distribution {
  readonly min: number;
  readonly median: number;
  readonly p90: number;
  readonly max: number;
}

/** The value below which `fraction` of `sorted` lies (nearest rank). Requires: sorted ascending, not empty. */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

function distribution(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), max: sorted.at(-1)! };
}

/** Requires: maxCommands ≥ 1. Ensures: statistics of every run the tally holds. */
export function statisticsOf(tally: CampaignTally, maxCommands: number): Statistics {
  const width = Math.max(1, Math.ceil(maxCommands / 10));
  const runs = Array.from({ length: Math.ceil((Math.max(maxCommands, ...tally.lengths) + 1) / width) }, () => 0);
  for (const length of tally.lengths) runs[Math.floor(length / width)]!++;
  const outcomes = Object.fromEntries([...tally.outcomes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  const milliseconds = tally.seconds.map((seconds) => Number((seconds * 1000).toFixed(1)));
  return { runLength: distribution(tally.lengths), outcomes, millisecondsPerRun: distribution(milliseconds), histogram: { width, runs } };
}

function histogramLines(statistics: Statistics): string[] {
  const { width, runs } = statistics.histogram;
  const most = Math.max(1, ...runs);
  return runs.map((runCount, index) => {
    const range = `${index * width}-${(index + 1) * width - 1}`.padStart(9);
    return `  ${range}  ${"#".repeat(Math.ceil((runCount / most) * 50)).padEnd(50)} ${runCount}`.trimEnd();
  });
}

/** Ensures: lines of at most 100 columns. */
export function formatStatistics(statistics: Statistics): string[] {
  const lines = ["statistics"];
  const length = statistics.runLength;
  if (length === null) return [...lines, "  no run finished"];
  lines.push(`  run length: shortest ${length.min}, median ${length.median}, 90% at most ${length.p90}, longest ${count(length.max, "command")}`);
  lines.push(...histogramLines(statistics));
  const total = Object.values(statistics.outcomes).reduce((sum, value) => sum + value, 0);
  const shares = Object.entries(statistics.outcomes).map(([label, value]) => `${label} ${((100 * value) / Math.max(1, total)).toFixed(1)}%`);
  lines.push(`  outcomes (${count(total, "command")}): ${shares.slice(0, 6).join(", ")}`);
  if (shares.length > 6) lines.push(`    ${shares.slice(6).join(", ")}`);
  const time = statistics.millisecondsPerRun!;
  lines.push(`  time per run: median ${time.median} ms, 90% at most ${time.p90} ms, slowest ${time.max} ms (wall clock)`);
  return lines;
}
