// The DragonFly system's mutants (realistic slips in impl/dragonfly/): at least 15, each
// killed by the default hunt (campaigns of 300 runs from seed 1, up to 44 seeds), by a check
// that is not a crash of the faithful system. Budgets are seeds and run counts, not time.
import { setAutoFreeze } from "immer";
import { beforeAll, describe, expect, it } from "vitest";
import { exhaustibleMemory } from "../properties/checking/runner.ts";
import { huntVariant } from "../properties/hunting/mutant-hunt.ts";
import { dragonflySystem } from "../systems/dragonfly.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import { prepareDragonflyVariants } from "./support/variants.ts";

beforeAll(() => setAutoFreeze(false));
beforeAll(() => prepareDragonflyVariants());

const mutants = dragonflySystem.variants.filter((variant) => variant.kind === "mutant");

describe("dragonfly mutants", () => {
  it("there are at least 15, each named, described and saying what it corrupts", () => {
    expect(mutants.length).toBeGreaterThanOrEqual(15);
    for (const mutant of mutants) {
      expect(mutant.name, mutant.name).toMatch(/^mutant-[a-z0-9-]+$/);
      expect(mutant.description.length, mutant.name).toBeGreaterThan(10);
      expect(mutant.corrupts.length, mutant.name).toBeGreaterThan(3);
    }
  });

  for (const mutant of mutants) {
    it(`${mutant.name} is killed`, () => {
      // Seed after seed, each hunted on its own as `uvmcheck mutants` does, until one kills
      // (the weakest, cache-behind, dies at seed 41 today).
      let hunt: ReturnType<typeof huntVariant> | null = null;
      for (let seed = 1; seed <= 44 && hunt?.killed !== true; seed++) {
        hunt = huntVariant({
          system: dragonflySystem,
          variant: mutant.name,
          world: defaultWorld,
          contract: exhaustibleMemory,
          failures: true,
          runs: 300,
          maxCommands: 100,
          seeds: [seed],
          shrink: false,
        });
      }
      expect(hunt?.killed, `${mutant.name} survived seeds 1-44 × 300 runs`).toBe(true);
      expect(hunt?.unattributed).toBe(0);
    }, 1_800_000);
  }
});
