//! Systems by reference: a built-in name, or the path of a module a user wrote.
//!
//! A *system spec* names a system and, optionally, one of its planted bugs:
//!
//!   uvm                        the built-in UVM system (systems/registry.ts)
//!   uvm:canary-cow-copy-skip   the same, with that variant switched on
//!   ./my-system.ts             a module whose default export (or named export `system`)
//!                              is a SystemFactory; .ts runs through tsx, .mjs/.js as is
//!   ./my-system.ts:my-bug      the same, with its variant `my-bug` switched on
//!
//! Whatever is loaded is checked before it is used: the export has every field of a
//! SystemFactory, and one trial instance (default world, no variant, seed 0) has every
//! method of a SystemUnderTest. A spec that cannot be loaded is a SystemLoadError, which
//! the command line reports as bad usage (exit 2). See docs/pluggable-systems.md.

import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { allowancesProblem } from "../vocabulary/allowance.ts";
import { familiesProblem } from "../vocabulary/command-family.ts";
import type { SystemFactory } from "../vocabulary/system-under-test.ts";
import { defaultWorld } from "../vocabulary/world.ts";
import { builtInSystems } from "./registry.ts";

/** A system spec that names nothing loadable: no such system, file, export or variant. */
export class SystemLoadError extends Error {
  override readonly name = "SystemLoadError";
}

/** A loaded system and the variant switched on (null: the faithful system). */
export interface SystemChoice {
  readonly system: SystemFactory;
  readonly variant: string | null;
  /** The spec as written, for reports (`uvm:canary-cow-copy-skip`). */
  readonly spec: string;
}

const moduleExtension = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** Whether `reference` is meant as a file path rather than a built-in name. */
export function looksLikePath(reference: string): boolean {
  return reference.includes("/") || reference.includes("\\") || reference.startsWith(".") || moduleExtension.test(reference);
}

/**
 * Splits `spec` into a system reference and a variant (`uvm:NAME`, `PATH:NAME`).
 * Requires: `spec` is not empty. Ensures: `reference` is not empty; a path that exists as
 * written (even with a colon in it) is never split.
 */
export function splitSystemSpec(spec: string): { reference: string; variant: string | null } {
  if (spec.length === 0) throw new SystemLoadError("empty system spec");
  const colon = spec.lastIndexOf(":");
  if (colon <= 0 || existsSync(spec)) return { reference: spec, variant: null };
  const variant = spec.slice(colon + 1);
  if (variant.length === 0 || variant.includes("/") || variant.includes("\\")) return { reference: spec, variant: null };
  return { reference: spec.slice(0, colon), variant };
}

/**
 * Loads the system `reference` names: a built-in name, else a module path resolved against
 * `cwd`. Ensures: the result passed `factoryProblems` and `instanceProblems`, or a
 * SystemLoadError says what is wrong with it.
 */
export async function loadSystem(reference: string, cwd: string = process.cwd()): Promise<SystemFactory> {
  const builtIn = builtInSystems.get(reference);
  if (builtIn !== undefined) return builtIn;
  if (!looksLikePath(reference) && !existsSync(resolve(cwd, reference))) {
    throw new SystemLoadError(`unknown system "${reference}" (built in: ${[...builtInSystems.keys()].join(", ")}; or give the path of a module)`);
  }
  const path = resolve(cwd, reference);
  if (!existsSync(path)) throw new SystemLoadError(`system module ${reference} does not exist (resolved to ${path})`);
  if (!statSync(path).isFile()) throw new SystemLoadError(`system module ${reference} is not a file`);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new SystemLoadError(`system module ${reference} failed to load: ${error instanceof Error ? error.message : String(error)}`);
  }
  const candidate = loaded.default ?? loaded.system;
  if (candidate === undefined) throw new SystemLoadError(`system module ${reference} has neither a default export nor an export named \`system\``);
  const problems = factoryProblems(candidate);
  if (problems.length > 0) throw new SystemLoadError(`system module ${reference} does not export a SystemFactory: ${problems.join("; ")}`);
  const factory = candidate as SystemFactory;
  const instanceFaults = trialInstanceProblems(factory);
  if (instanceFaults.length > 0) throw new SystemLoadError(`system module ${reference}: create() ${instanceFaults.join("; ")}`);
  return factory;
}

/**
 * Loads a whole system spec and checks its variant. Ensures: `variant` is null or one of
 * `system.variants`.
 */
export async function loadSystemSpec(spec: string, cwd: string = process.cwd()): Promise<SystemChoice> {
  const { reference, variant } = splitSystemSpec(spec);
  const system = await loadSystem(reference, cwd);
  if (variant !== null && !system.variants.some((known) => known.name === variant)) {
    throw new SystemLoadError(`unknown variant "${variant}" for system ${system.name}; \`uvmcheck variants --system ${reference}\` lists them`);
  }
  await prepareVariant(system, variant);
  return { system, variant, spec };
}

/**
 * Makes `variant` of `system` ready for `create` (SystemFactory.prepare); the faithful
 * system (null) needs nothing. A variant that cannot be loaded (say, an edit that no longer
 * applies) is a SystemLoadError.
 */
export async function prepareVariant(system: SystemFactory, variant: string | null): Promise<void> {
  if (variant === null || system.prepare === undefined) return;
  try {
    await system.prepare(variant);
  } catch (error) {
    throw new SystemLoadError(`system ${system.name}: variant ${variant} failed to load: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const variantKinds: readonly string[] = ["canary", "mutant", "seed-bug"];

/** What keeps `candidate` from being a SystemFactory (empty when nothing does). */
export function factoryProblems(candidate: unknown): string[] {
  if (typeof candidate !== "object" || candidate === null) return [`the export is ${candidate === null ? "null" : typeof candidate}, not an object`];
  const factory = candidate as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof factory.name !== "string" || factory.name.length === 0) problems.push("`name` must be a non-empty string");
  if (typeof factory.description !== "string") problems.push("`description` must be a string");
  if (typeof factory.create !== "function") problems.push("`create` must be a function (options) => SystemUnderTest");
  if (!Array.isArray(factory.requiredCoverage) || !factory.requiredCoverage.every((name) => typeof name === "string")) {
    problems.push("`requiredCoverage` must be an array of counter names");
  }
  const families = factory.families === undefined ? null : familiesProblem(factory.families);
  if (families !== null) problems.push(`\`families\` ${families}`);
  const allowances = factory.allowances === undefined ? null : allowancesProblem(factory.allowances);
  if (allowances !== null) problems.push(`\`allowances\` ${allowances}`);
  if (factory.prepare !== undefined && typeof factory.prepare !== "function") problems.push("`prepare` must be a function (variant) => Promise<void> when present");
  if (!Array.isArray(factory.variants)) problems.push("`variants` must be an array (empty when there are none)");
  else {
    factory.variants.forEach((variant: unknown, index: number) => {
      const fields = (typeof variant === "object" && variant !== null ? variant : {}) as Record<string, unknown>;
      const complete = ["name", "description", "corrupts"].every((field) => typeof fields[field] === "string") && variantKinds.includes(String(fields.kind));
      if (!complete) problems.push(`variants[${index}] needs string name, description, corrupts and a kind of ${variantKinds.join(" | ")}`);
    });
  }
  return problems;
}

/** What keeps `candidate` from being a SystemUnderTest (empty when nothing does). */
export function instanceProblems(candidate: unknown): string[] {
  if (typeof candidate !== "object" || candidate === null) return [`returned ${candidate === null ? "null" : typeof candidate}, not an object`];
  const instance = candidate as Record<string, unknown>;
  const problems: string[] = [];
  for (const method of ["apply", "observe", "checkInvariants", "coverage"]) {
    if (typeof instance[method] !== "function") problems.push(`returned an object without a \`${method}\` method`);
  }
  if (!Array.isArray(instance.invariantNames)) problems.push("returned an object whose `invariantNames` is not an array");
  return problems;
}

function trialInstanceProblems(factory: SystemFactory): string[] {
  try {
    const instance = factory.create({ world: defaultWorld, variant: null, seed: 0 });
    const problems = instanceProblems(instance);
    const threads = factory.families?.includes("threads") === true;
    if (problems.length === 0 && threads && (typeof instance.drainCompletions !== "function" || typeof instance.parkedThreads !== "function")) {
      problems.push("returned an object without `drainCompletions` and `parkedThreads`, though the factory's `families` include threads");
    }
    return problems;
  } catch (error) {
    return [`threw on a trial instance (default world, no variant, seed 0): ${error instanceof Error ? error.message : String(error)}`];
  }
}
