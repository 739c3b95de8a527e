/**
 * The value below which `fraction` of the samples fall (nearest rank), for the few dozen samples of the
 * cold-start suite; in-process timings get their percentiles from mitata.
 */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) throw new RangeError('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}
