/** Number formats shared by every table, fixed so that output pastes into reports unchanged. */

/** Microseconds with a precision that suits their size: 3.42, 34.2, 342, 3,420. */
export function formatMicros(us: number): string {
  if (us < 10) return us.toFixed(2);
  if (us < 100) return us.toFixed(1);
  return Math.round(us).toLocaleString('en-US');
}

/** Milliseconds with two decimals: cold-start figures sit in the 1..10 ms range. */
export function formatMillis(ms: number): string {
  return `${ms.toFixed(2)} ms`;
}

/** How many times the baseline a value is: "1.00×", "2.35×". */
export function formatRatio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(2)}×`;
}

/** Bytes as exact count and a readable size: "26,177 B (25.6 KiB)". */
export function formatBytes(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} B`;
  return bytes < 1024 ? exact : `${exact} (${(bytes / 1024).toFixed(1)} KiB)`;
}

/** "met" or "MISSED", in capitals when missed so it stands out in a terminal. */
export function formatVerdict(met: boolean): string {
  return met ? 'met' : 'MISSED';
}
