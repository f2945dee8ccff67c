//! The counterexample file: one JSON document per counterexample, versioned, documented in
//! counterexamples/README.md. It holds everything replay needs and nothing that varies
//! between two runs of the same campaign (no timestamps, no absolute paths), so the same
//! seed writes byte-identical files.
//!
//!   format, schemaVersion, uvmcheckVersion      what this is, which schema, which uvmcheck
//!   system, variant, status                     what was checked; `open` or `fixed`
//!   configuration                               world, contract, failure rates,
//!                                               hardware seed, swarm weights, max commands
//!   seed, path, replayPath                      where the campaign found it (fast-check)
//!   commands                                    the commands themselves, as data
//!   failure                                     the signature: check, step, message
//!                                               (and a crash's stack trace)
//!   rootCause                                   optional, one line
//!   shrunkFrom                                  optional: sizes before `uvmcheck shrink`
//!
//! Replay runs `commands`, never the generators, so a file survives any change to them.
//! `parseCounterexample` checks every field; a problem is a CounterexampleFileError naming
//! the field, which the command line reports in one line (exit 2).

import { readFileSync } from "node:fs";
import type { Command } from "../../vocabulary/command.ts";
import { CommandParseError, expectObject, parseCommand } from "../../vocabulary/command-parse.ts";
import { type FailureRates, validateFailureRates } from "../../vocabulary/failure.ts";
import { defaultWorld, validateWorld, type WorldConfig } from "../../vocabulary/world.ts";
import type { FoundViolation } from "../hunting/campaign.ts";
import { formatJson } from "./counterexample-json.ts";

export const counterexampleFormat = "uvmcheck-counterexample";
export const counterexampleSchemaVersion = 1;

export interface Configuration {
  readonly world: WorldConfig;
  /** `exhaustible-memory` or `ample-memory` (properties/checking/runner.ts). */
  readonly contract: string;
  /** Injected failure rate per failure kind (vocabulary/failure.ts); empty when none. */
  readonly failures: FailureRates;
  /** Seeds the hardware's random source. */
  readonly hardwareSeed: number;
  /** The run's swarm weights per command kind; null for a hand-written or shrunk-by-hand file. */
  readonly swarm: Readonly<Record<string, number>> | null;
  /** The campaign's longest command sequence (with seed and path, reproduces through fast-check). */
  readonly maxCommands: number | null;
}

/**
 * Which check failed, at which step, saying what. Two failures are the same when their
 * checks are. `step` indexes the run: the stored commands, then the heal phase's (replay.ts).
 */
export interface FailureSignature {
  readonly check: string;
  readonly step: number;
  readonly message: string;
  /** Optional, for a `crash`: the stack trace of what the system threw. */
  readonly stack?: string;
}

export interface ShrunkFrom {
  readonly commands: number;
  readonly world: WorldConfig;
}

export interface CounterexampleFile {
  readonly format: typeof counterexampleFormat;
  readonly schemaVersion: typeof counterexampleSchemaVersion;
  readonly uvmcheckVersion: string;
  readonly system: string;
  readonly variant: string | null;
  /** `open`: replay must fail (with the variant on, if any). `fixed`: replay must pass. */
  readonly status: "open" | "fixed";
  readonly configuration: Configuration;
  readonly seed: number | null;
  readonly path: string | null;
  readonly replayPath: string | null;
  readonly commands: readonly Command[];
  readonly failure: FailureSignature;
  readonly rootCause?: string;
  readonly shrunkFrom?: ShrunkFrom;
}

export class CounterexampleFileError extends Error {
  override readonly name = "CounterexampleFileError";
}

/** The version in package.json. */
export function uvmcheckVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return typeof manifest.version === "string" ? manifest.version : "unknown";
}

/** What a campaign's finding does not carry itself (its world is the run's own: `FoundViolation.world`). */
export interface FindingContext {
  readonly system: string;
  readonly variant: string | null;
  readonly contract: string;
  readonly maxCommands: number;
}

/** The file for a campaign's finding. Ensures: its commands are canonical (command-parse.ts). */
export function counterexampleFromFinding(found: FoundViolation, context: FindingContext): CounterexampleFile {
  return {
    format: counterexampleFormat,
    schemaVersion: counterexampleSchemaVersion,
    uvmcheckVersion: uvmcheckVersion(),
    system: context.system,
    variant: context.variant,
    status: "open",
    configuration: {
      world: found.world,
      contract: context.contract,
      failures: found.failureRates,
      hardwareSeed: found.hardwareSeed,
      swarm: found.swarm,
      maxCommands: context.maxCommands,
    },
    seed: found.seed,
    path: found.path,
    replayPath: found.replayPath,
    commands: found.commands.map((command, index) => parseCommand(command, `commands[${index}]`)),
    failure: failureOf(found.violation),
  };
}

/**
 * The failure signature of `violation`, with its stack trace when it has one (a crash).
 * Ensures: a signature parseCounterexample accepts.
 */
export function failureOf(violation: { readonly check: string; readonly step: number; readonly message: string; readonly stack?: string }): FailureSignature {
  const { check, step, message, stack } = violation;
  return stack === undefined ? { check, step, message } : { check, step, message, stack: portableStack(stack) };
}

/**
 * A stack trace without the machine's folder: `file:///home/me/uvmcheck/impl/kernel.ts` → `impl/kernel.ts`.
 * Ensures: the same text on every machine for the same code and folder layout.
 */
export function portableStack(stack: string, folder: string = process.cwd()): string {
  const prefixes = [`file://${folder}/`, `${folder}/`];
  return prefixes.reduce((text, prefix) => text.replaceAll(prefix, ""), stack);
}

const topLevelKeys = [
  "format",
  "schemaVersion",
  "uvmcheckVersion",
  "system",
  "variant",
  "status",
  "configuration",
  "seed",
  "path",
  "replayPath",
  "commands",
  "failure",
];
const optionalKeys = ["rootCause", "shrunkFrom"];

/** Ensures: the text of a valid file, keys in schema order, one command per line. */
export function serializeCounterexample(file: CounterexampleFile): string {
  const ordered: Record<string, unknown> = {};
  for (const key of [...topLevelKeys, ...optionalKeys]) {
    const value = (file as unknown as Record<string, unknown>)[key];
    if (value !== undefined) ordered[key] = value;
  }
  return `${formatJson(ordered)}\n`;
}

/**
 * Requires: `source` names the text in messages (a path). Ensures: a file every field of
 * which was checked, or a CounterexampleFileError with one line naming the first problem.
 */
export function parseCounterexample(text: string, source: string): CounterexampleFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CounterexampleFileError(`${source}: not valid JSON (malformed or truncated): ${reason}`);
  }
  try {
    return parseDocument(data);
  } catch (error) {
    if (error instanceof CommandParseError || error instanceof CounterexampleFileError) throw new CounterexampleFileError(`${source}: ${error.message}`);
    throw error;
  }
}

function parseDocument(data: unknown): CounterexampleFile {
  const header = expectObject(data, "file", null);
  if (header.format !== counterexampleFormat) throw new CounterexampleFileError(`not a uvmcheck counterexample (expected "format": "${counterexampleFormat}")`);
  if (header.schemaVersion !== counterexampleSchemaVersion) {
    throw new CounterexampleFileError(
      `unknown schema version ${JSON.stringify(header.schemaVersion)} (this uvmcheck reads version ${counterexampleSchemaVersion})`,
    );
  }
  const present = [...topLevelKeys, ...optionalKeys.filter((key) => Object.hasOwn(header, key))];
  const record = expectObject(data, "file", present);
  if (!Array.isArray(record.commands) || record.commands.length === 0) throw new CounterexampleFileError("commands: expected a non-empty array of commands");
  const commands = record.commands.map((command, index) => parseCommand(command, `commands[${index}]`));
  const failure = parseFailure(record.failure, commands.length);
  const file: CounterexampleFile = {
    format: counterexampleFormat,
    schemaVersion: counterexampleSchemaVersion,
    uvmcheckVersion: text(record.uvmcheckVersion, "uvmcheckVersion"),
    system: text(record.system, "system"),
    variant: record.variant === null ? null : text(record.variant, "variant"),
    status: oneOf(record.status, "status", ["open", "fixed"] as const),
    configuration: parseConfiguration(record.configuration),
    seed: record.seed === null ? null : integerIn(record.seed, "seed", 0, 0x7fffffff),
    path: record.path === null ? null : text(record.path, "path", true),
    replayPath: record.replayPath === null ? null : text(record.replayPath, "replayPath", true),
    commands,
    failure,
  };
  return { ...file, ...optionalFields(record) };
}

function optionalFields(record: Readonly<Record<string, unknown>>): Pick<CounterexampleFile, "rootCause" | "shrunkFrom"> {
  const fields: { rootCause?: string; shrunkFrom?: ShrunkFrom } = {};
  if (record.rootCause !== undefined) {
    fields.rootCause = text(record.rootCause, "rootCause");
    if (fields.rootCause.includes("\n")) throw new CounterexampleFileError("rootCause: expected one line");
  }
  if (record.shrunkFrom !== undefined) {
    const shrunk = expectObject(record.shrunkFrom, "shrunkFrom", ["commands", "world"]);
    fields.shrunkFrom = {
      commands: integerIn(shrunk.commands, "shrunkFrom.commands", 1, Number.MAX_SAFE_INTEGER),
      world: parseWorld(shrunk.world, "shrunkFrom.world"),
    };
  }
  return fields;
}

/** Most commands a heal phase runs after the stored ones (one per loan and process, and one more). */
const HEAL_STEPS_MAX = 100_000;

function parseFailure(data: unknown, commandCount: number): FailureSignature {
  const keys = ["check", "step", "message", ...(typeof data === "object" && data !== null && Object.hasOwn(data, "stack") ? ["stack"] : [])];
  const record = expectObject(data, "failure", keys);
  const step = integerIn(record.step, "failure.step", 0, commandCount + HEAL_STEPS_MAX);
  const signature = { check: text(record.check, "failure.check"), step, message: text(record.message, "failure.message", true) };
  return record.stack === undefined ? signature : { ...signature, stack: text(record.stack, "failure.stack") };
}

function parseConfiguration(data: unknown): Configuration {
  const record = expectObject(data, "configuration", ["world", "contract", "failures", "hardwareSeed", "swarm", "maxCommands"]);
  return {
    world: parseWorld(record.world, "configuration.world"),
    contract: text(record.contract, "configuration.contract"),
    failures: parseRates(record.failures),
    hardwareSeed: integerIn(record.hardwareSeed, "configuration.hardwareSeed", 0, 0x7fffffff),
    swarm: record.swarm === null ? null : parseWeights(record.swarm),
    maxCommands: record.maxCommands === null ? null : integerIn(record.maxCommands, "configuration.maxCommands", 1, 10_000),
  };
}

const worldKeys: readonly (keyof WorldConfig)[] = ["pageWords", "files", "filePages", "vaPages", "maxProcesses", "frames", "swapSlots", "livenessBound"];
/** Fields a file may leave out (written before they existed): their defaults. */
const worldDefaults: Partial<Record<keyof WorldConfig, number>> = { livenessBound: defaultWorld.livenessBound };

function parseWorld(data: unknown, where: string): WorldConfig {
  const given = expectObject(data, where, null);
  const record = expectObject({ ...worldDefaults, ...given }, where, worldKeys);
  const world = Object.fromEntries(worldKeys.map((key) => [key, integerIn(record[key], `${where}.${key}`, 0, 65536)])) as unknown as WorldConfig;
  const problem = validateWorld(world);
  if (problem !== null) throw new CounterexampleFileError(`${where}: ${problem}`);
  return world;
}

function parseRates(data: unknown): FailureRates {
  const record = expectObject(data, "configuration.failures", null);
  const problem = validateFailureRates(record as FailureRates);
  if (problem !== null) throw new CounterexampleFileError(`configuration.failures: ${problem}`);
  return record as FailureRates;
}

function parseWeights(data: unknown): Readonly<Record<string, number>> {
  const record = expectObject(data, "configuration.swarm", null);
  for (const [kind, weight] of Object.entries(record)) integerIn(weight, `configuration.swarm.${kind}`, 0, 1_000_000);
  return record as Readonly<Record<string, number>>;
}

function text(data: unknown, where: string, emptyAllowed = false): string {
  if (typeof data !== "string" || (!emptyAllowed && data.length === 0))
    throw new CounterexampleFileError(`${where}: expected a ${emptyAllowed ? "" : "non-empty "}string, got ${JSON.stringify(data) ?? "nothing"}`);
  return data;
}

function integerIn(data: unknown, where: string, min: number, max: number): number {
  if (typeof data !== "number" || !Number.isSafeInteger(data) || data < min || data > max) {
    throw new CounterexampleFileError(`${where}: expected an integer in [${min}, ${max}], got ${JSON.stringify(data) ?? "nothing"}`);
  }
  return data;
}

function oneOf<T extends string>(data: unknown, where: string, names: readonly T[]): T {
  if (!names.includes(data as T)) throw new CounterexampleFileError(`${where}: expected one of ${names.join(", ")}, got ${JSON.stringify(data) ?? "nothing"}`);
  return data as T;
}
