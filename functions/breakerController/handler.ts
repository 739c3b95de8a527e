import { awsAlarmStates } from '../../lib/aws/alarmStateApi.js';
import { awsEventSourceMappings } from '../../lib/aws/eventSourceMappingApi.js';
import { readBreakerConfig } from '../../lib/breaker/breakerConfigSchema.js';
import { createBreakerController } from '../../lib/breaker/breakerController.js';
import { readBreakerTriggers } from '../../lib/breaker/breakerTrigger.js';
import { snsConsumerEvents } from '../../lib/breaker/consumerEvents.js';
import type { BreakerReport, LambdaContextLike } from '../../lib/index.js';
import { createDefaultLogger } from '../../lib/logging/defaultLogger.js';

/**
 * The breaker controller: runs on the transient-failure alarm's state changes (through SNS, EventBridge
 * or the alarm's Lambda action) and on a schedule (the half-open probe), and pauses, probes or resumes
 * the consumer's event source mapping. Configured by SQS_FAILSAFE_BREAKER_CONFIG, read at cold start so a
 * bad deployment fails before it touches the mapping. Run it with reserved concurrency 1: two controllers
 * deciding at once could publish a transition twice.
 */
const config = readBreakerConfig();
const logger = createDefaultLogger();

/** Time kept free before the Lambda timeout for logging and returning. */
const RESERVE_MS = 500;

export async function handler(event: unknown, context: LambdaContextLike = {}): Promise<BreakerReport[]> {
  const remaining = context.getRemainingTimeInMillis?.();
  const policy = {
    deadline: remaining === undefined ? Number.POSITIVE_INFINITY : Date.now() + remaining - RESERVE_MS,
  };
  const controller = createBreakerController(config, {
    mappings: awsEventSourceMappings(policy),
    alarms: awsAlarmStates(policy),
    events: config.topicArn === undefined ? undefined : snsConsumerEvents(config.topicArn, policy),
    logger,
  });
  try {
    const reports: BreakerReport[] = [];
    for (const trigger of readBreakerTriggers(event))
      reports.push(await controller.handle(trigger, context.awsRequestId));
    return reports;
  } finally {
    await logger.flush();
  }
}
