import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { BATCH_CONFIG_ENV_VAR, type BatchConfig } from '../../../lib/config/batchConfig.js';

/**
 * The same entry as the runtime's `batchConfigEnvironment(config)` (one key, `{ version: 1, ...config }`), for a
 * configuration that holds CDK tokens such as the DLQ URL or the topic ARN: JSON.stringify would write the
 * tokens' placeholder text, while Stack.toJsonString renders them into the deployed value.
 *
 * @example
 * new lambda.Function(this, 'Consumer', {
 *   environment: batchConfigEnvironment(this, { deadLetter: { queueUrl: dlq.queueUrl } }),
 *   ...
 * });
 */
export function batchConfigEnvironment(scope: IConstruct, config: BatchConfig): Record<string, string> {
  return { [BATCH_CONFIG_ENV_VAR]: Stack.of(scope).toJsonString({ version: 1, ...config }) };
}
