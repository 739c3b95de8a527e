import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { REDRIVE_CONFIG_ENV_VAR, type RedriveConfig } from '../../../lib/config/redriveConfig.js';

/**
 * The same entry as the runtime's `redriveConfigEnvironment(config)` (one key, `{ version: 1, ...config }`),
 * for a configuration that holds CDK tokens such as the DLQ URL or the topic ARN: JSON.stringify would write
 * the tokens' placeholder text, while Stack.toJsonString renders them into the deployed value.
 *
 * @example
 * new lambda.Function(this, 'Redrive', {
 *   environment: redriveConfigEnvironment(this, {
 *     dlqUrl: orders.deadLetterQueue.queueUrl,
 *     sourceQueueUrl: orders.queue.queueUrl,
 *     healthAlarmName: orders.alarmNames.consumerHealth,
 *   }),
 *   ...
 * });
 */
export function redriveConfigEnvironment(scope: IConstruct, config: RedriveConfig): Record<string, string> {
  return { [REDRIVE_CONFIG_ENV_VAR]: Stack.of(scope).toJsonString({ version: 1, ...config }) };
}
