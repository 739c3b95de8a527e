import { awsAlarmStates } from '../aws/alarmStateApi.js';
import type { AwsClients } from '../aws/awsClients.js';
import { awsEventSourceMappings } from '../aws/eventSourceMappingApi.js';
import {
  type ConsumerBreakerConfig,
  readConsumerBreakerConfig,
  resolveConsumerBreakerConfig,
} from '../config/consumerBreakerConfig.js';
import type { LambdaContextLike } from '../event/sqsEvent.js';
import { createDefaultLogger } from '../logging/defaultLogger.js';
import type { LoggerLike } from '../types.js';
import { type ConsumerBreakerReport, createConsumerBreakerController } from './consumerBreakerController.js';
import { readConsumerBreakerTriggers } from './consumerBreakerTrigger.js';
import { snsConsumerEvents } from './consumerEvents.js';

export interface ConsumerBreakerHandlerOptions {
  /** @default read from SQS_FAILSAFE_BREAKER_CONFIG at creation (cold start) */
  readonly config?: ConsumerBreakerConfig;
  /** SDK clients to use instead of the ones created on first use (lambda, cloudWatch, sns). */
  readonly aws?: AwsClients;
  /** @default a Powertools Logger, loaded on the first line written */
  readonly logger?: LoggerLike;
}

/** Time kept free before the Lambda timeout for logging and returning. */
const RESERVE_MS = 500;

/**
 * The consumer breaker's controller function: runs on the transient-failure alarm's state changes
 * (through SNS, EventBridge or the alarm's Lambda action) and on a schedule (the half-open probe), and
 * pauses, probes or resumes the consumer's event source mapping through the Lambda, CloudWatch and SNS
 * APIs. The configuration is read when the handler is created, so a bad deployment fails its cold start
 * before it touches the mapping. Run it with reserved concurrency 1: two controllers deciding at once could
 * publish a transition twice.
 *
 * @example
 * // functions/breakerController/handler.ts
 * export const handler = createConsumerBreakerHandler();
 */
export function createConsumerBreakerHandler(
  options: ConsumerBreakerHandlerOptions = {},
): (event: unknown, context?: LambdaContextLike) => Promise<ConsumerBreakerReport[]> {
  const config =
    options.config === undefined ? readConsumerBreakerConfig() : resolveConsumerBreakerConfig(options.config);
  const ownLogger = options.logger === undefined ? createDefaultLogger() : undefined;
  const logger = options.logger ?? (ownLogger as LoggerLike);
  const aws = options.aws ?? {};

  return async function sqsFailsafeConsumerBreakerHandler(event, context = {}) {
    const remaining = context.getRemainingTimeInMillis?.();
    const policy = {
      deadline: remaining === undefined ? Number.POSITIVE_INFINITY : Date.now() + remaining - RESERVE_MS,
    };
    const controller = createConsumerBreakerController(config, {
      mappings: awsEventSourceMappings(policy, aws.lambda),
      alarms: awsAlarmStates(policy, aws.cloudWatch),
      events: config.topicArn === undefined ? undefined : snsConsumerEvents(config.topicArn, policy, aws),
      logger,
    });
    try {
      const reports: ConsumerBreakerReport[] = [];
      for (const trigger of readConsumerBreakerTriggers(event))
        reports.push(await controller.handle(trigger, context.awsRequestId));
      return reports;
    } finally {
      await ownLogger?.flush();
    }
  };
}
