//! What `uvmcheck run` prints, in this order, so that what matters most is last on the
//! screen when the campaign ends:
//!
//!   header          system, variant, seed, runs (printed when the campaign starts)
//!   database        the stored counterexamples replayed first (database-text.ts)
//!   coverage        every counter in columns, with the legend of `!`
//!   statistics      with --statistics (statistics.ts)
//!   violation       the failure, the file, the seed and path, the shrunk commands in the
//!                   key=value form traces use (a long one goes on under itself)
//!   summary         runs, commands, elapsed time
//!   reproduce       the command lines to copy
//!   verdict         one line: no violation, VIOLATION, or INTERRUPTED
//!
//! Lines fit in 100 columns.

import { formatCommand } from "../vocabulary/command-format.ts";
import type { FoundViolation } from "../properties/hunting/campaign.ts";
import { count, clip, wrap } from "./output.ts";

/** Where the finding went: the file written, the file it duplicates, or why it was not written. */
export type Saved = { readonly kind: "written" | "duplicate"; readonly path: string } | { readonly kind: "unwritten"; readonly reason: string };

function savedLine(saved: Saved): string {
  if (saved.kind === "unwritten") return `  counterexample NOT written: ${saved.reason}`;
  if (saved.kind === "written") return `  counterexample written to ${saved.path}`;
  return `  the same finding as ${saved.path} (same check, message and command kinds: not written again)`;
}

function keyValues(record: object): string[] {
  return Object.entries(record).map(([key, value]) => `${key}=${String(value)}`);
}

/** The violation block. Ensures: lines of at most 100 columns (commands cut with `…`). */
export function formatViolation(found: FoundViolation, saved: Saved): string[] {
  const violation = found.violation;
  const lines = [`VIOLATION ${violation.check} at step ${violation.step} (${violation.command.kind})`, ...wrap(violation.message.split(" "), "    ").map((line) => `  ${line}`)];
  if (violation.stack !== undefined) lines.push("  stack trace of the crash:", ...violation.stack.split("\n").map((line) => clip(`    ${line.trim()}`)));
  if (found.nondeterminism !== undefined) {
    lines.push(...wrap(found.nondeterminism.message.split(" "), "    ").map((line) => `  ${line}`));
    lines.push("  (the system is not deterministic: the counterexample keeps the failing run's commands, unshrunk)");
  }
  lines.push(savedLine(saved));
  lines.push(`  seed=${found.seed} hardwareSeed=${found.hardwareSeed} replayPath="${found.replayPath}"`, `  path="${found.path}"`);
  lines.push(...wrap(["  world:", ...keyValues(found.world)], "    "));
  lines.push(...wrap(["  swarm:", ...keyValues(found.swarm)], "    "));
  lines.push(`  ${found.nondeterminism === undefined ? "shrunk to" : "unshrunk,"} ${count(found.commands.length, "command")}:`);
  lines.push(...found.commands.flatMap((command, index) => wrap([`  ${String(index).padStart(4)} `, ...formatCommand(command).split(" ")], "          ")));
  return lines;
}

/**
 * Coverage counters in as many columns as fit in 100 characters. Every counter still at zero
 * is marked: `!` when the system requires it above zero (a path the campaign should have
 * reached), `-` when it does not; the legend says which marks appear and what they mean.
 */
export function formatCoverage(coverage: ReadonlyMap<string, number>, required: readonly string[]): string[] {
  const entries = [...coverage];
  const nameWidth = Math.max(1, ...entries.map(([name]) => name.length));
  const countWidth = Math.max(1, ...entries.map(([, value]) => String(value).length));
  const cellWidth = 1 + nameWidth + 1 + countWidth;
  const columns = Math.max(1, Math.floor((100 - 2 + 2) / (cellWidth + 2)));
  const mark = (name: string, value: number) => (value !== 0 ? " " : required.includes(name) ? "!" : "-");
  const cells = entries.map(([name, value]) => `${mark(name, value)}${name.padEnd(nameWidth)} ${String(value).padStart(countWidth)}`);
  const rows: string[] = [];
  for (let index = 0; index < cells.length; index += columns) rows.push(`  ${cells.slice(index, index + columns).join("  ")}`.trimEnd());
  const missing = entries.filter(([name, value]) => value === 0 && required.includes(name)).length;
  const idle = entries.filter(([name, value]) => value === 0 && !required.includes(name)).length;
  const legend = [
    missing === 0
      ? `  every counter the system requires (${required.length}) is above zero; a "!" would mark one still at zero`
      : `  "!" marks ${count(missing, "required counter")} still at zero: paths this campaign never reached`,
  ];
  if (idle > 0) legend.push(`  "-" marks ${count(idle, "counter")} at zero that the system does not require a campaign to reach`);
  return ["coverage (how often each path was taken, summed over the runs):", ...rows, ...legend];
}
