import { Stack, Token } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { BATCH_CONFIG_DEFAULTS } from '../../../lib/config/batchConfig.js';
import type { ConsumerSetup } from '../../../lib/setupRules/consumerSetup.js';
import { resolveBreakerSettings } from '../breaker/breakerSettings.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import { describeRetryHorizon } from '../retry/retryHorizon.js';
import type { ConsumerSettings } from '../settings/consumerSettings.js';

/**
 * PROVISIONAL, until the contract branch lands its describeConsumerSetup (which replaces this): the consumer's
 * parts the deploy-time check cannot read, as the setup rules describe them.
 */
export function provisionalConsumerSetup(
  scope: Construct,
  props: FailsafeConsumerProps,
  settings: ConsumerSettings,
): Omit<ConsumerSetup, 'queue' | 'deadLetterQueue'> {
  const region = Stack.of(scope).region;
  const breaker = resolveBreakerSettings(props);
  return {
    region: Token.isUnresolved(region) ? undefined : region,
    mapping: {
      batchSize: settings.batchSize,
      maxBatchingWindowSeconds: settings.maxBatchingWindowSeconds,
      maxConcurrency: props.maxConcurrency,
      reportBatchItemFailures: true,
    },
    consumer: {
      timeoutSeconds: settings.functionTimeoutSeconds,
      reservedConcurrency: reservedConcurrency(props.consumerFunction),
    },
    attempts: { maxAttempts: settings.maxAttempts, redelivery: settings.redelivery },
    attemptLedger: { expiresAfterSeconds: BATCH_CONFIG_DEFAULTS.attemptLedger.expiresAfterSeconds },
    retryHorizon: {
      totalSeconds: settings.horizon.totalSeconds,
      description: describeRetryHorizon(settings.horizon),
    },
    consumerBreaker:
      breaker === undefined
        ? undefined
        : { cooldownSeconds: breaker.cooldownSeconds, probeSeconds: breaker.probeSeconds },
  };
}

function reservedConcurrency(fn: lambda.Function | undefined): number | undefined {
  const value = (fn?.node.defaultChild as lambda.CfnFunction | undefined)?.reservedConcurrentExecutions;
  return value === undefined || Token.isUnresolved(value) ? undefined : value;
}
