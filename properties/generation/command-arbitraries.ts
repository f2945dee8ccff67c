//! fast-check arbitraries for the templates of plain commands (templates.ts), one command
//! kind at a time, grouped by command family: processes and mappings, accesses and files,
//! loans, SysV shared memory, the machine. Thread templates (start, race, drill, resume,
//! interfere) are in thread-arbitraries.ts; the swarm that weighs them all per run is in
//! arbitraries.ts.
//!
//! Targets are indices resolved against the model when the command runs ("the 7th mapped
//! page"), mostly aimed where things happen: private copies, pages a sleeping operation
//! works on, pages a loan came from.

import fc from "fast-check";
import { assertNever } from "../../vocabulary/assert.ts";
import type { CommandKind } from "../../vocabulary/command.ts";
import { familyOf } from "../../vocabulary/command-family.ts";
import { failureKinds } from "../../vocabulary/failure.ts";
import type { Advice, Inheritance, Protection } from "../../vocabulary/protection.ts";
import { writeValueMax, type WorldConfig } from "../../vocabulary/world.ts";
import type { Target, Template } from "./templates.ts";

/** The kinds of plain commands: every kind but the thread commands start and resume. */
export type PlainKind = Exclude<CommandKind, "start" | "resume">;

export const protection = fc.constantFrom<Protection>("rw", "rw", "rw", "rw", "rw", "r", "r", "w", "none");
const maxProtection = fc.constantFrom<Protection>("rw", "rw", "rw", "rw", "rw", "rw", "r", "w", "none");
const inheritance = fc.constantFrom<Inheritance>("copy", "copy", "share", "none");
const advice = fc.constantFrom<Advice>("normal", "normal", "random", "sequential");

/** A live process, by index. */
export const process = fc.nat(7);
/** A word to store. */
export const value = fc.integer({ min: 1, max: writeValueMax });

function targetArbitrary(world: WorldConfig): fc.Arbitrary<Target> {
  return fc.oneof(
    { arbitrary: fc.nat(4 * world.vaPages).map((mapped): Target => ({ mapped })), weight: 9 },
    { arbitrary: fc.nat(world.vaPages + 1).map((raw): Target => ({ raw })), weight: 1 },
    { arbitrary: fc.nat(4 * world.vaPages).map((racing): Target => ({ racing })), weight: 6 },
    { arbitrary: fc.nat(4 * world.vaPages).map((anonymous): Target => ({ anonymous })), weight: 3 },
    { arbitrary: fc.nat(4 * world.vaPages).map((pages): Target => ({ private: pages })), weight: 4 },
    { arbitrary: fc.nat(4 * world.vaPages).map((loaned): Target => ({ loaned })), weight: 4 },
  );
}

/** Mostly valid word indices, occasionally one past the end (EINVAL). */
function wordArbitrary(world: WorldConfig): fc.Arbitrary<number> {
  return fc.oneof({ arbitrary: fc.nat(world.pageWords - 1), weight: 30 }, { arbitrary: fc.constant(world.pageWords), weight: 1 });
}

function mmapArbitrary(world: WorldConfig): fc.Arbitrary<Template> {
  const pages = fc.integer({ min: 1, max: Math.min(6, world.filePages) });
  return fc
    .record({
      process,
      pages,
      maxprot: maxProtection,
      prot: protection,
      file: fc.option(fc.record({ file: fc.nat(world.files - 1), offset: fc.nat(world.filePages - 1) }), { freq: 2 }),
      reserved: fc.integer({ min: 0, max: 24 }),
      shared: fc.boolean(),
      inherit: fc.option(inheritance, { freq: 3 }),
      advice,
      loose: fc.integer({ min: 0, max: 19 }),
    })
    .map(({ process, pages, maxprot, prot, file, reserved, shared, inherit, advice, loose }): Template => {
      const withinMax = loose === 0 ? prot : maxprotAllows(maxprot, prot);
      const anonymous = reserved === 0 ? ({ kind: "reserved" } as const) : ({ kind: "anon" } as const);
      const backing = file === null ? anonymous : { kind: "file" as const, file: file.file, offset: Math.min(file.offset, world.filePages - pages) };
      const sharing = shared ? "shared" : "private";
      return { kind: "mmap", process, pages, prot: withinMax, maxprot, backing, sharing, inherit: inherit ?? (shared ? "share" : "copy"), advice };
    });
}

/** `wanted` narrowed to what `max` allows (mostly keeps the request legal). */
function maxprotAllows(max: Protection, wanted: Protection): Protection {
  const read = wanted.includes("r") && max.includes("r");
  const write = wanted.includes("w") && max.includes("w");
  return read && write ? "rw" : read ? "r" : write ? "w" : "none";
}

function rangeArbitrary(world: WorldConfig) {
  return fc.record({ process, target: targetArbitrary(world), pages: fc.integer({ min: 1, max: 4 }) });
}

/**
 * A range to lock or unlock: half the time one from a wiring edge (targets.ts), one to five
 * pages long, so locking meets holes, never-faulted neighbours and regions already wired,
 * and unlocking meets part of a wired region or a range only partly wired.
 */
function wiringRangeArbitrary(world: WorldConfig) {
  const edge = fc.record({ process, target: fc.nat(4 * world.vaPages).map((index): Target => ({ edge: index })), pages: fc.integer({ min: 1, max: 5 }) });
  return fc.oneof(rangeArbitrary(world), edge);
}

/** The template arbitrary for a plain command kind. */
export function commandTemplateArbitrary(kind: PlainKind, world: WorldConfig): fc.Arbitrary<Template> {
  const family = familyOf(kind);
  switch (family) {
    case "processes":
    case "mappings":
      return processOrMappingArbitrary(kind, world);
    case "access":
    case "files":
      return accessArbitrary(kind, world);
    case "loans":
      return loanArbitrary(kind, world);
    case "sysvShm":
      return shmArbitrary(kind, world);
    case "machine":
      return machineArbitrary(kind, world);
    case "threads":
      throw new Error(`commandTemplateArbitrary: ${kind} is a thread command (thread-arbitraries.ts)`);
    default:
      return assertNever(family, "command family");
  }
}

function processOrMappingArbitrary(kind: PlainKind, world: WorldConfig): fc.Arbitrary<Template> {
  switch (kind) {
    case "spawn":
      return fc.constant({ kind: "spawn" });
    case "fork":
    case "exit":
      return process.map((index): Template => ({ kind, process: index }));
    case "mmap":
      return mmapArbitrary(world);
    case "munmap":
      return rangeArbitrary(world).map((range): Template => ({ kind, ...range }));
    case "mlock":
    case "munlock":
      return wiringRangeArbitrary(world).map((range): Template => ({ kind, ...range }));
    case "mprotect":
      return fc.tuple(rangeArbitrary(world), protection).map(([range, prot]): Template => ({ kind, ...range, prot }));
    case "minherit":
      return fc.tuple(rangeArbitrary(world), inheritance).map(([range, inherit]): Template => ({ kind, ...range, inherit }));
    case "madvise":
      return fc.tuple(rangeArbitrary(world), advice).map(([range, choice]): Template => ({ kind, ...range, advice: choice }));
    default:
      throw new Error(`processOrMappingArbitrary: ${kind} is not a process or mapping command`);
  }
}

function accessArbitrary(kind: PlainKind, world: WorldConfig): fc.Arbitrary<Template> {
  switch (kind) {
    case "read":
      return fc.record({ process, target: targetArbitrary(world), word: wordArbitrary(world) }).map((read): Template => ({ kind, ...read }));
    case "write":
      return fc.record({ process, target: targetArbitrary(world), word: wordArbitrary(world), value }).map((write): Template => ({ kind, ...write }));
    case "fileRead":
      return fc
        .record({ file: fc.nat(world.files - 1), page: fc.nat(world.filePages - 1), word: wordArbitrary(world) })
        .map((read): Template => ({ kind, ...read }));
    case "fileWrite":
      return fc
        .record({ file: fc.nat(world.files - 1), page: fc.nat(world.filePages - 1), word: wordArbitrary(world), value })
        .map((write): Template => ({ kind, ...write }));
    case "fileEvict":
      return fc.nat(world.files - 1).map((file): Template => ({ kind, file }));
    default:
      throw new Error(`accessArbitrary: ${kind} is not an access or file command`);
  }
}

function loanArbitrary(kind: PlainKind, world: WorldConfig): fc.Arbitrary<Template> {
  switch (kind) {
    case "loan":
      return fc
        .record({ process, target: targetArbitrary(world), pages: fc.integer({ min: 1, max: 3 }), to: fc.constantFrom("kernel" as const, "anon" as const) })
        .map((loan): Template => ({ kind, ...loan }));
    case "loanFile":
      return fc
        .record({ file: fc.nat(world.files - 1), page: fc.nat(world.filePages - 1), pages: fc.integer({ min: 1, max: 3 }) })
        .map(({ file, page, pages }): Template => ({ kind, file, page: Math.min(page, world.filePages - pages), pages }));
    case "loanRead":
      return fc.record({ loan: fc.nat(7), index: fc.nat(7), word: wordArbitrary(world) }).map((read): Template => ({ kind, ...read }));
    case "loanReceive":
      return fc.record({ loan: fc.nat(7), process }).map((receive): Template => ({ kind, ...receive }));
    case "unloan":
      return fc.nat(7).map((loan): Template => ({ kind, loan }));
    default:
      throw new Error(`loanArbitrary: ${kind} is not a loan command`);
  }
}

/**
 * SysV shared memory: segments of 1-4 pages (now and then a size out of range: EINVAL); an
 * attach or removal aims at a live segment nine times in ten, else at an id that names none.
 */
function shmArbitrary(kind: PlainKind, world: WorldConfig): fc.Arbitrary<Template> {
  const segment = fc.nat(7);
  const stale = fc.integer({ min: 0, max: 9 }).map((draw) => draw === 0);
  switch (kind) {
    case "shmget":
      return fc
        .oneof(
          { arbitrary: fc.integer({ min: 1, max: Math.min(4, world.vaPages) }), weight: 19 },
          { arbitrary: fc.constantFrom(0, world.vaPages + 1), weight: 1 },
        )
        .map((pages): Template => ({ kind, pages }));
    case "shmat":
      return fc
        .record({ process, segment, stale, readOnly: fc.integer({ min: 0, max: 3 }).map((draw) => draw === 0) })
        .map((attach): Template => ({ kind, ...attach }));
    case "shmrm":
      return fc.record({ segment, stale }).map((remove): Template => ({ kind, ...remove }));
    default:
      throw new Error(`shmArbitrary: ${kind} is not a SysV shared memory command`);
  }
}

function machineArbitrary(kind: PlainKind, world: WorldConfig): fc.Arbitrary<Template> {
  switch (kind) {
    case "pageout": // half the time everything reclaimable goes: anon pages to swap
      return fc
        .oneof(fc.constant(world.frames), fc.integer({ min: Math.floor(world.frames / 4), max: world.frames }))
        .map((targetFreeFrames): Template => ({ kind, targetFreeFrames }));
    case "failNext":
      return fc.constantFrom(...failureKinds).map((failure): Template => ({ kind, failure }));
    case "clearFailures":
      return fc.constant({ kind });
    default:
      throw new Error(`machineArbitrary: ${kind} is not a machine command`);
  }
}
