//! The lines `run` prints about the example database it replayed before generating
//! (properties/counterexample-files/example-database.ts): one summary line, then one line
//! for each file whose verdict is worth a look (failing again, failing anew, passing now,
//! still failing as a known open bug) and for each file that could not be read.

import type { DatabaseReplay } from "../properties/counterexample-files/example-database.ts";
import { count, clip, wrap } from "./output.ts";

/** Ensures: lines of at most 100 columns; an empty database is one line. */
export function formatDatabase(replay: DatabaseReplay): string[] {
  const entries = replay.entries;
  const tally = (verdict: string) => entries.filter((entry) => entry.verdict === verdict).length;
  const parts = [
    ["passes", "passes as fixed", "pass as fixed"],
    ["still fails", "still fails as a known open bug", "still fail as known open bugs"],
    ["fails again", "FAILS AGAIN", "FAIL AGAIN"],
    ["fails anew", "FAILS with another check", "FAIL with other checks"],
    ["passes now", "passes now (open: mark it fixed)", "pass now (open: mark them fixed)"],
  ].flatMap(([verdict, one, many]) => {
    const n = tally(verdict!);
    return n === 0 ? [] : [`${n} ${n === 1 ? one : many}`];
  });
  const head = `stored counterexamples in ${replay.directory}: ${count(entries.length, "applies", "apply")} to this system`;
  const lines = wrap((entries.length === 0 ? head : `${head}: ${parts.join(", ")}`).split(" "), "    ");
  for (const entry of entries) {
    if (entry.verdict === "passes") continue;
    const failure = entry.failure === null ? "" : `: ${entry.failure.check} at step ${entry.failure.step}: ${entry.failure.message}`;
    lines.push(clip(`  ${entry.verdict.toUpperCase()} ${entry.path}${failure}`));
  }
  for (const bad of replay.unreadable) lines.push(clip(`  unreadable ${bad.reason}`));
  return lines;
}
