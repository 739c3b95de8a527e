import type { AwsCallLatency } from '../aws/awsCallLatency.js';
import type { AwsClients } from '../aws/awsClients.js';
import type { DeadLetterConfig } from '../config/batchConfig.js';
import { withFailureLayer } from '../failureLayer/loadFailureLayer.js';
import type { OutcomeStage } from '../types.js';
import { deadLetterReason } from './deadLetterReason.js';

/**
 * Rejects without requeue: sends records that cannot or should not be retried straight to the DLQ, with
 * their body, their attributes and failure metadata. A record counts as handled (and is deleted from the
 * source by SQS) only once the DLQ has accepted its copy; when the send fails, it is reported failed and
 * stays in the source. A crash between the two leaves a duplicate in the DLQ, never a loss; on FIFO queues
 * the deduplication id makes a repeated send within five minutes harmless. The sends (sendDeadLetters) are
 * in the failure layer, loaded by the first batch that has a record to route.
 */
export function deadLetterRouter(
  config: DeadLetterConfig,
  aws: AwsClients = {},
  latency?: AwsCallLatency,
): OutcomeStage {
  return {
    name: 'deadLetterRouter',
    // Not async: a healthy batch returns at once, with no promise for the runner to await and no timer
    // for a stage left behind.
    run(outcomes, batch) {
      if (!outcomes.some((outcome) => deadLetterReason(outcome, config) !== undefined)) return;
      return withFailureLayer((layer) => layer.sendDeadLetters(config, aws, outcomes, batch, latency));
    },
  };
}
