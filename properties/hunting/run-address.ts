//! Where a campaign's run comes from: run `index` of the campaign with seed `seed` is the
//! run fast-check draws at path `index mod 1000` from a seed of its block of 1000 runs:
//!
//!   runs     0 ..   999   seed itself         (the runs one fast-check check of the seed draws)
//!   runs  1000 ..  1999   mix(seed, 1)
//!   runs  k000 .. k999    mix(seed, k)
//!
//! so any run is reproducible alone from (campaign seed, index), whichever thread or machine
//! ran it, and reaching run `index` costs at most 999 of fast-check's random-stream jumps
//! (it skips to a path one jump per run). Within a block the runs are those of a fast-check
//! check of the block's seed, its bias schedule (small values more often early) included.

/** Runs per block: the most jumps fast-check makes to reach a run. */
export const runsPerBlock = 1000;

/** A 31-bit mix of `seed` and `block` (splitmix32's finalizer); never called for block 0. */
function blockSeed(seed: number, block: number): number {
  let mixed = (seed ^ Math.imul(block, 0x9e3779b9)) >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x21f0aaad) >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 15), 0x735a2d97) >>> 0;
  return (mixed ^ (mixed >>> 15)) & 0x7fffffff;
}

/**
 * The fast-check seed and path of run `index` of the campaign with seed `seed`.
 * Requires: `index` a non-negative integer. Ensures: runs below `runsPerBlock` keep `seed`
 * and have path `String(index)`; a pure function of (seed, index).
 */
export function runAddress(seed: number, index: number): { readonly seed: number; readonly path: string } {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`runAddress: run index ${index} is not a non-negative integer`);
  const block = Math.floor(index / runsPerBlock);
  return { seed: block === 0 ? seed : blockSeed(seed, block), path: String(index % runsPerBlock) };
}
