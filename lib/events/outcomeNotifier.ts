import type { AwsCallLatency } from '../aws/awsCallLatency.js';
import type { AwsClients } from '../aws/awsClients.js';
import {
  BATCH_CONFIG_DEFAULTS,
  type NotificationEventType,
  type NotificationsConfig,
} from '../config/batchConfig.js';
import { withFailureLayer } from '../failureLayer/loadFailureLayer.js';
import type { OutcomeStage } from '../types.js';
import { CALLBACK_TOPIC_ATTRIBUTE } from './callbackTopic.js';
import { outcomeEventType } from './outcomeEventType.js';

/**
 * Publishes outcome events to the topic (and to allow-listed callback topics). Delivery is best effort
 * within the invocation: a failed publish is retried while time remains, then logged and counted
 * (NotificationsFailed). It never changes a message's outcome: by the time events are published, every
 * message already is where it will stay (done, in the DLQ, or in the source queue).
 *
 * A healthy batch with the default events returns at the first check; events are built, bodies hashed and
 * the failure layer and the AWS SDK loaded only when there is something to publish or a producer named a callback topic.
 */
export function outcomeNotifier(
  config: NotificationsConfig,
  aws: AwsClients = {},
  latency?: AwsCallLatency,
): OutcomeStage {
  const wanted = new Set<NotificationEventType>(config.events ?? BATCH_CONFIG_DEFAULTS.notifications.events);
  return {
    name: 'outcomeNotifier',
    // Not async: a healthy batch returns at once, with no promise for the runner to await and no timer
    // for a stage left behind.
    run(outcomes, batch) {
      const hasWork =
        wanted.has('batch.completed') ||
        outcomes.some(
          (outcome) =>
            wanted.has(outcomeEventType(outcome)) ||
            outcome.record.messageAttributes[CALLBACK_TOPIC_ATTRIBUTE] !== undefined,
        );
      if (!hasWork) return;
      return withFailureLayer((layer) =>
        layer.publishOutcomeEvents(config, wanted, aws, outcomes, batch, latency),
      );
    },
  };
}
