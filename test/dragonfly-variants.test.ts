// The DragonFly system's planted bugs: every heap walk has a canary that a campaign catches
// with that walk; every catchable canary and seed-bug variant has a stored counterexample in
// counterexamples/dragonfly/ that fails with its check with the variant on and passes with it
// off; every seed-bug variant is caught by a campaign. Budgets are seeds and run counts.
import { join } from "node:path";
import { setAutoFreeze } from "immer";
import { beforeAll, describe, expect, it } from "vitest";
import { dragonflyInvariants } from "../impl/dragonfly/invariants/dragonfly-invariants.ts";
import { readCounterexample } from "../properties/counterexample-files/counterexample-store.ts";
import { replayCommands, setupFromFile } from "../properties/counterexample-files/replay.ts";
import { dragonflySystem } from "../systems/dragonfly.ts";
import { storedRegressions } from "./support/counterexample.ts";
import { uvmcheck } from "./support/cli.ts";
import { temporaryDirectory } from "./support/counterexample.ts";
import { dragonflyViolationWithCheck } from "./support/dragonfly.ts";
import { prepareDragonflyVariants } from "./support/variants.ts";

beforeAll(() => setAutoFreeze(false));
beforeAll(() => prepareDragonflyVariants());

const directory = join(import.meta.dirname, "..", "counterexamples", "dragonfly");
const files = storedRegressions(directory).map((name) => ({ name, file: readCounterexample(join(directory, name)) }));

/** The check each canary was planted for: every heap walk, the leak check after the heal phase, and the fork's snapshot. */
const expectedCheck: Readonly<Record<string, string>> = {
  "canary-needs-copy-writable": "invariant:D-translations every translation maps what the chain walk finds",
  "canary-deallocate-kills-backing": "invariant:D-chains shadow chains acyclic, no dead object reachable",
  "canary-clip-no-reference": "invariant:D-references ref_count and shadow_count equal the references that exist",
  "canary-descend-pip-leak": "invariant:D-in-flight every BUSY page owned by a parked thread, paging counts those of the faults in flight",
  "canary-collapse-leaks-page": "invariant:D-frames frames owned once",
  "canary-swap-old-block-kept": "invariant:D-swap swap slots owned once",
  "canary-wired-page-queued": "invariant:D-wired wired pages on no queue and off swap",
  "canary-wired-keeps-swap": "invariant:D-wired wired pages on no queue and off swap",
  "canary-shared-anon-copy-tracks": "observation",
  "canary-delete-keeps-wiring": "healed",
  "canary-shm-unattached-pages-freed": "observation",
};

/**
 * Seed-bug variants without a stored counterexample, and why: seed-F37-source-object-only
 * needs a wired page below the first object, which wiring with the max protection (semantic
 * decision 5) never leaves; seed-F26-stale-entry shows only when, while a fault sleeps in the
 * pager, its entry is unmapped and the same object mapped again at the same address with
 * other bounds, which no campaign of the budget has done (docs/semantics.md §8).
 */
const notCatchable: ReadonlySet<string> = new Set(["seed-F37-source-object-only", "seed-F26-stale-entry"]);

const canaries = dragonflySystem.variants.filter((variant) => variant.kind === "canary");
const seedBugs = dragonflySystem.variants.filter((variant) => variant.kind === "seed-bug" && !notCatchable.has(variant.name));

describe("dragonfly canaries", () => {
  it("every canary has an expected check, and every heap walk and the heal check are some canary's", () => {
    expect(canaries.map((canary) => canary.name).sort()).toEqual(Object.keys(expectedCheck).sort());
    const targeted = new Set(Object.values(expectedCheck));
    for (const invariant of dragonflyInvariants) expect(targeted, invariant.name).toContain(`invariant:${invariant.name}`);
    expect(targeted).toContain("healed");
  });

  for (const canary of canaries) {
    it(`${canary.name} is caught by ${expectedCheck[canary.name]}`, () => {
      const found = dragonflyViolationWithCheck(canary.name, expectedCheck[canary.name]!, [2, 1, 3, 4], 800);
      expect(found, `${canary.name}: no campaign of the budget found it`).not.toBeNull();
    });
  }
});

describe("dragonfly seed bugs", () => {
  for (const variant of seedBugs) {
    it(`run --system dragonfly:${variant.name} --runs 2000 --seed 1 exits 1`, () => {
      const result = uvmcheck(["run", "--system", `dragonfly:${variant.name}`, "--runs", "2000", "--seed", "1", "--no-db", "--out", temporaryDirectory()]);
      expect(result.status, result.stdout).toBe(1);
    });
  }
});

describe("dragonfly stored counterexamples", () => {
  it("exist for every canary and every catchable seed-bug variant", () => {
    const stored = new Set(files.map(({ file }) => file.variant));
    expect([...canaries, ...seedBugs].map((variant) => variant.name).filter((name) => !stored.has(name))).toEqual([]);
  });

  it.each(files)(
    "$name replays as its status says (a fixed one passes; an open one fails with its check with its variant on, passes with it off) and says why",
    ({ file }) => {
      expect(file.system).toBe("dragonfly");
      expect(file.rootCause ?? "").not.toBe("");
      const replay = (variant: string | null) => replayCommands(setupFromFile(file, dragonflySystem, variant), file.commands).violation;
      if (file.status === "fixed") {
        expect(replay(file.variant)).toBeNull();
        return;
      }
      expect(replay(file.variant)?.check).toBe(file.failure.check);
      expect(replay(null), "passes with the variant switched off").toBeNull();
    },
  );
});
