//! Incremental checking (properties/checking/incremental-check.ts) against full checking, on
//! every UVM canary: the same campaign (seed 1, up to 12 runs of the default profile, no
//! shrinking) checked both ways. The verdicts agree: the same first failing run, or none
//! both ways; what the incremental path does not see at the step, a sweep catches later in
//! the same run, at the latest in its heal phase. Most canaries are caught at the very same
//! step with the same check and message; the few caught later are pinned by name.

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { exhaustibleMemory, type Violation } from "../properties/checking/runner.ts";
import { type CampaignOptions, campaignCheck } from "../properties/hunting/campaign.ts";
import { uvmSystem } from "../systems/uvm.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import { uvmCanaries } from "../variants/uvm-canaries.ts";
import { prepareUvmVariants } from "./support/variants.ts";

/** The first failing run and its violation before shrinking, or null: runs 0..runs-1 of seed 1. */
function firstFailure(variant: string, sweepEvery: number | null): { run: number; violation: Violation } | null {
  let runs = 0;
  let found: { run: number; violation: Violation } | null = null;
  const options: CampaignOptions = {
    ...{ system: uvmSystem, world: defaultWorld, runs: 12, seed: 1, maxCommands: 100, variant, contract: exhaustibleMemory, sweepEvery },
    onEvent: (event) => {
      if (event.kind === "run") runs = event.completedRuns;
      if (event.kind === "failure" && found === null) found = { run: runs, violation: event.violation };
    },
  };
  const check = campaignCheck(options);
  fc.check(fc.property(check.arbitrary, check.predicate), { ...check.parameters, endOnFailure: true });
  return found;
}

/** Canaries the incremental path catches at a later step than the full check (a sweep's, or the heal phase's). */
const caughtLater: readonly string[] = [
  "canary-neighbor-left-busy",
  "canary-vnode-write-clean",
  "canary-lent-page-unqueued",
  "canary-loanpage-count",
];

describe("incremental checking finds what full checking finds", () => {
  beforeAll(() => prepareUvmVariants(uvmCanaries.map((canary) => canary.name)));
  const later: string[] = [];
  const found: string[] = [];

  for (const canary of uvmCanaries) {
    it(`${canary.name}: the same first failing run, caught at the same step or by a later sweep`, () => {
      const full = firstFailure(canary.name, null);
      const incremental = firstFailure(canary.name, 16);
      expect(incremental === null, "one way found a violation, the other did not").toBe(full === null);
      if (full === null || incremental === null) return;
      found.push(canary.name);
      expect(incremental.run).toBe(full.run);
      expect(incremental.violation.step).toBeGreaterThanOrEqual(full.violation.step);
      const same = incremental.violation.step === full.violation.step;
      if (same) expect([incremental.violation.check, incremental.violation.message]).toEqual([full.violation.check, full.violation.message]);
      else later.push(canary.name);
    }, 600_000);
  }

  it("catches all but the pinned canaries at the very same step", () => {
    expect(found.length).toBeGreaterThanOrEqual(20);
    expect(later).toEqual(caughtLater);
  });
});
