//! The scale profile (`uvmcheck run --profile scale`, properties/generation/growth.ts): its
//! runs really grow the world, to thousands of resident pages and dozens of processes, and
//! the faithful systems pass them. Counts, never time.

import { describe, expect, it } from "vitest";
import { type Peak, peakCounting } from "../bench/scale-campaign.ts";
import { runSettingsFrom } from "../cli/run-settings.ts";
import { scaleDefaultWorld } from "../properties/generation/growth.ts";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import { runCampaign } from "../properties/hunting/campaign.ts";
import { dragonflySystem } from "../systems/dragonfly.ts";
import { uvmSystem } from "../systems/uvm.ts";
import { defaultWorld } from "../vocabulary/world.ts";

describe("the scale profile", () => {
  it("run --profile scale: a world of 2048 frames, 256-page address spaces, 24 processes, 4 files of 128 pages", async () => {
    const settings = await runSettingsFrom({ profile: "scale", db: false, jobs: "1", seed: "1" });
    const world = settings.world;
    expect(settings.profile).toBe("scale");
    expect([world.frames, world.vaPages, world.maxProcesses, world.files, world.filePages]).toEqual([2048, 256, 24, 4, 128]);
    expect(world).toEqual(scaleDefaultWorld);
    expect(world.livenessBound).toBe(1024);
    expect(settings.again).toContain("--profile scale");
    const given = await runSettingsFrom({ profile: "scale", db: false, jobs: "1", seed: "1", vaPages: "64", processes: "40" });
    expect([given.world.vaPages, given.world.maxProcesses, given.world.filePages]).toEqual([64, 40, 32]);
  });

  // seeds whose runs reach the sizes quickly (the linearizer's cost varies from run to run;
  // re-pick them when the generators change)
  for (const [system, seed, runs] of [
    [uvmSystem, 9, 2],
    [dragonflySystem, 3, 8],
  ] as const) {
    it(`grows a ${system.name} world to over a thousand resident pages and two dozen processes, with no violation`, () => {
      const peak: Peak = { frames: 0, processes: 0, mappedPages: 0 };
      const options = {
        system: peakCounting(system, peak),
        world: scaleDefaultWorld,
        runs,
        seed,
        maxCommands: 100,
        variant: null,
        contract: exhaustibleMemory,
        profile: "scale" as const,
      };
      const result = runCampaign(options);
      expect(result.violations.map((found) => found.violation)).toEqual([]);
      expect(result.abandoned).toBe(0);
      expect(peak.frames).toBeGreaterThanOrEqual(1000);
      expect(peak.processes).toBeGreaterThanOrEqual(20);
      expect(peak.mappedPages).toBeGreaterThanOrEqual(3000);
    }, 600_000);
  }

  it("leaves the default profile's world alone: no growth without --profile scale", async () => {
    const settings = await runSettingsFrom({ db: false, jobs: "1", seed: "1" });
    expect(settings.profile).toBe("default");
    expect(settings.world).toEqual(defaultWorld);
  });
});
