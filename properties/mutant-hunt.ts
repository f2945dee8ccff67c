//! Hunting one planted bug (a mutant, canary or seed-bug variant) with the default campaign:
//! properties/campaign.ts's runCampaign, seed after seed (in the order given, each seed a
//! whole campaign of `runs` runs), until the first violation, the last seed, or the time
//! budget (checked before each seed). What the mutation report (`uvmcheck mutants`) prints
//! per variant:
//!
//!   killed        whether some seed's campaign found a violation
//!   commands      commands the system executed until the first violation: every run of the
//!                 seeds before, then the runs of the killing seed up to and including the
//!                 failing one (fast-check's path names it); shrinking excluded
//!   seconds       wall-clock time until the violation was detected (before shrinking);
//!                 only with a clock, which the command line gives and tests never do
//!   shrunkLength  the fast-check-shrunk counterexample's concrete commands
//!   ownShrunk     the same, shrunk further by properties/shrink (1-minimal, smaller world)
//!   caughtBy      the violation's check: outcome, observation, invariant:<name>, assertion,
//!                 liveness, healed (or crash)
//!
//! A violation is a kill only if it is the variant's: the shrunk counterexample is replayed
//! with the variant switched off, and if the faithful system fails it too, the violation is
//! counted in `unattributed` and the hunt goes on with the next seed (a bug of the faithful
//! system must not pass for a kill).
//!
//! Commands are counted by wrapping the system factory: each run creates one system, so the
//! n-th system created is the n-th run of the campaign, and the systems created after the
//! failing run are fast-check's shrink attempts. Everything but `seconds` is deterministic.

import { assert } from "../vocabulary/assert.ts";
import type { Command } from "../vocabulary/command.ts";
import type { SystemFactory, SystemOptions, SystemUnderTest } from "../vocabulary/system-under-test.ts";
import type { WorldConfig } from "../vocabulary/world.ts";
import { type FoundViolation, runCampaign } from "./campaign.ts";
import { type ReplaySetup, replayCommands } from "./replay.ts";
import type { Contract } from "./runner.ts";
import { shrinkCounterexample } from "./shrink/shrink.ts";

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
  /** Shrink the counterexample further with properties/shrink (default true). */
  readonly ownShrink?: boolean;
  /** Called after each seed's campaign. */
  readonly onSeed?: (seed: number) => void;
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
  readonly caughtBy: string | null;
  readonly message: string | null;
  readonly shrunkLength: number | null;
  readonly ownShrunkLength: number | null;
  /** The campaign's finding, for printing or saving as a counterexample file. */
  readonly found: FoundViolation | null;
}

interface Created {
  readonly at: number;
  applies: number;
}

/** The factory, counting the commands each created system applies and when it was created. */
class CountingFactory implements SystemFactory {
  readonly created: Created[] = [];

  constructor(
    private readonly inner: SystemFactory,
    private readonly clock: () => number,
  ) {}

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

  create(options: SystemOptions): SystemUnderTest {
    const record: Created = { at: this.clock(), applies: 0 };
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
    const system = new CountingFactory(options.system, clock);
    const result = runCampaign({ ...options, system, seed });
    seedsTried++;
    options.onSeed?.(seed);
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
  const detected = created[run + 1]?.at ?? progress.clock();
  return {
    variant: options.variant,
    killed: true,
    seed: found.seed,
    run,
    seedsTried: progress.seedsTried,
    unattributed: progress.unattributed,
    commands: progress.commands + sumApplies(created.slice(0, run + 1)),
    seconds: options.clock === undefined ? null : (detected - progress.start) / 1000,
    caughtBy: found.violation.check,
    message: found.violation.message,
    shrunkLength: found.commands.length,
    ownShrunkLength: options.ownShrink === false ? null : ownShrunkLength(options, found),
    found,
  };
}

/** The replay setup of `found`, with `variant` switched on (null: the faithful system). */
function setupOf(options: HuntOptions, found: FoundViolation, variant: string | null): ReplaySetup {
  return { system: options.system, variant, world: options.world, contract: options.contract, hardwareSeed: found.hardwareSeed, failures: found.failureRates };
}

/** Whether the counterexample fails with the variant switched off too. */
function failsFaithful(options: HuntOptions, found: FoundViolation): boolean {
  return replayCommands(setupOf(options, found, null), found.commands).violation !== null;
}

/** The length properties/shrink reaches from the campaign's counterexample (null if it no longer fails). */
function ownShrunkLength(options: HuntOptions, found: FoundViolation): number | null {
  return shrinkCounterexample(setupOf(options, found, options.variant), found.commands)?.commands.length ?? null;
}

/** Seeds `first`, `first + 1`, ... (`count` of them). */
export function* seedRange(first: number, count: number): Generator<number> {
  for (let seed = first; seed < first + count; seed++) yield seed;
}
