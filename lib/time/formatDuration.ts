const UNITS: readonly (readonly [string, number])[] = [
  ['days', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

/**
 * Seconds in the units a person reads, largest first, zero parts left out: `4 days`, `2 h 5 min 30 s`,
 * `0 s`. Fractions of a second are rounded up, since every value here is a bound.
 *
 * @example
 * formatDuration(7_530) // '2 h 5 min 30 s'
 */
export function formatDuration(seconds: number): string {
  let rest = Math.ceil(seconds);
  if (rest <= 0) return '0 s';
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0) parts.push(`${amount} ${amount === 1 && unit === 'days' ? 'day' : unit}`);
  }
  return parts.join(' ');
}

/**
 * A duration as settings and findings show it: short ones in seconds, longer ones in a person's units with the
 * seconds after them, so the value can be compared with what AWS's APIs take. Not-whole or negative values
 * are shown as they are.
 *
 * @example
 * describeSeconds(3_600) // '1 h (3600 s)'
 * describeSeconds(45) // '45 s'
 */
export function describeSeconds(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0) return `${seconds} s`;
  return seconds < 60 ? `${seconds} s` : `${formatDuration(seconds)} (${seconds} s)`;
}
