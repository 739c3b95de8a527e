import { randomUUID } from 'node:crypto';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import type { AwsClients } from '../aws/awsClients.js';
import type { EventSourceMappingStatus } from '../aws/eventSourceMappingApi.js';
import { type OutgoingNotification, publishNotifications } from '../aws/snsBatchApi.js';
import type { ResolvedConsumerBreakerConfig } from '../config/consumerBreakerConfig.js';
import { EVENT_SCHEMA_VERSION } from '../events/eventConstants.js';
import { eventFilterAttributes } from '../events/eventFilterAttributes.js';
import type { FailsafeEventOf } from '../events/eventSchema.js';
import type { ConsumerBreakerState } from './consumerBreakerState.js';
import type { ConsumerBreakerTrigger } from './consumerBreakerTrigger.js';

export type ConsumerPausedEvent = FailsafeEventOf<'consumer.paused'>;
export type ConsumerResumedEvent = FailsafeEventOf<'consumer.resumed'>;
export type ConsumerBreakerEvent = ConsumerPausedEvent | ConsumerResumedEvent;

/** Publishes the consumer breaker's events; the controller works the same without one. */
export interface ConsumerEventPublisher {
  publish(event: ConsumerBreakerEvent): Promise<void>;
}

/** What an event says about the transition, besides the mapping. */
export interface TransitionFacts {
  readonly config: ResolvedConsumerBreakerConfig;
  readonly mapping: EventSourceMappingStatus;
  readonly trigger: ConsumerBreakerTrigger['kind'];
  readonly previousState: Extract<ConsumerBreakerState, 'closed' | 'open' | 'half-open'>;
  readonly reason: string;
  readonly now: number;
  /** The controller's request id. */
  readonly requestId?: string | undefined;
}

export function consumerPausedEvent(facts: TransitionFacts): ConsumerPausedEvent {
  return {
    ...common(facts),
    type: 'consumer.paused',
    consumer: {
      ...consumerPart(facts),
      probeAfter: new Date(facts.now + facts.config.coolDownSeconds * 1_000).toISOString(),
    },
  };
}

export function consumerResumedEvent(
  facts: TransitionFacts,
  mode: 'half-open' | 'full',
  maximumConcurrency: number | undefined,
): ConsumerResumedEvent {
  return {
    ...common(facts),
    type: 'consumer.resumed',
    consumer: {
      ...consumerPart(facts),
      mode,
      ...(maximumConcurrency === undefined ? {} : { maximumConcurrency }),
    },
  };
}

function common(facts: TransitionFacts) {
  const queueArn = facts.mapping.eventSourceArn ?? 'unknown';
  const functionName = facts.mapping.functionArn?.split(':')[6];
  return {
    schemaVersion: EVENT_SCHEMA_VERSION,
    id: randomUUID(),
    time: new Date(facts.now).toISOString(),
    source: {
      queueArn,
      queueName: queueArn.split(':')[5] ?? queueArn,
      ...(functionName === undefined ? {} : { functionName }),
      ...(facts.requestId === undefined ? {} : { requestId: facts.requestId }),
    },
  } as const;
}

function consumerPart(facts: TransitionFacts) {
  return {
    mappingUuid: facts.mapping.uuid,
    alarmName: facts.config.alarmName,
    trigger: facts.trigger,
    previousState: facts.previousState,
    reason: facts.reason,
  };
}

/**
 * The SNS message for a consumer breaker event, with the attributes subscribers filter on
 * (EVENT_ATTRIBUTES).
 */
export function encodeConsumerBreakerEvent(event: ConsumerBreakerEvent): OutgoingNotification {
  return {
    message: JSON.stringify(event),
    attributes: eventFilterAttributes(event),
  };
}

/**
 * Publishes consumer breaker events to an SNS topic through the AWS-call layer (throttling retried until the
 * policy's deadline). Throws when the topic refuses the event, so the controller can log it.
 *
 * @example
 * const events = snsConsumerEvents(config.topicArn, { deadline: Date.now() + 10_000 });
 */
export function snsConsumerEvents(
  topicArn: string,
  policy: AwsCallPolicy,
  aws: AwsClients = {},
): ConsumerEventPublisher {
  return {
    async publish(event) {
      const notification = encodeConsumerBreakerEvent(event);
      const fifo = topicArn.endsWith('.fifo')
        ? { messageGroupId: event.consumer.mappingUuid, deduplicationId: event.id }
        : {};
      const [result] = await publishNotifications(topicArn, [{ ...notification, ...fifo }], policy, aws.sns);
      if (result !== undefined && !result.ok)
        throw new Error(
          `${event.type} not published to ${topicArn}: ${result.failure.code}: ${result.failure.message}`,
        );
    },
  };
}
