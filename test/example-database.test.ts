// The example database: `run` replays the stored counterexamples that apply to the system
// under test (same system, same variant) before generating, judges each against its status
// (fixed must pass, open must fail with its check), exits 1 when one fails again, and
// leaves alone the files that do not apply or are not counterexamples. Findings are the
// same when their failure signature is (failure-signature.ts).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setAutoFreeze } from "immer";
import { beforeAll, describe, expect, it } from "vitest";
import { readCounterexample } from "../properties/counterexample-files/counterexample-store.ts";
import { replayDatabase } from "../properties/counterexample-files/example-database.ts";
import { failureSignature, normalizedMessage } from "../properties/counterexample-files/failure-signature.ts";
import { sameSystemAs } from "../cli/system-reference.ts";
import { uvmSystem } from "../systems/uvm.ts";
import { uvmcheck } from "./support/cli.ts";
import { temporaryDirectory } from "./support/counterexample.ts";
import { prepareVariantsNamedIn } from "./support/variants.ts";

// The variants this file runs in-process, loaded before any test creates a system with one.
await prepareVariantsNamedIn(import.meta.filename);

const stored = join(import.meta.dirname, "..", "counterexamples");

/** Copies `name` from counterexamples/ into `directory` as `as`, with `status` if given. */
function copy(directory: string, name: string, as: string, status?: "open" | "fixed"): void {
  if (status === undefined) {
    copyFileSync(join(stored, name), join(directory, as));
    return;
  }
  const data = JSON.parse(readFileSync(join(stored, name), "utf8")) as { status: string };
  data.status = status;
  writeFileSync(join(directory, as), JSON.stringify(data, null, 1));
}

const cow = "canary-cow-copy-skip";

/** A database with one file of each kind (the faithful system fails no stored file, so the one failing again is a variant's). */
function database(): string {
  const directory = temporaryDirectory();
  copy(directory, "canary-cow-copy-skip-observation-1.json", "regressed.json", "fixed");
  copy(directory, "fixed-write-swapin-loss.json", "fixed.json");
  copy(directory, "fixed-loan-reuse-capped.json", "welcome.json", "open");
  mkdirSync(join(directory, "variants"));
  copy(directory, "canary-cow-copy-skip-observation-1.json", join("variants", "cow.json"));
  writeFileSync(join(directory, "broken.json"), '{"format": "uvmcheck-counterexample", "schemaVersion": 1}');
  writeFileSync(join(directory, "unrelated.json"), '{"name": "not a counterexample"}');
  return directory;
}

beforeAll(() => setAutoFreeze(false));

describe("replaying the example database", () => {
  it("replays only the files of the same system and variant, each judged by its status", () => {
    const directory = database();
    const faithful = replayDatabase(directory, uvmSystem, { sameSystem: sameSystemAs("uvm"), variant: null });
    const verdicts = faithful.entries.map((entry) => [entry.path.slice(directory.length + 1), entry.verdict, entry.expected]);
    expect(verdicts).toEqual([
      ["fixed.json", "passes", true],
      ["welcome.json", "passes now", false],
    ]);
    expect(faithful.unreadable.map((bad) => bad.path)).toEqual([join(directory, "broken.json")]);
    const variant = replayDatabase(directory, uvmSystem, { sameSystem: sameSystemAs("uvm"), variant: cow });
    expect(variant.entries.map((entry) => [entry.path.slice(directory.length + 1), entry.verdict])).toEqual([
      ["regressed.json", "fails again"],
      [join("variants", "cow.json"), "still fails"],
    ]);
  });

  it("run reports them first and exits 1 for a stored counterexample failing again; --no-db skips them", () => {
    const directory = database();
    const out = temporaryDirectory();
    // seed 2: its one run finds no new violation of its own (seed 1's, since shmget joined the generators, does)
    const { status, stdout } = uvmcheck(["run", "--variant", cow, "--runs", "1", "--seed", "2", "--db", directory, "--out", out]);
    expect(status).toBe(1);
    const joined = stdout.replaceAll("\n    ", " "); // the summary wraps at 100 columns, continuation lines indented by 4
    expect(joined).toContain(`\nstored counterexamples in ${directory}: 2 apply to this system: 1 still fails as a known open bug, 1 FAILS AGAIN\n`);
    expect(joined).toMatch(new RegExp(`\\n {2}FAILS AGAIN ${join(directory, "regressed.json")}: observation at step \\d+`));
    expect(stdout).toMatch(/\nFAILED: 1 stored counterexample failing again; /);
    const skipped = uvmcheck(["run", "--runs", "1", "--seed", "1", "--db", directory, "--no-db", "--out", out, "--json"]);
    expect(skipped.status).toBe(0);
    expect((JSON.parse(skipped.stdout) as { database: unknown }).database).toBeNull();
  });
});

describe("failure signatures", () => {
  const file = readCounterexample(join(stored, "canary-cow-copy-skip-observation-1.json"));

  it("are equal when only the numbers differ", () => {
    expect(normalizedMessage("pid 1 va 0 word 1: model 1001, implementation 57005")).toBe("pid # va # word #: model #, implementation #");
    const renumbered = { ...file, seed: 7, failure: { ...file.failure, message: file.failure.message.replace(/\d+/g, "3") } };
    expect(failureSignature(renumbered, "uvm")).toBe(failureSignature(file, "uvm"));
  });

  it("differ with the check, the variant or the kinds of command", () => {
    const signature = failureSignature(file, "uvm");
    expect(failureSignature(file, "/elsewhere/mine.mjs")).not.toBe(signature);
    expect(failureSignature({ ...file, failure: { ...file.failure, check: "outcome" } }, "uvm")).not.toBe(signature);
    expect(failureSignature({ ...file, variant: null }, "uvm")).not.toBe(signature);
    expect(failureSignature({ ...file, commands: [file.commands[0]!, file.commands[0]!] }, "uvm")).not.toBe(signature);
  });
});
