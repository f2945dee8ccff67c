//! Failure injection, owned by the devices and driven by the machine's seeded generator.
//!
//! Each device asks `fails(kind)` at the one place its operation can fail. A failure comes
//! from an armed one-shot (`armNext`, the shrinkable `failNext` command) or from the run's
//! rate for that kind (swarm-chosen per run). Everything is off by default, and the random
//! source is only consulted for kinds with a non-zero rate, so a run without rates draws no
//! random numbers at all and is trivially reproducible.

import type { FailureKind, FailureRates } from "../../vocabulary/failure.ts";
import type { RandomSource } from "./random-source.ts";

export type { FailureKind, FailureRates } from "../../vocabulary/failure.ts";

export class FailureInjector {
  private readonly armed = new Map<FailureKind, number>();
  private rates: FailureRates = {};
  private readonly injected = new Map<FailureKind, number>();

  constructor(private readonly random: RandomSource) {}

  /** Requires: every rate in [0, 1]. */
  setRates(rates: FailureRates): void {
    for (const [kind, rate] of Object.entries(rates)) {
      if (!(rate !== undefined && rate >= 0 && rate <= 1)) throw new RangeError(`failure rate ${kind}=${rate}`);
    }
    this.rates = { ...rates };
  }

  /** The next operation of `kind` fails. */
  armNext(kind: FailureKind): void {
    this.armed.set(kind, (this.armed.get(kind) ?? 0) + 1);
  }

  disarmAll(): void {
    this.armed.clear();
    this.rates = {};
  }

  /** Whether the operation of `kind` happening now fails. */
  fails(kind: FailureKind): boolean {
    const armed = this.armed.get(kind) ?? 0;
    let failing = false;
    if (armed > 0) {
      this.armed.set(kind, armed - 1);
      failing = true;
    } else {
      const rate = this.rates[kind] ?? 0;
      failing = rate > 0 && this.random.next() < rate;
    }
    if (failing) this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
    return failing;
  }

  injectedCount(kind: FailureKind): number {
    return this.injected.get(kind) ?? 0;
  }
}
