import { Stack, Token } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import {
  MAX_RETENTION_SECONDS,
  MAX_VISIBILITY_SECONDS,
  MIN_RETENTION_SECONDS,
} from '../../../lib/aws/serviceLimits.js';
import { BATCH_CONFIG_DEFAULTS, MAX_ATTEMPTS } from '../../../lib/config/batchConfig.js';
import type { ConsumerSetup } from '../../../lib/setupRules/consumerSetup.js';
import { describeRetryHorizon } from '../../../lib/setupRules/retryHorizon.js';
import { resolveBreakerSettings } from '../breaker/breakerSettings.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import { idempotencyExpiresAfterSeconds } from '../idempotency/idempotencySettings.js';
import { PARKING_RETENTION_SECONDS } from '../queues/parkingQueue.js';
import { resolveRedriveSettings } from '../redrive/redriveSettings.js';
import type { ConsumerSettings } from './consumerSettings.js';
import { resolveProvisionedPollers } from './provisionedPollers.js';

/**
 * A value the rules may compare: NaN (unknown to them) when it is outside what AWS accepts, since a value out
 * of range is reported on its own (consumerSettingsProblems) and comparing it would only repeat that.
 */
const inRange = (value: number, min: number, max: number): number =>
  value >= min && value <= max ? value : Number.NaN;

/** A literal, or undefined for a token (known only on deploy). */
const literal = <T extends string | number>(value: T | undefined): T | undefined =>
  value === undefined || Token.isUnresolved(value) ? undefined : value;

/**
 * What the construct is about to deploy, as the setup rules read it (lib/setupRules): the same description
 * `sqs-failsafe doctor` makes of a live account, built here from the props and the settings derived from them.
 * The alarms are described at synthesis, once every action is known (alarmSetupCheck).
 */
export function describeConsumerSetup(
  scope: IConstruct,
  props: FailsafeConsumerProps,
  settings: ConsumerSettings,
): ConsumerSetup {
  const queueName = literal(props.queueName) ?? 'the work queue';
  const breaker = resolveBreakerSettings(props);
  const redrive = resolveRedriveSettings(props);
  return {
    region: literal(Stack.of(scope).region),
    queue: {
      name: queueName,
      fifo: settings.fifo,
      retentionSeconds: inRange(settings.retentionSeconds, MIN_RETENTION_SECONDS, MAX_RETENTION_SECONDS),
      visibilityTimeoutSeconds: inRange(settings.visibilityTimeoutSeconds, 0, MAX_VISIBILITY_SECONDS),
      maxReceiveCount: inRange(settings.maxReceiveCount, 1, 1_000),
    },
    deadLetterQueue: {
      name: literal(props.deadLetterQueueName) ?? 'the DLQ',
      fifo: settings.fifo,
      retentionSeconds: inRange(
        settings.deadLetterRetentionSeconds,
        MIN_RETENTION_SECONDS,
        MAX_RETENTION_SECONDS,
      ),
    },
    mapping: {
      batchSize: settings.batchSize,
      maxBatchingWindowSeconds: settings.maxBatchingWindowSeconds,
      maxConcurrency: props.maxConcurrency,
      provisionedPollers: resolveProvisionedPollers(props.provisionedPollers),
      reportBatchItemFailures: true,
    },
    consumer: {
      timeoutSeconds: settings.functionTimeoutSeconds,
      reservedConcurrency: reservedConcurrency(props.consumerFunction),
    },
    attempts: {
      maxAttempts: inRange(settings.maxAttempts, 1, MAX_ATTEMPTS),
      redelivery: settings.redelivery,
    },
    // The horizon adds up every receive and attempt: with either out of range it means nothing.
    retryHorizon:
      Number.isNaN(inRange(settings.maxReceiveCount, 1, 1_000)) ||
      Number.isNaN(inRange(settings.maxAttempts, 1, MAX_ATTEMPTS))
        ? undefined
        : {
            totalSeconds: settings.horizon.totalSeconds,
            description: describeRetryHorizon(settings.horizon),
          },
    callbackTopicArns: (props.failsafe?.notifications?.callbackTopicAllowList ?? []).filter(
      (arn): arn is string => typeof arn === 'string' && !Token.isUnresolved(arn),
    ),
    idempotency:
      props.idempotency === undefined
        ? undefined
        : { expiresAfterSeconds: idempotencyExpiresAfterSeconds(props) },
    // The construct writes no expiry for its ledger, so the runtime's default applies.
    attemptLedger: { expiresAfterSeconds: BATCH_CONFIG_DEFAULTS.attemptLedger.expiresAfterSeconds },
    consumerBreaker:
      breaker === undefined
        ? undefined
        : { cooldownSeconds: breaker.cooldownSeconds, probeSeconds: breaker.probeSeconds },
    redrive:
      redrive === undefined
        ? undefined
        : {
            cooldownSeconds: redrive.cooldownSeconds,
            // The construct always gives its redrive function a schedule (redrive.scheduleInterval).
            recheckSeconds: redrive.scheduleSeconds,
            parkingQueue: redrive.parkingQueue
              ? {
                  name: 'the parking queue',
                  fifo: settings.fifo,
                  retentionSeconds: PARKING_RETENTION_SECONDS,
                }
              : undefined,
          },
  };
}

/** An existing function's reserved concurrency, read from its CloudFormation resource. */
function reservedConcurrency(fn: lambda.IFunction | undefined): number | undefined {
  const resource = fn?.node.defaultChild as lambda.CfnFunction | undefined;
  return literal(resource?.reservedConcurrentExecutions);
}
