//! How bench measures: in CPU time (cpuMilliseconds), but for the comparison of thread counts,
//! which is elapsed time. Every case run once to warm the JIT up, then `repetitions` rounds in
//! which each case runs once in turn (interleaved, so a busy spell of the machine falls on
//! every case alike), each round giving one sample of the case's cost per unit (a command,
//! an operation). A figure is the median of its samples, with its spread: the lowest and
//! highest sample as a fraction of the median. A ratio of two cases is the median of the
//! per-round ratios, measured in the same rounds.

export interface BenchCase {
  readonly name: string;
  /** Does the work once. Ensures: the seconds it took and how many units it did. */
  run(): { readonly seconds: number; readonly units: number } | Promise<{ readonly seconds: number; readonly units: number }>;
}

export interface Figure {
  /** Median seconds per unit. */
  readonly secondsPerUnit: number;
  /** Lowest and highest sample, relative to the median (0.95, 1.08). */
  readonly spread: readonly [number, number];
  readonly samples: readonly number[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function figureOf(samples: readonly number[]): Figure {
  const middle = median(samples);
  const relative = (value: number) => (middle === 0 ? 1 : value / middle);
  return { secondsPerUnit: middle, spread: [relative(Math.min(...samples)), relative(Math.max(...samples))], samples };
}

/**
 * Warms every case up once, then runs `repetitions` interleaved rounds.
 * Requires: repetitions ≥ 1. Ensures: a figure per case, by name.
 */
export async function measureInterleaved(cases: readonly BenchCase[], repetitions: number): Promise<Map<string, Figure>> {
  for (const benchCase of cases) await benchCase.run();
  const samples = new Map<string, number[]>(cases.map((benchCase) => [benchCase.name, []]));
  for (let round = 0; round < repetitions; round++) {
    for (const benchCase of cases) {
      const { seconds, units } = await benchCase.run();
      samples.get(benchCase.name)!.push(seconds / Math.max(units, 1));
    }
  }
  return new Map([...samples].map(([name, values]) => [name, figureOf(values)]));
}

/** The median over rounds of `numerator`'s cost per unit over `denominator`'s (how many times slower). */
export function ratioOf(figures: ReadonlyMap<string, Figure>, numerator: string, denominator: string): Figure {
  const top = figures.get(numerator)!.samples;
  const bottom = figures.get(denominator)!.samples;
  return figureOf(top.map((value, round) => value / Math.max(bottom[round]!, 1e-12)));
}

/**
 * Milliseconds of CPU time this process has used (user and system, every thread). On a
 * machine shared with other work, elapsed time measures the machine's load; CPU time
 * measures the work, which is what a figure per core is.
 */
export function cpuMilliseconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** `figure` with every sample multiplied by `factor` (a cost per command made a cost per run). */
export function scaled(figure: Figure, factor: number): Figure {
  return figureOf(figure.samples.map((sample) => sample * factor));
}

/** Times `work`, which returns the units it did, in CPU time. */
export function timed(work: () => number): { seconds: number; units: number } {
  const start = cpuMilliseconds();
  const units = work();
  return { seconds: (cpuMilliseconds() - start) / 1000, units };
}
