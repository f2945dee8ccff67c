//! Options shared by the commands that run campaigns: which system and variant, the world's
//! size, the seed. Each is validated here, and a bad one is a UsageError (exit 2).

import { randomInt } from "node:crypto";
import { defaultWorld, validateWorld, type WorldConfig } from "../vocabulary/world.ts";
import { loadSystemSpec, prepareVariant, type SystemChoice, SystemLoadError } from "../systems/load-system.ts";
import { parseInteger, UsageError } from "./usage-error.ts";

export interface WorldFlags {
  readonly frames?: string;
  readonly swapSlots?: string;
  readonly pageWords?: string;
  readonly vaPages?: string;
  readonly processes?: string;
  readonly livenessBound?: string;
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
    ...(flags.vaPages === undefined ? {} : { vaPages: parseInteger("--va-pages", flags.vaPages, 1, 4096) }),
    ...(flags.processes === undefined ? {} : { maxProcesses: parseInteger("--processes", flags.processes, 1, 64) }),
    ...(flags.livenessBound === undefined ? {} : { livenessBound: parseInteger("--liveness-bound", flags.livenessBound, 1, 65536) }),
  };
  const problem = validateWorld(world);
  if (problem !== null) throw new UsageError(problem);
  return world;
}

/**
 * The system `--system` names (a built-in name, a module path, either optionally
 * `:VARIANT`) and the variant `--variant` or the spec switches on. Ensures: the system passed
 * systems/load-system.ts's checks; the variant is null or one of its variants. Anything else
 * is a UsageError.
 */
export async function systemFrom(flags: SystemFlags): Promise<SystemChoice> {
  const spec = flags.system ?? "uvm";
  const choice = await systemSpecFrom("--system", spec);
  if (flags.variant === undefined) return choice;
  if (choice.variant !== null) throw new UsageError(`--system ${spec} already names variant ${choice.variant}; drop --variant ${flags.variant}`);
  if (!choice.system.variants.some((known) => known.name === flags.variant)) {
    throw new UsageError(`unknown variant "${flags.variant}" for system ${choice.system.name}; \`uvmcheck variants --system ${spec}\` lists them`);
  }
  try {
    await prepareVariant(choice.system, flags.variant);
  } catch (error) {
    if (error instanceof SystemLoadError) throw new UsageError(`--variant: ${error.message}`);
    throw error;
  }
  return { ...choice, variant: flags.variant };
}

/** `loadSystemSpec`, with a load failure turned into a UsageError that names the flag. */
export async function systemSpecFrom(flag: string, spec: string): Promise<SystemChoice> {
  try {
    return await loadSystemSpec(spec);
  } catch (error) {
    if (error instanceof SystemLoadError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

export function seedFrom(text: string | undefined): number {
  return text === undefined ? randomInt(0, 0x7fffffff) : parseInteger("--seed", text, 0, 0x7fffffff);
}

/**
 * The world flags given, as words of a command line (`--frames 8`), in the order help lists them.
 * Ensures: flag and value pairs; nothing for flags not given.
 */
export function worldFlagWords(flags: WorldFlags): string[] {
  const given: [string, string | undefined][] = [
    ["--frames", flags.frames],
    ["--swap-slots", flags.swapSlots],
    ["--page-words", flags.pageWords],
    ["--va-pages", flags.vaPages],
    ["--processes", flags.processes],
    ["--liveness-bound", flags.livenessBound],
  ];
  return given.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value]));
}
