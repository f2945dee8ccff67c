//! A system's profile: the command families it runs and the model's allowances it is held to,
//! as its factory declares them, or the documented defaults when it does not:
//!
//!   families     absent: every family, but `threads` only if an instance (default world,
//!                no variant, seed 0) has `drainCompletions`, as before families existed
//!   allowances   absent: UVM's allowances (a system is held to the model as UVM is)
//!
//! The generators, the checker, the heal phase, `diff` and the counterexample loader read
//! the profile, never the factory's fields, so the defaults live here only.

import { type AllowanceName, uvmAllowanceNames } from "./allowance.ts";
import { type CommandFamily, commandFamilies, coreFamilies } from "./command-family.ts";
import type { SystemFactory } from "./system-under-test.ts";
import { defaultWorld } from "./world.ts";

export interface SystemProfile {
  readonly families: ReadonlySet<CommandFamily>;
  readonly allowances: ReadonlySet<AllowanceName>;
}

/** Every family and UVM's allowances: what UVM declares. */
export const fullProfile: SystemProfile = { families: new Set(commandFamilies), allowances: new Set(uvmAllowanceNames) };

const profiles = new WeakMap<SystemFactory, SystemProfile>();

/** Ensures: the families `factory` runs (the core always among them) and the allowances it is held to. */
export function systemProfile(factory: SystemFactory): SystemProfile {
  const known = profiles.get(factory);
  if (known !== undefined) return known;
  const families = new Set<CommandFamily>([...coreFamilies, ...(factory.families ?? defaultFamilies(factory))]);
  const profile: SystemProfile = { families, allowances: new Set(factory.allowances ?? uvmAllowanceNames) };
  profiles.set(factory, profile);
  return profile;
}

/** Every family; `threads` only if a trial instance reports completions. */
function defaultFamilies(factory: SystemFactory): readonly CommandFamily[] {
  const trial = factory.create({ world: defaultWorld, variant: null, seed: 0 });
  return trial.drainCompletions === undefined ? commandFamilies.filter((family) => family !== "threads") : commandFamilies;
}

/**
 * What two systems compared command by command share (`uvmcheck diff`): the families both
 * run, and the allowances either is held to (the model sides with a system that does what
 * its own allowances grant).
 */
export function sharedProfile(a: SystemProfile, b: SystemProfile): SystemProfile {
  return {
    families: new Set([...a.families].filter((family) => b.families.has(family))),
    allowances: new Set([...a.allowances, ...b.allowances]),
  };
}
