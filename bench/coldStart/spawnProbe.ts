import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { batchConfigEnvironment } from '../../lib/config/batchConfig.js';

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
 * The runtime configuration FailsafeConsumer gives the worker it deploys (infra/consumer/FailsafeConsumer.ts):
 * a DLQ, the redelivery backoff and the outcome topic. Without a DLQ the worker would warn at every cold
 * start, loading the Powertools Logger to write that line (about 6 ms here), which no deployed worker does.
 */
const DEPLOYED_CONFIG = batchConfigEnvironment({
  deadLetter: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/bench-tasks-dlq' },
  redeliveryBackoff: { scheduleSeconds: [10, 60, 300] },
  notifications: { topicArn: 'arn:aws:sns:eu-west-1:111122223333:bench-tasks-events' },
});

/**
 * Runs importProbe.mjs in a new process of the same Node binary, as Lambda starts a new container. The
 * environment is the parent's minus NODE_OPTIONS, so the tsx loader running the benchmark is not carried
 * into the child, and without AWS_LAMBDA_LOG_LEVEL or POWERTOOLS_LOG_LEVEL, so the logger runs at its
 * default level (INFO) as in a deployed function. The worker's configuration is the one the construct
 * deploys it with (DEPLOYED_CONFIG).
 */
export function spawnProbe(mode: 'time' | 'audit', entry: string, eventPath: string): ProbeResult {
  const { NODE_OPTIONS: _loader, AWS_LAMBDA_LOG_LEVEL: _a, POWERTOOLS_LOG_LEVEL: _b, ...env } = process.env;
  const stdout = execFileSync(process.execPath, [PROBE, mode, entry, eventPath], {
    encoding: 'utf8',
    env: { ...env, ...DEPLOYED_CONFIG },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(lastLine) as ProbeResult;
}
