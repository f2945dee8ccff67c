//! Options shared by the commands that run campaigns: which system and variant, the world's
//! size, the seed. Each is validated here, and a bad one is a UsageError (exit 2).

import { randomInt } from "node:crypto";
import type { SystemFactory } from "../vocabulary/system-under-test.ts";
import { defaultWorld, validateWorld, type WorldConfig } from "../vocabulary/world.ts";
import { builtInSystems } from "../systems/registry.ts";
import { parseInteger, UsageError } from "./usage-error.ts";

export interface WorldFlags {
  readonly frames?: string;
  readonly swapSlots?: string;
  readonly pageWords?: string;
  readonly processes?: string;
}

export interface SystemFlags {
  readonly system?: string;
  readonly variant?: string;
}

export function worldFrom(flags: WorldFlags): WorldConfig {
  const world: WorldConfig = {
    ...defaultWorld,
    ...(flags.frames === undefined ? {} : { frames: parseInteger("--frames", flags.frames, 1, 65536) }),
    ...(flags.swapSlots === undefined ? {} : { swapSlots: parseInteger("--swap-slots", flags.swapSlots, 0, 65536) }),
    ...(flags.pageWords === undefined ? {} : { pageWords: parseInteger("--page-words", flags.pageWords, 1, 64) }),
    ...(flags.processes === undefined ? {} : { maxProcesses: parseInteger("--processes", flags.processes, 1, 64) }),
  };
  const problem = validateWorld(world);
  if (problem !== null) throw new UsageError(problem);
  return world;
}

export function systemFrom(flags: SystemFlags): { system: SystemFactory; variant: string | null } {
  const name = flags.system ?? "uvm";
  const system = builtInSystems.get(name);
  if (system === undefined) throw new UsageError(`unknown system "${name}" (known: ${[...builtInSystems.keys()].join(", ")})`);
  const variant = flags.variant ?? null;
  if (variant !== null && !system.variants.some((known) => known.name === variant)) {
    throw new UsageError(`unknown variant "${variant}" for system ${name}; \`uvmcheck variants\` lists them`);
  }
  return { system, variant };
}

export function seedFrom(text: string | undefined): number {
  return text === undefined ? randomInt(0, 0x7fffffff) : parseInteger("--seed", text, 0, 0x7fffffff);
}
