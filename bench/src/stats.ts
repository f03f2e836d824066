/**
 * @module
 * Small statistics over samples: the suite reports medians of rounds and
 * percentiles of latencies, never a single noisy figure.
 */

/** The median of the samples (the mean of the two middle ones for an even count); NaN when empty. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (0-100) by the nearest-rank method; NaN when empty. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in 0..100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** subject / baseline, NaN when either is missing or the baseline is 0. */
export function ratio(subject: number, baseline: number): number {
  return Number.isFinite(subject) && Number.isFinite(baseline) && baseline !== 0
    ? subject / baseline
    : Number.NaN;
}

/** Milliseconds since `start` (a `process.hrtime.bigint()` reading), as a float. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * The median of per-round ratios subject[i] / baseline[i]. Rounds run back to
 * back, so a drift in machine load hits both sides of a pair alike; the
 * median of the pairs is steadier than a ratio of two medians.
 */
export function pairedRatio(subject: readonly number[], baseline: readonly number[]): number {
  if (subject.length !== baseline.length)
    throw new RangeError(`unpaired rounds: ${subject.length} vs ${baseline.length}`);
  return median(subject.map((s, i) => ratio(s, baseline[i]!)).filter(Number.isFinite));
}
