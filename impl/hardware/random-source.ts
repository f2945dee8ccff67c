//! The machine's one source of randomness: seedrandom's alea generator, seeded per run.
//! Simulated code never calls Math.random; everything random flows from here, so the same
//! seed gives the same run.

import seedrandom from "seedrandom";

export class RandomSource {
  private readonly generator: seedrandom.PRNG;

  constructor(seed: number) {
    this.generator = seedrandom.alea(String(seed));
  }

  /** A number in [0, 1). */
  next(): number {
    return this.generator();
  }
}
