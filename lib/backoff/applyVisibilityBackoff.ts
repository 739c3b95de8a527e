import type { AwsCallLatency } from '../aws/awsCallLatency.js';
import type { AwsClients } from '../aws/awsClients.js';
import { queueUrlFromArn } from '../aws/queueUrl.js';
import { changeVisibility } from '../aws/sqsBatchApi.js';
import type { RedeliveryBackoffConfig } from '../config/batchConfig.js';
import { receiveCountOf } from '../event/recordAttributes.js';
import { METRIC } from '../metrics/metricNames.js';
import type { BatchContext, RecordOutcome } from '../types.js';
import { needsBackoff } from './needsBackoff.js';
import { clampVisibility, redeliveryDelaySeconds } from './redeliveryDelay.js';

/**
 * The work of the visibilityBackoff stage (its reasons are written there): sets each candidate's
 * visibility timeout in batches of 10 and records what SQS accepted on the outcome.
 */
export async function applyVisibilityBackoff(
  config: RedeliveryBackoffConfig,
  aws: AwsClients,
  outcomes: readonly RecordOutcome[],
  batch: BatchContext,
  latency?: AwsCallLatency,
): Promise<void> {
  const candidates = outcomes.filter(needsBackoff);
  if (candidates.length === 0) return;
  const now = Date.now();
  const delays = candidates.map((outcome) =>
    outcome.status === 'skipped'
      ? 0
      : clampVisibility(
          // An unusable receive count is read as a first receive: the shortest delay, never NaN.
          redeliveryDelaySeconds(receiveCountOf(outcome.record) ?? 1, config),
          batch.startedAt,
          now,
        ),
  );
  const results = await changeVisibility(
    queueUrlFromArn(batch.queue),
    candidates.map((outcome, index) => ({
      receiptHandle: outcome.record.receiptHandle,
      visibilityTimeout: delays[index] as number,
    })),
    { deadline: batch.budget.hardDeadline, latency },
    aws.sqs,
  );
  let refused = 0;
  for (const [index, result] of results.entries()) {
    const outcome = candidates[index] as RecordOutcome;
    if (result.ok) {
      outcome.retryScheduled = { delaySeconds: delays[index] as number, at: now };
      batch.hooks.call('onRetryScheduled', outcome, outcome.record.messageId);
      continue;
    }
    refused += 1;
    batch.logger.warn('Redelivery delay not set; the message returns after the queue visibility timeout', {
      messageId: outcome.record.messageId,
      code: result.failure.code,
      reason: result.failure.message,
    });
  }
  batch.metrics.add(METRIC.retriesScheduled, results.length - refused);
  if (refused > 0) batch.metrics.add(METRIC.visibilityChangesFailed, refused);
}
