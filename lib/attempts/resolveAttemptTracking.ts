import type { AwsClients } from '../aws/awsClients.js';
import { BATCH_CONFIG_DEFAULTS, type BatchConfig } from '../config/batchConfig.js';
import { lazyAttemptLedger } from '../failureLayer/lazyAttemptLedger.js';
import type { AttemptTracking } from './attemptTracking.js';

/**
 * The consumer's attempt tracking from its configuration, once per container (attemptTracking.ts says
 * when counting is on). The ledger is the failure layer's, loaded on its first read or write.
 */
export function resolveAttemptTracking(config: BatchConfig, aws: AwsClients): AttemptTracking | undefined {
  const maxAttempts = config.deadLetter?.maxAttempts;
  if (maxAttempts === undefined) return undefined;
  return {
    maxAttempts,
    redelivery: config.redelivery ?? BATCH_CONFIG_DEFAULTS.redelivery,
    ledger:
      config.attemptLedger === undefined ? undefined : lazyAttemptLedger(config.attemptLedger, aws.dynamodb),
  };
}
