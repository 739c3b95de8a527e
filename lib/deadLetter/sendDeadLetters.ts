import type { AwsCallLatency } from '../aws/awsCallLatency.js';
import type { AwsClients } from '../aws/awsClients.js';
import { toSdkAttributes } from '../aws/eventAttributes.js';
import type { OutgoingMessage } from '../aws/sqsBatchApi.js';
import type { DeadLetterConfig } from '../config/batchConfig.js';
import { entry } from '../failureLayer/entryParts.js';
import type { BatchContext, DeadLetterReason, RecordOutcome } from '../types.js';
import { encodeFailureMetadata } from './failureMetadata.js';
import { sendDeadLetterCopies } from './resendWithoutRefusedAttribute.js';

/**
 * The work of the deadLetterRouter stage (its guarantees are written there): builds each routed record's
 * DLQ copy with its failure metadata, sends the copies in batches, and marks an outcome dead-lettered only
 * for a copy the DLQ accepted.
 */
export async function sendDeadLetters(
  config: DeadLetterConfig,
  aws: AwsClients,
  outcomes: readonly RecordOutcome[],
  batch: BatchContext,
  latency?: AwsCallLatency,
): Promise<void> {
  const dlqIsFifo = config.queueUrl.endsWith('.fifo');
  const routed = outcomes.flatMap((outcome) => {
    const reason = entry.deadLetterReason(outcome, config);
    return reason === undefined ? [] : [{ outcome, reason }];
  });
  if (routed.length === 0) return;

  if (dlqIsFifo !== batch.queue.fifo) {
    const problem =
      `the DLQ ${config.queueUrl} is ${dlqIsFifo ? 'FIFO' : 'standard'} but the source queue ` +
      `${batch.queue.name} is ${batch.queue.fifo ? 'FIFO' : 'standard'}; SQS requires the same type`;
    for (const { outcome } of routed) refuse(outcome, problem, batch);
    return;
  }

  const at = Date.now();
  const sendable: { outcome: RecordOutcome; reason: DeadLetterReason; message: OutgoingMessage }[] = [];
  for (const { outcome, reason } of routed) {
    const message = deadLetterMessage(outcome, reason, batch, at);
    if ('problem' in message) refuse(outcome, message.problem, batch);
    else sendable.push({ outcome, reason, message });
  }
  if (sendable.length === 0) return;

  const results = await sendDeadLetterCopies(
    config.queueUrl,
    sendable.map(({ message }) => message),
    // A send cut at the deadline may have arrived; sent again on the next receive, it would be a
    // duplicate. A FIFO DLQ drops the repeat (docs/aws-semantics.md#fifo-deduplication-interval), so only
    // standard queues hold back a send the time left cannot cover.
    { deadline: batch.budget.hardDeadline, latency, idempotent: dlqIsFifo },
    aws.sqs,
    ({ index, attribute, failure }) => {
      const { messageId } = (sendable[index] as (typeof sendable)[number]).outcome.record;
      batch.logger.warn(
        `Message ${messageId} is sent to the DLQ again without its attribute '${attribute}', which SQS ` +
          `refused (${failure.code}: ${failure.message})`,
        { messageId, attribute, code: failure.code },
      );
    },
  );
  let accepted = 0;
  for (const [index, result] of results.entries()) {
    const { outcome, reason } = sendable[index] as (typeof sendable)[number];
    if (!result.ok) {
      const { code, message } = result.failure;
      refuse(
        outcome,
        code === 'TimeoutError'
          ? `the DLQ did not answer in time (${code}: ${message}); if the send arrived after all, the DLQ ` +
              'holds a copy already and a later one will be a duplicate'
          : `the DLQ did not accept it (${code}: ${message})`,
        batch,
      );
      continue;
    }
    accepted += 1;
    outcome.deadLetter = { queueUrl: config.queueUrl, messageId: result.value.messageId, reason, at };
    batch.hooks.call('onDeadLetter', outcome, outcome.messageId);
  }
  batch.metrics.add(entry.METRIC.deadLettered, accepted);
}

function deadLetterMessage(
  outcome: RecordOutcome,
  reason: DeadLetterReason,
  batch: BatchContext,
  at: number,
): OutgoingMessage | { problem: string } {
  const { record } = outcome;
  const receiveCount = entry.receiveCountOf(record);
  const firstReceivedAt = entry.firstReceiveTimestampOf(record);
  const encoded = encodeFailureMetadata(record.body, toSdkAttributes(record.messageAttributes), {
    errorClass: outcome.error?.name ?? 'Error',
    errorMessage: outcome.error?.message ?? '',
    reason,
    ...(receiveCount === undefined ? {} : { receiveCount }),
    attempts: outcome.history?.attempts ?? outcome.attempts,
    sourceQueueArn: batch.queue.arn,
    ...(firstReceivedAt === undefined ? {} : { firstReceivedAt: new Date(firstReceivedAt).toISOString() }),
    deadLetteredAt: new Date(at).toISOString(),
    functionName: batch.lambdaContext.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'unknown',
    history: outcome.history,
  });
  if (!encoded.ok) return { problem: encoded.problem };
  const traceHeader = record.attributes.AWSTraceHeader;
  return {
    body: record.body,
    attributes: encoded.attributes,
    ...(traceHeader === undefined ? {} : { traceHeader }),
    ...(batch.queue.fifo
      ? { messageGroupId: record.attributes.MessageGroupId, deduplicationId: record.messageId }
      : {}),
  };
}

function refuse(outcome: RecordOutcome, problem: string, batch: BatchContext): void {
  const { messageId } = outcome;
  outcome.deadLetterError = new entry.errors.DeadLetterRoutingError(
    `Message ${messageId} could not be dead-lettered: ${problem}. It stays in the source queue and reaches the ` +
      'DLQ through the queue redrive policy.',
    { messageId },
  );
  batch.logger.error(outcome.deadLetterError.message, { messageId, problem });
}
