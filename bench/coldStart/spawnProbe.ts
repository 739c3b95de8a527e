import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROBE = resolve(dirname(fileURLToPath(import.meta.url)), 'importProbe.mjs');

export interface ProbeResult {
  readonly importMs: number;
  readonly firstBatchMs: number;
  /** batchItemFailures the handler returned: 0 on a happy batch. */
  readonly failures: number;
  /** Every module URL resolved in the child (audit mode only). */
  readonly resolved?: readonly string[];
}

/**
 * Runs importProbe.mjs in a new process of the same Node binary, as Lambda starts a new container. The
 * environment is the parent's minus NODE_OPTIONS, so the tsx loader running the benchmark is not carried
 * into the child, and without AWS_LAMBDA_LOG_LEVEL or POWERTOOLS_LOG_LEVEL, so the logger runs at its
 * default level (INFO) as in a deployed function.
 */
export function spawnProbe(mode: 'time' | 'audit', entry: string, eventPath: string): ProbeResult {
  const { NODE_OPTIONS: _loader, AWS_LAMBDA_LOG_LEVEL: _a, POWERTOOLS_LOG_LEVEL: _b, ...env } = process.env;
  const stdout = execFileSync(process.execPath, [PROBE, mode, entry, eventPath], {
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(lastLine) as ProbeResult;
}
