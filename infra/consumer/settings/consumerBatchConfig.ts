import type { BatchConfig } from '../../../lib/config/batchConfig.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import { idempotencyConfig } from '../idempotency/idempotencySettings.js';
import { sourcesEnvelope } from '../sources/queueSourcesProblems.js';
import type { ConsumerSettings } from './consumerSettings.js';

/** The addresses the construct fills into the consumer's configuration: references to what it creates. */
export interface ConsumerAddresses {
  readonly deadLetterQueueUrl: string;
  readonly topicArn: string;
  /** The attempt ledger, which every consumer gets. */
  readonly attemptLedgerTableName: string;
  /** The idempotency table, with the `idempotency` prop. */
  readonly idempotencyTableName?: string | undefined;
}

/**
 * What the construct writes into the consumer's SQS_FAILSAFE_CONFIG: `failsafe` as given, with the redelivery
 * backoff completed, the envelope its topic subscriptions deliver in, the attempt count the retry math used,
 * and the addresses of the DLQ, the topic, the attempt ledger and the idempotency table. The one builder for both uses: with stand-in addresses for validation
 * before anything is created, and with the resources' references for the deployed function, so that what is
 * validated is what is written.
 *
 * @example
 * consumerBatchConfig(props, settings, {
 *   deadLetterQueueUrl: dlq.queueUrl,
 *   topicArn: topic.topicArn,
 *   attemptLedgerTableName: ledger.tableName,
 * });
 */
export function consumerBatchConfig(
  props: FailsafeConsumerProps,
  settings: ConsumerSettings,
  addresses: ConsumerAddresses,
): BatchConfig {
  const { deadLetter, notifications, ...runtimeSettings } = props.failsafe ?? {};
  const envelope = sourcesEnvelope(props);
  return {
    ...runtimeSettings,
    ...(envelope === undefined ? {} : { envelope }),
    redeliveryBackoff: settings.redeliveryBackoff,
    deadLetter: {
      ...deadLetter,
      queueUrl: addresses.deadLetterQueueUrl,
      maxAttempts: settings.maxAttempts,
    },
    attemptLedger: { tableName: addresses.attemptLedgerTableName },
    notifications: { ...notifications, topicArn: addresses.topicArn },
    ...(addresses.idempotencyTableName === undefined
      ? {}
      : { idempotency: idempotencyConfig(props, addresses.idempotencyTableName) }),
  };
}
