//! What `uvmcheck run --shard I/N` prints on stdout instead of its report, one JSON object a
//! line, so that `uvmcheck merge` (merge-command.ts) can put N shards run on N machines back
//! together into the report one `run` would have printed:
//!
//!   {"kind":"shard","format":1,"shard":{"index":I,"count":N},"flags":{...}}
//!   {"kind":"run","index":i,"verdict":"passed","check":null,"commands":..,"outcomes":{..},"coverage":{..},"counterexample":null}
//!   ...                                     one line per run of the slice, in index order
//!   {"kind":"run","index":j,"verdict":"violation","check":"observation",...,"counterexample":"FILE","found":{...}}
//!   {"kind":"end","runs":R,"interrupted":false}
//!
//! `flags` are the flags that decide the campaign (the seed always, as a number), so merge
//! rebuilds the same settings. A shard runs the indices I, I+N, I+2N, ... of the campaign
//! (each reproducible alone from the seed and its index) and stops at its first violation:
//! every run below it is in the file, which is what merge needs to find the campaign's
//! first failing run.

import { readFileSync } from "node:fs";
import type { RunEvent } from "../properties/hunting/campaign-events.ts";
import type { FoundViolation } from "../properties/hunting/campaign.ts";
import type { Shard } from "../properties/hunting/interruptible-campaign.ts";
import type { RunFlags } from "./run-settings.ts";
import type { Saved } from "./run-text.ts";
import { parseInteger, UsageError } from "./usage-error.ts";

export interface ShardHeader {
  readonly kind: "shard";
  readonly format: 1;
  readonly shard: Shard;
  readonly flags: RunFlags;
}

export interface ShardRun {
  readonly kind: "run";
  readonly index: number;
  readonly verdict: "passed" | "violation" | "abandoned";
  readonly check: string | null;
  readonly commands: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly coverage: Readonly<Record<string, number>>;
  /** The counterexample file the shard wrote (or the stored one with the same finding), or null. */
  readonly counterexample: string | null;
  /** The shrunk violation, on the failing run's line only. */
  readonly found?: FoundViolation;
}

export interface ShardEnd {
  readonly kind: "end";
  readonly runs: number;
  readonly interrupted: boolean;
}

export interface ShardFile {
  readonly path: string;
  readonly header: ShardHeader;
  readonly runs: readonly ShardRun[];
  readonly end: ShardEnd | null;
}

/** `--shard I/N`. Ensures: 0 ≤ I < N, or a UsageError. */
export function shardFrom(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null) throw new UsageError(`--shard must be I/N, shard I (from 0) of N (got "${text}")`);
  const count = parseInteger("--shard's N", match[2]!, 1, 100_000);
  const index = parseInteger("--shard's I", match[1]!, 0, count - 1);
  return { index, count };
}

/** Flags that change where output goes or how fast, never what the campaign finds. */
const outputFlags = new Set(["json", "junit", "report", "jobs", "out", "db", "html", "statistics", "shard"]);

/** The flags that decide the campaign, as the header stores them: the seed as a number, no output or thread flags. */
export function campaignFlags(flags: RunFlags, seed: number): RunFlags {
  const decided = Object.fromEntries(Object.entries(flags).filter(([name]) => !outputFlags.has(name)));
  return { ...decided, seed: String(seed) };
}

/** The lines of a shard's file. Requires: `events` in index order; `found`, if any, is the last event's. */
export function shardLines(header: ShardHeader, events: readonly RunEvent[], found: FoundViolation | null, saved: Saved | null, interrupted: boolean): string[] {
  const lines: object[] = [header];
  events.forEach((event, position) => {
    const failing = found !== null && position === events.length - 1;
    const verdict = event.failed === "capacity" ? "abandoned" : failing ? "violation" : "passed";
    const counterexample = failing && saved !== null && saved.kind !== "unwritten" ? saved.path : null;
    const { commands, outcomes, coverage } = event;
    lines.push({ kind: "run", index: event.index, verdict, check: failing ? found.violation.check : null, commands, outcomes, coverage, counterexample, ...(failing ? { found } : {}) });
  });
  lines.push({ kind: "end", runs: events.length, interrupted } satisfies ShardEnd);
  return lines.map((line) => JSON.stringify(line));
}

/** Reads a shard's file. Ensures: a header first, run lines, the end line if the shard finished; or a UsageError naming the file and line. */
export function readShardFile(path: string): ShardFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const parsed = lines.map((line, number) => {
    try {
      return JSON.parse(line) as { kind?: unknown };
    } catch {
      throw new UsageError(`${path}:${number + 1}: not a JSON line of \`uvmcheck run --shard\``);
    }
  });
  const header = parsed[0] as ShardHeader | undefined;
  if (header?.kind !== "shard" || header.format !== 1) throw new UsageError(`${path}: not the output of \`uvmcheck run --shard I/N\` (no shard header on line 1)`);
  const runs = parsed.filter((line): line is ShardRun => line.kind === "run");
  const end = (parsed.find((line) => line.kind === "end") as ShardEnd | undefined) ?? null;
  return { path, header, runs, end };
}
