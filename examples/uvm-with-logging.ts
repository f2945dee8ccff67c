//! An example of a pluggable system under test: the built-in UVM system, wrapped so that it
//! counts (and, when asked, logs) every command it is given.
//!
//! It is the smallest module `--system PATH` accepts that still does real work, and it shows
//! every part of the contract (vocabulary/system-under-test.ts, docs/pluggable-systems.md):
//!
//!   default export   a SystemFactory: name, description, variants, requiredCoverage, create,
//!                    and optionally families (the command families it runs) and allowances
//!                    (the model's allowances it is held to)
//!   create(options)  one fresh, deterministic system per run (world, variant, seed)
//!   apply            run one command to completion, return its outcome
//!   observe          every mapped page and every file, read without faulting
//!   checkInvariants  the system's own heap walks (here: UVM's)
//!   coverage         named counters; this wrapper adds `logging.commands`, `logging.errors`
//!   describeFrames,  optional, for `replay --trace`: passed through to the wrapped system
//!   drainFrameEvents
//!   drainCompletions, optional, for threads (`start`, `resume`): what completed, who is parked
//!   parkedThreads
//!
//! Try it:
//!
//!   npx uvmcheck run --system examples/uvm-with-logging.ts --runs 30 --seed 1
//!   UVMCHECK_LOG=1 npx uvmcheck run --system examples/uvm-with-logging.ts --runs 1 --seed 1
//!   npx uvmcheck diff --a uvm --b examples/uvm-with-logging.ts:canary-cow-copy-skip --seed 1
//!
//! With `UVMCHECK_LOG=1` each command is one line on stderr, fixed columns, legend first.
//! Logging only writes; it never changes what the system does, so runs stay deterministic.

import { uvmSystem } from "../systems/uvm.ts";
import type { Command } from "../vocabulary/command.ts";
import type { FrameDescription, FrameEvent } from "../vocabulary/frame-trace.ts";
import type { Observation } from "../vocabulary/observation.ts";
import { formatOutcome, type Outcome } from "../vocabulary/outcome.ts";
import type { InvariantViolation, ParkedThread, SystemFactory, SystemOptions, SystemUnderTest, ThreadCompletion } from "../vocabulary/system-under-test.ts";

const logging = process.env.UVMCHECK_LOG === "1";
let legendWritten = false;
/** Systems created so far in this process; numbers each one's log lines. */
let systemsCreated = 0;

class LoggingSystem implements SystemUnderTest {
  readonly invariantNames: readonly string[];
  /** Commands applied so far; changed only by `apply`. */
  private commandsApplied = 0;
  /** Commands that returned an errno; changed only by `apply`. */
  private errorsReturned = 0;

  constructor(
    private readonly inner: SystemUnderTest,
    private readonly systemNumber: number,
  ) {
    this.invariantNames = inner.invariantNames;
  }

  apply(command: Command): Outcome {
    const outcome = this.inner.apply(command);
    this.commandsApplied++;
    if (outcome.kind === "error") this.errorsReturned++;
    if (logging) writeLogLine(this.systemNumber, this.commandsApplied - 1, command, outcome);
    return outcome;
  }

  observe(): Observation {
    return this.inner.observe();
  }

  checkInvariants(options?: { readonly quiescent: boolean }): InvariantViolation | null {
    return this.inner.checkInvariants(options);
  }

  coverage(): ReadonlyMap<string, number> {
    const counters = new Map(this.inner.coverage());
    counters.set("logging.commands", this.commandsApplied);
    counters.set("logging.errors", this.errorsReturned);
    return counters;
  }

  describeFrames(): readonly FrameDescription[] {
    return this.inner.describeFrames?.() ?? [];
  }

  drainFrameEvents(): readonly FrameEvent[] {
    return this.inner.drainFrameEvents?.() ?? [];
  }

  drainCompletions(): readonly ThreadCompletion[] {
    return this.inner.drainCompletions?.() ?? [];
  }

  parkedThreads(): readonly ParkedThread[] {
    return this.inner.parkedThreads?.() ?? [];
  }
}

function writeLogLine(systemNumber: number, step: number, command: Command, outcome: Outcome): void {
  if (!legendWritten) {
    process.stderr.write("system  step  kind        outcome  command\n");
    legendWritten = true;
  }
  const columns = [String(systemNumber).padStart(6), String(step).padStart(5), command.kind.padEnd(10), formatOutcome(outcome).padEnd(7)];
  process.stderr.write(`${columns.join("  ")}  ${JSON.stringify(command)}\n`);
}

const system: SystemFactory = {
  name: "uvm-with-logging",
  description: `${uvmSystem.description}, counting and optionally logging every command`,
  // The wrapped system's planted bugs work unchanged: prepare() loads the variant's code
  // (a canary's or mutant's copy of impl/), create() passes the variant through.
  variants: uvmSystem.variants,
  ...(uvmSystem.prepare === undefined ? {} : { prepare: uvmSystem.prepare }),
  requiredCoverage: [...uvmSystem.requiredCoverage, "logging.commands"],
  // The same command families and allowances as the wrapped system (a module without these
  // fields gets every family, threads only if it has drainCompletions, and every allowance).
  ...(uvmSystem.families === undefined ? {} : { families: uvmSystem.families }),
  ...(uvmSystem.allowances === undefined ? {} : { allowances: uvmSystem.allowances }),
  create(options: SystemOptions): SystemUnderTest {
    systemsCreated++;
    return new LoggingSystem(uvmSystem.create(options), systemsCreated);
  },
};

export default system;
