//! Hunting one planted bug (a mutant, canary or seed-bug variant) with the default campaign:
//! properties/hunting/campaign.ts's runCampaign, seed after seed (in the order given, each seed a
//! whole campaign of `runs` runs), until the first violation, the last seed, or the time
//! budget (checked before each seed). What the mutation report (`uvmcheck mutants`) prints
//! per variant:
//!
//!   killed        whether some seed's campaign found a violation
//!   commands      commands the system executed until the first violation: every run of the
//!                 seeds before, then the runs of the killing seed up to and including the
//!                 failing one (fast-check's path names it); shrinking excluded
//!   seconds       wall-clock time until the violation was found and attributed (before
//!                 shrinking); only with a clock, which the command line gives, tests never do
//!   shrunkLength  the fast-check-shrunk counterexample's concrete commands
//!   ownShrunk     the same, shrunk further by properties/counterexample-files/shrink (1-minimal, smaller world)
//!   caughtBy      the violation's check (properties/checking/runner.ts): outcome, linearizability,
//!                 observation, invariant:<name>, assertion, a lock-discipline rule, liveness,
//!                 healed (or crash)
//!
//! Each seed's campaign stops at its first violation without shrinking (fast-check's
//! endOnFailure). The violation is a kill only if it is the variant's: its commands are
//! replayed with the variant switched off, and if the faithful system fails them too, the
//! violation is counted in `unattributed` and the hunt goes on with the next seed (a bug of
//! the faithful system must not pass for a kill, nor cost the budget a long shrink). A kill
//! is then shrunk: fast-check replays just the failing run (its path) and shrinks it, and
//! properties/counterexample-files/shrink shrinks the first violation's commands, keeping its check.
//!
//! Commands are counted by wrapping the system factory: each run creates one system, so the
//! n-th system created is the n-th run of the campaign. Everything but `seconds` is
//! deterministic.

import fc from "fast-check";
import { assert } from "../../vocabulary/assert.ts";
import type { Command } from "../../vocabulary/command.ts";
import type { SystemFactory, SystemOptions, SystemUnderTest } from "../../vocabulary/system-under-test.ts";
import { systemProfile } from "../../vocabulary/system-profile.ts";
import type { WorldConfig } from "../../vocabulary/world.ts";
import { type FoundViolation, runCampaign } from "./campaign.ts";
import { type ReplaySetup, replayCommands } from "../counterexample-files/replay.ts";
import type { Contract } from "../checking/runner.ts";
import { shrinkCounterexample } from "../counterexample-files/shrink/shrink.ts";

export interface HuntOptions {
  readonly system: SystemFactory;
  readonly variant: string;
  readonly world: WorldConfig;
  readonly contract: Contract;
  readonly failures: boolean;
  /** Runs per seed. */
  readonly runs: number;
  readonly maxCommands: number;
  /** The campaign seeds, tried in order. */
  readonly seeds: Iterable<number>;
  /** Milliseconds, monotonic (performance.now). Without it `seconds` is null and there is no time budget. */
  readonly clock?: () => number;
  /** Start no seed once this many milliseconds have passed (needs `clock`; 0 starts none). */
  readonly budgetMilliseconds?: number;
  /** Shrink a kill's counterexample, with fast-check and with properties/counterexample-files/shrink (default true). */
  readonly shrink?: boolean;
}

export interface HuntResult {
  readonly variant: string;
  readonly killed: boolean;
  /** The seed whose campaign found the violation; null if none did. */
  readonly seed: number | null;
  /** Index of the failing run within that campaign. */
  readonly run: number | null;
  readonly seedsTried: number;
  /** Violations found on the way that the faithful system shows too (not kills). */
  readonly unattributed: number;
  readonly commands: number;
  /** To the first violation, or spent in all when not killed; null without a clock. */
  readonly seconds: number | null;
  /** The first violation's check. */
  readonly caughtBy: string | null;
  readonly message: string | null;
  /** Commands of fast-check's shrunk counterexample (null without `shrink`). */
  readonly shrunkLength: number | null;
  /** Commands properties/counterexample-files/shrink leaves of the first violation's (null without `shrink`, or if it no longer fails). */
  readonly ownShrunkLength: number | null;
  /** The finding (fast-check-shrunk when shrinking), for printing or saving as a counterexample file. */
  readonly found: FoundViolation | null;
}

interface Created {
  applies: number;
}

/** The factory, counting the commands each system it creates applies. */
class CountingFactory implements SystemFactory {
  readonly created: Created[] = [];

  constructor(private readonly inner: SystemFactory) {}

  get name() {
    return this.inner.name;
  }

  get description() {
    return this.inner.description;
  }

  get variants() {
    return this.inner.variants;
  }

  get requiredCoverage() {
    return this.inner.requiredCoverage;
  }

  /** The inner system's families, resolved (a default resolved here would create an uncounted trial system). */
  get families() {
    return [...systemProfile(this.inner).families];
  }

  get allowances() {
    return [...systemProfile(this.inner).allowances];
  }

  create(options: SystemOptions): SystemUnderTest {
    const record: Created = { applies: 0 };
    this.created.push(record);
    return countingSystem(this.inner.create(options), record);
  }
}

/**
 * `system`, with every apply counted in `record`. Everything else passes through untouched
 * (a Proxy, so optional methods the contract may grow stay visible to the checker as they are).
 */
function countingSystem(system: SystemUnderTest, record: Created): SystemUnderTest {
  return new Proxy(system, {
    get(target, property) {
      if (property === "apply") {
        return (command: Command) => {
          record.applies++;
          return target.apply(command);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The failing run's index: the first number of fast-check's counterexample path. */
function failingRun(path: string): number {
  const run = Number(path.split(":")[0]);
  assert(Number.isSafeInteger(run) && run >= 0, `mutant hunt: unexpected counterexample path "${path}"`);
  return run;
}

function sumApplies(created: readonly Created[]): number {
  return created.reduce((sum, record) => sum + record.applies, 0);
}

/**
 * Requires: `options.variant` is one of the system's variants; `seeds` not empty.
 * Ensures: the first violation of the first killing seed, or a survivor after every seed
 * (or the budget); the same options give the same result except `seconds`.
 */
export function huntVariant(options: HuntOptions): HuntResult {
  assert(
    options.system.variants.some((variant) => variant.name === options.variant),
    `mutant hunt: ${options.system.name} has no variant ${options.variant}`,
  );
  assert(options.runs >= 1, `mutant hunt: ${options.runs} runs per seed`);
  const clock = options.clock ?? (() => 0);
  const start = clock();
  const budget = options.clock === undefined ? Number.POSITIVE_INFINITY : (options.budgetMilliseconds ?? Number.POSITIVE_INFINITY);
  let commands = 0;
  let seedsTried = 0;
  let unattributed = 0;
  for (const seed of options.seeds) {
    if (clock() - start >= budget) break;
    const system = new CountingFactory(options.system);
    const result = withoutShrinking(() => runCampaign({ ...options, system, seed }));
    seedsTried++;
    const found = result.violations[0];
    if (found !== undefined && failsFaithful(options, found)) unattributed++;
    else if (found !== undefined) return killedBy(options, found, system.created, { commands, seedsTried, unattributed, start, clock });
    commands += sumApplies(system.created);
  }
  const seconds = options.clock === undefined ? null : (clock() - start) / 1000;
  return {
    variant: options.variant,
    killed: false,
    seed: null,
    run: null,
    seedsTried,
    unattributed,
    commands,
    seconds,
    caughtBy: null,
    message: null,
    shrunkLength: null,
    ownShrunkLength: null,
    found: null,
  };
}

interface HuntProgress {
  readonly commands: number;
  readonly seedsTried: number;
  readonly unattributed: number;
  readonly start: number;
  readonly clock: () => number;
}

function killedBy(options: HuntOptions, found: FoundViolation, created: readonly Created[], progress: HuntProgress): HuntResult {
  const run = failingRun(found.path);
  assert(run < created.length, `mutant hunt: run ${run} failed, but only ${created.length} systems were created`);
  const seconds = options.clock === undefined ? null : (progress.clock() - progress.start) / 1000;
  const shrunk = options.shrink === false ? null : shrinkWithFastCheck(options, found);
  return {
    variant: options.variant,
    killed: true,
    seed: found.seed,
    run,
    seedsTried: progress.seedsTried,
    unattributed: progress.unattributed,
    commands: progress.commands + sumApplies(created.slice(0, run + 1)),
    seconds,
    caughtBy: found.violation.check,
    message: found.violation.message,
    shrunkLength: shrunk?.commands.length ?? null,
    ownShrunkLength: options.shrink === false ? null : ownShrunkLength(options, found),
    found: shrunk ?? found,
  };
}

/**
 * Runs `campaign` with fast-check stopping at the first failure instead of shrinking it
 * (the global parameter endOnFailure, restored afterwards: runCampaign takes no such option).
 */
function withoutShrinking<T>(campaign: () => T): T {
  const parameters = fc.readConfigureGlobal();
  fc.configureGlobal({ ...parameters, endOnFailure: true });
  try {
    return campaign();
  } finally {
    fc.configureGlobal(parameters);
  }
}

/** fast-check's shrink of the failing run alone (replayed by its path); null if it no longer fails. */
function shrinkWithFastCheck(options: HuntOptions, found: FoundViolation): FoundViolation | null {
  const parameters = fc.readConfigureGlobal();
  fc.configureGlobal({ ...parameters, endOnFailure: false });
  try {
    return runCampaign({ ...options, seed: found.seed, replay: { path: found.path } }).violations[0] ?? null;
  } finally {
    fc.configureGlobal(parameters);
  }
}

/** The replay setup of `found`, with `variant` switched on (null: the faithful system). */
function setupOf(options: HuntOptions, found: FoundViolation, variant: string | null): ReplaySetup {
  return { system: options.system, variant, world: found.world, contract: options.contract, hardwareSeed: found.hardwareSeed, failures: found.failureRates };
}

/** Whether the counterexample fails with the variant switched off too. */
function failsFaithful(options: HuntOptions, found: FoundViolation): boolean {
  return replayCommands(setupOf(options, found, null), found.commands).violation !== null;
}

/** The length properties/counterexample-files/shrink reaches from the campaign's counterexample (null if it no longer fails). */
function ownShrunkLength(options: HuntOptions, found: FoundViolation): number | null {
  return shrinkCounterexample(setupOf(options, found, options.variant), found.commands)?.commands.length ?? null;
}

/** Seeds `first`, `first + 1`, ... (`count` of them). */
export function* seedRange(first: number, count: number): Generator<number> {
  for (let seed = first; seed < first + count; seed++) yield seed;
}
