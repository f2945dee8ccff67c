// The default campaign on the faithful implementation: no violation, every required
// coverage counter reached, the same result for the same seed.
import { describe, expect, it } from "vitest";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import { defaultMaxCommands } from "../properties/hunting/campaign.ts";
import { inThisThread, runIndexedCampaign } from "../properties/hunting/interruptible-campaign.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import { uvmSystem } from "../systems/uvm.ts";
import { ampleSettings, campaign } from "./support/campaign.ts";

describe("default campaign", () => {
  const result = campaign({ runs: 300, seed: 1, maxCommands: defaultMaxCommands });

  it("finds no violation in the faithful implementation", () => {
    expect(result.violations).toEqual([]);
    expect(result.runs).toBe(300);
  });

  it("reaches every required coverage counter", () => {
    const missing = uvmSystem.requiredCoverage.filter((name) => (result.coverage.get(name) ?? 0) === 0);
    expect(missing).toEqual([]);
  });

  it("is deterministic: the same seed gives the same commands and coverage", () => {
    const again = campaign({ runs: 300, seed: 1, maxCommands: defaultMaxCommands });
    expect(again.commands).toBe(result.commands);
    expect([...again.coverage]).toEqual([...result.coverage]);
  });

  it("runs no thread under --schedule none, and threads under PCT alone", () => {
    const sequential = campaign({ runs: 40, seed: 3, schedule: "none" });
    expect(sequential.violations).toEqual([]);
    expect(sequential.coverage.get("thread.started") ?? 0).toBe(0);
    const pct = campaign({ runs: 40, seed: 3, schedule: "pct" });
    expect(pct.violations).toEqual([]);
    expect(pct.coverage.get("thread.started")).toBeGreaterThan(0);
  });

  it("abandons, counts and does not fail a run whose thread history outgrows the linearizer's limit", () => {
    const tight = campaign({ runs: 60, seed: 3, schedule: "uniform", configurationLimit: 2 });
    expect(tight.violations).toEqual([]);
    expect(tight.abandoned).toBeGreaterThan(0);
    expect(campaign({ runs: 60, seed: 3, schedule: "none", configurationLimit: 2 }).abandoned).toBe(0);
  });

  it("names the index of every abandoned run, and each index is abandoned again when run alone", async () => {
    const options = { system: uvmSystem, world: defaultWorld, runs: 30, seed: 3, maxCommands: 60, variant: null, contract: exhaustibleMemory, failures: true, schedule: "uniform", configurationLimit: 2 } as const;
    const never = { requested: () => false };
    const whole = await runIndexedCampaign(options, inThisThread(options), never);
    expect(whole.abandoned).toBeGreaterThan(0);
    expect(whole.abandonedRuns).toHaveLength(whole.abandoned);
    for (const index of whole.abandonedRuns!) {
      const alone = runIndexedCampaign({ ...options, startAt: index, runs: index + 1 }, inThisThread(options), never);
      await expect(alone).rejects.toThrow("its only run was abandoned");
    }
  });

  it("passes with ample memory and no ENOMEM allowed", () => {
    const ample = campaign({ runs: 150, seed: 7, ...ampleSettings });
    expect(ample.violations).toEqual([]);
    expect(ample.coverage.get("alloc.failure")).toBe(0);
  });
});
