import type { AwsCallLatency } from '../aws/awsCallLatency.js';
import type { AwsClients } from '../aws/awsClients.js';
import type { RedeliveryBackoffConfig } from '../config/batchConfig.js';
import type { OutcomeStage } from '../types.js';
import { applyVisibilityBackoff } from './applyVisibilityBackoff.js';
import { needsBackoff } from './needsBackoff.js';

/**
 * Spaces out redeliveries: every record that failed with a retryable error (and was not dead-lettered)
 * gets a visibility timeout chosen by its receive count, so SQS hands it back after that delay instead of
 * after the queue's fixed timeout. Records that were skipped (never attempted: FIFO order, or no time left)
 * are released at once (0): they are not at fault and should not wait a whole visibility timeout. On a
 * FIFO queue that keeps order, since SQS hands out nothing more of a group while its failed message is in
 * flight. Every record is reported failed either way: if SQS refuses a change, the message only comes back
 * at another time, it is never lost.
 *
 * A healthy batch returns at the first check; the AWS SDK is loaded only when a change is made.
 */
export function visibilityBackoff(
  config: RedeliveryBackoffConfig,
  aws: AwsClients = {},
  latency?: AwsCallLatency,
): OutcomeStage {
  return {
    name: 'visibilityBackoff',
    async run(outcomes, batch) {
      if (!outcomes.some(needsBackoff)) return;
      await applyVisibilityBackoff(config, aws, outcomes, batch, latency);
    },
  };
}
