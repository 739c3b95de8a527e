import { InvalidArgumentError } from 'commander';
import type { OutageWindow } from './downstreamService.js';

/** `--outage start:duration` in seconds, e.g. `5:30`: from 5 s after the start, for 30 s. */
export function parseOutageWindow(value: string): OutageWindow {
  const [start, duration, extra] = value.split(':').map(Number);
  if (
    extra !== undefined ||
    !Number.isFinite(start) ||
    !Number.isFinite(duration) ||
    (start as number) < 0 ||
    (duration as number) <= 0
  ) {
    throw new InvalidArgumentError('--outage takes start:duration in seconds, e.g. 5:30.');
  }
  return { startSeconds: start as number, durationSeconds: duration as number };
}
