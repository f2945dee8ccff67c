//! The scale profile (`uvmcheck run --profile scale`): worlds whose resident set, process
//! count and file sizes grow with `--frames`, `--va-pages` and `--processes`.
//!
//! The default generators keep about fifteen pages mapped whatever the world: a mapping is at
//! most six pages, and a page becomes resident only when a single read or write faults it.
//! The scale profile adds two templates that grow the world in one go, each run as several
//! checked commands (like a drill):
//!
//!   populate   mmap a large range (a quarter to three quarters of the address space, or a large part of a file,
//!              files being half the address space long) into a process, then mlock
//!              it (every page faulted in at once: uvm_fault_wire) and, most of the time,
//!              munlock it again, leaving the pages resident but pageable (MAP_POPULATE)
//!   multiply   fork one process several times (or spawn), so dozens of processes share
//!              copy-on-write what the populates made resident
//!
//! A run of the profile is never a small scope: it runs in the world given. Everything else
//! (the swarm, the plain and thread templates, the device failures) is the default
//! profile's; a run of the default profile draws exactly what it drew before the profile
//! existed.

import fc from "fast-check";
import type { Command, Sharing } from "../../vocabulary/command.ts";
import { fileId, filePage, pageCount, vpn } from "../../vocabulary/units.ts";
import { defaultWorld, type WorldConfig } from "../../vocabulary/world.ts";
import type { DrillHost } from "./drills.ts";
import { processOf } from "./targets.ts";

/** Which generators a campaign draws from: the default ones, or those that also grow the world. */
export type GenerationProfile = "default" | "scale";
export const generationProfiles: readonly GenerationProfile[] = ["default", "scale"];

export type GrowthTemplate =
  | {
      readonly kind: "populate";
      readonly process: number;
      readonly pages: number;
      readonly file: { readonly file: number; readonly offset: number } | null;
      readonly sharing: Sharing;
      readonly writable: boolean;
      /** Leave the range wired (mlock only), instead of mlock then munlock. */
      readonly keepWired: boolean;
    }
  | { readonly kind: "multiply"; readonly process: number; readonly copies: number; readonly spawn: boolean };

/** The world flags' defaults under the scale profile (flags given win), as command-line words' values. */
export const scaleWorldDefaults = { frames: "2048", swapSlots: "1024", vaPages: "256", processes: "24" } as const;

/** `run --profile scale`'s world when no world flag is given. */
export const scaleDefaultWorld: WorldConfig = scaleWorld({
  ...defaultWorld,
  frames: Number(scaleWorldDefaults.frames),
  swapSlots: Number(scaleWorldDefaults.swapSlots),
  vaPages: Number(scaleWorldDefaults.vaPages),
  maxProcesses: Number(scaleWorldDefaults.processes),
});

/**
 * The world of a scale campaign: `world` with files that grow with the address space (four
 * files of a quarter of it each, never fewer or shorter than `world`'s).
 */
export function scaleWorld(world: WorldConfig): WorldConfig {
  const files = Math.max(world.files, 4);
  const filePages = Math.max(world.filePages, Math.floor(world.vaPages / 2));
  return { ...world, files, filePages, livenessBound: Math.max(world.livenessBound, 4 * world.vaPages) };
}

/** Populate and multiply templates sized by `world`. */
export function growthArbitrary(world: WorldConfig): fc.Arbitrary<GrowthTemplate> {
  const process = fc.nat(4 * world.maxProcesses);
  const quarter = Math.max(1, Math.floor(world.vaPages / 4));
  const populate = fc
    .record({
      process,
      pages: fc.integer({ min: quarter, max: 3 * quarter }),
      file: fc.option(fc.record({ file: fc.nat(world.files - 1), offset: fc.nat(Math.max(0, world.filePages - 1)) }), { freq: 3 }),
      shared: fc.boolean(),
      writable: fc.constantFrom(true, true, true, false),
      keepWired: fc.constantFrom(false, false, false, true),
    })
    .map(({ process, pages, file, shared, writable, keepWired }): GrowthTemplate => {
      const clipped = file === null ? pages : Math.max(1, Math.min(pages, world.filePages - file.offset));
      return { kind: "populate", process, pages: clipped, file, sharing: shared ? "shared" : "private", writable, keepWired };
    });
  const multiply = fc
    .record({
      process,
      copies: fc.integer({ min: 1, max: Math.max(1, Math.floor(world.maxProcesses / 4)) }),
      spawn: fc.constantFrom(false, false, false, true),
    })
    .map(({ process, copies, spawn }): GrowthTemplate => ({ kind: "multiply", process, copies, spawn }));
  return fc.oneof({ arbitrary: populate, weight: 3 }, { arbitrary: multiply, weight: 1 });
}

/** Runs a growth template as its checked commands, resolved one by one against the model `host` keeps. */
export function runGrowth(template: GrowthTemplate, host: DrillHost): void {
  if (template.kind === "multiply") {
    for (let copy = 0; copy < template.copies; copy++) {
      host.run(template.spawn ? { kind: "spawn" } : { kind: "fork", pid: processOf(host.model(), template.process + copy) });
    }
    return;
  }
  const owner = processOf(host.model(), template.process);
  const backing =
    template.file === null
      ? ({ kind: "anon" } as const)
      : ({ kind: "file", file: fileId(template.file.file), offset: filePage(template.file.offset) } as const);
  const prot = template.writable ? "rw" : "r";
  const mapping: Command = {
    kind: "mmap",
    pid: owner,
    pages: pageCount(template.pages),
    prot,
    maxprot: "rw",
    backing,
    sharing: template.sharing,
    inherit: template.sharing === "shared" ? "share" : "copy",
    advice: "normal",
  };
  const mapped = host.run(mapping);
  if (mapped.kind !== "value") return;
  const range = { pid: owner, va: vpn(mapped.value), pages: pageCount(template.pages) };
  const locked = host.run({ kind: "mlock", ...range });
  if (locked.kind === "ok" && !template.keepWired) host.run({ kind: "munlock", ...range });
}
