import { queueNameFromUrl } from '../aws/queueReference.js';
import {
  BATCH_CONFIG_DEFAULTS,
  BATCH_CONFIG_ENV_VAR,
  type BatchConfig,
  type RedeliveryMode,
} from '../config/batchConfig.js';
import { batchConfigProblems } from '../config/batchConfigCheck.js';
import {
  CONSUMER_BREAKER_CONFIG_ENV_VAR,
  consumerBreakerConfigProblems,
  type ResolvedConsumerBreakerConfig,
  resolveConsumerBreakerConfig,
} from '../config/consumerBreakerConfig.js';
import {
  REDRIVE_CONFIG_ENV_VAR,
  type ResolvedRedriveConfig,
  redriveConfigProblems,
  resolveRedriveConfig,
} from '../config/redriveConfig.js';
import type { ConfigurationProblems, ConsumerSetup, MappingSetup } from '../setupRules/consumerSetup.js';
import { type ResolvedRedeliveryBackoff, resolveRedeliveryBackoff } from '../setupRules/redeliveryBackoff.js';
import {
  consumerRetryHorizon,
  describeRetryHorizon,
  type RetryHorizon,
  receiveCountRetryHorizon,
} from '../setupRules/retryHorizon.js';
import type { LiveQueue } from './liveQueue.js';

/**
 * The sqs-failsafe configurations a deployed function holds in its environment, each checked with the schema
 * its runtime applies at cold start: a valid one is read, one the runtime would refuse becomes problems (a
 * finding), and a function without the variable is simply not that kind of function.
 */
export interface LiveRuntimeConfigs {
  /** SQS_FAILSAFE_CONFIG: the function runs sqs-failsafe's batch handler. */
  readonly batch?: BatchConfig | undefined;
  /** SQS_FAILSAFE_REDRIVE_CONFIG: the function is sqs-failsafe's redrive function. */
  readonly redrive?: ResolvedRedriveConfig | undefined;
  /** SQS_FAILSAFE_BREAKER_CONFIG: the function is sqs-failsafe's consumer breaker controller. */
  readonly breaker?: ResolvedConsumerBreakerConfig | undefined;
  /** Variables present but refused, with the JSON they hold when it parsed (to tell whose they are). */
  readonly refused: readonly RefusedConfig[];
}

export interface RefusedConfig extends ConfigurationProblems {
  readonly json?: unknown;
}

/**
 * Reads the three configuration variables of one function's environment; never throws.
 *
 * @example
 * runtimeConfigsOf('orders-consumer', configuration.Environment?.Variables ?? {});
 */
export function runtimeConfigsOf(
  functionName: string,
  variables: Readonly<Record<string, string | undefined>>,
): LiveRuntimeConfigs {
  const refused: RefusedConfig[] = [];
  const read = <T>(variable: string, problemsOf: (input: unknown) => string[]): T | undefined => {
    const text = variables[variable];
    if (text === undefined || text.trim() === '') return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      refused.push({
        functionName,
        variable,
        problems: [`is not valid JSON (${error instanceof Error ? error.message : String(error)})`],
      });
      return undefined;
    }
    const problems = problemsOf(json);
    if (problems.length === 0) return json as T;
    refused.push({ functionName, variable, problems, json });
    return undefined;
  };
  const batch = read<BatchConfig>(BATCH_CONFIG_ENV_VAR, batchConfigProblems);
  const redrive = read<object>(REDRIVE_CONFIG_ENV_VAR, redriveConfigProblems);
  const breaker = read<object>(CONSUMER_BREAKER_CONFIG_ENV_VAR, consumerBreakerConfigProblems);
  return {
    batch,
    redrive: redrive === undefined ? undefined : resolveRedriveConfig(redrive),
    breaker: breaker === undefined ? undefined : resolveConsumerBreakerConfig(breaker),
    refused,
  };
}

/** What the consumer's setup needs of its queue, mapping and function besides the runtime's configuration. */
export interface RuntimeSetupContext {
  readonly queue: LiveQueue;
  readonly mapping?: MappingSetup | undefined;
  readonly functionTimeoutSeconds: number;
}

/**
 * The parts of a consumer's setup that follow from its runtime, as the construct describes them from its props
 * (infra/consumer/settings/describeConsumerSetup.ts). From an SQS_FAILSAFE_CONFIG: how attempts are counted,
 * idempotency, the attempt ledger and the callback topics. The retry horizon in any case: the construct's
 * formula (consumerRetryHorizon) when the runtime counts attempts, otherwise SQS's receive count bounds the
 * retries (receiveCountRetryHorizon), which holds for a consumer without sqs-failsafe too.
 */
export function runtimeSetupOf(
  config: BatchConfig | undefined,
  context: RuntimeSetupContext,
): Pick<
  ConsumerSetup,
  | 'attempts'
  | 'retryHorizon'
  | 'idempotency'
  | 'attemptLedger'
  | 'callbackTopicArns'
  | 'runtimeDeadLetterQueueName'
> {
  const maxAttempts = config?.deadLetter?.maxAttempts;
  const redelivery = config?.redelivery ?? BATCH_CONFIG_DEFAULTS.redelivery;
  const attempts = maxAttempts === undefined ? undefined : { maxAttempts, redelivery };
  const horizon = liveRetryHorizon(config, attempts, context);
  const idempotency = config?.idempotency === false ? undefined : config?.idempotency;
  return {
    attempts,
    retryHorizon:
      horizon === undefined
        ? undefined
        : { totalSeconds: horizon.totalSeconds, description: describeRetryHorizon(horizon) },
    idempotency:
      idempotency === undefined
        ? undefined
        : {
            expiresAfterSeconds:
              idempotency.expiresAfterSeconds ?? BATCH_CONFIG_DEFAULTS.idempotency.expiresAfterSeconds,
          },
    attemptLedger:
      config?.attemptLedger === undefined
        ? undefined
        : {
            expiresAfterSeconds:
              config.attemptLedger.expiresAfterSeconds ??
              BATCH_CONFIG_DEFAULTS.attemptLedger.expiresAfterSeconds,
          },
    callbackTopicArns: config?.notifications?.callbackTopicAllowList,
    runtimeDeadLetterQueueName:
      config?.deadLetter === undefined ? undefined : queueNameFromUrl(config.deadLetter.queueUrl),
  };
}

/** Undefined when the queue has no redrive policy (nothing bounds the retries) or the timeout is unknown. */
function liveRetryHorizon(
  config: BatchConfig | undefined,
  attempts: { maxAttempts: number; redelivery: RedeliveryMode } | undefined,
  { queue, mapping, functionTimeoutSeconds }: RuntimeSetupContext,
): RetryHorizon | undefined {
  const maxReceiveCount = queue.redrivePolicy?.maxReceiveCount;
  if (maxReceiveCount === undefined || !Number.isFinite(functionTimeoutSeconds)) return undefined;
  const common = {
    deliveryDelaySeconds: queue.delaySeconds,
    visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
    functionTimeoutSeconds,
    maxBatchingWindowSeconds: mapping?.maxBatchingWindowSeconds ?? 0,
  };
  if (attempts === undefined) {
    const backoff = config?.redeliveryBackoff;
    return receiveCountRetryHorizon({
      ...common,
      maxReceiveCount,
      redeliveryBackoff: backoff === undefined ? undefined : resolveRedeliveryBackoff(backoff),
    });
  }
  return consumerRetryHorizon({
    ...common,
    fifo: queue.fifo,
    redelivery: attempts.redelivery,
    maxAttempts: attempts.maxAttempts,
    maxReceiveCount,
    batchSize: mapping?.batchSize ?? 10,
    redeliveryBackoff: liveBackoff(config ?? {}, queue),
  });
}

/**
 * The waits between attempts as the runtime sets them (lib/redelivery/planRedelivery.ts): the configured
 * backoff; without one, a copy still waits the default backoff, and a message kept in place comes back after
 * the queue's visibility timeout.
 */
function liveBackoff(config: BatchConfig, queue: LiveQueue): ResolvedRedeliveryBackoff {
  if (config.redeliveryBackoff !== undefined) return resolveRedeliveryBackoff(config.redeliveryBackoff);
  const byCopy = !queue.fifo && (config.redelivery ?? BATCH_CONFIG_DEFAULTS.redelivery) === 'copy';
  return byCopy ? resolveRedeliveryBackoff(undefined) : { scheduleSeconds: [queue.visibilityTimeoutSeconds] };
}
