import { vi } from 'vitest';

/**
 * Captures the EMF lines the runtime writes to stdout and returns them parsed, one object per invocation.
 * Restore with vi.restoreAllMocks().
 */
export function captureMetricLines(): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if ('_aws' in parsed) lines.push(parsed);
    }
    return true;
  });
  return lines;
}
