import type { AwsCallLatency } from '../aws/awsCallLatency.js';
import type { AwsClients } from '../aws/awsClients.js';
import type { OutgoingNotification } from '../aws/snsBatchApi.js';
import { notificationBytes, publishNotifications } from '../aws/snsBatchApi.js';
import type { NotificationEventType, NotificationsConfig } from '../config/batchConfig.js';
import { entry } from '../failureLayer/entryParts.js';
import { safeText } from '../text/safeText.js';
import type { BatchContext, RecordOutcome } from '../types.js';
import { batchCompletedEvent, type EventFactory, messageEventFor } from './buildOutcomeEvents.js';
import { EVENT_ATTRIBUTES } from './eventConstants.js';
import { eventFilterAttributes } from './eventFilterAttributes.js';
import type { FailsafeEvent } from './eventSchema.js';

/**
 * The work of the outcomeNotifier stage (its delivery promise is written there): builds the wanted events,
 * each cut to fit SNS's message size, and publishes them per topic in batches.
 */
export async function publishOutcomeEvents(
  config: NotificationsConfig,
  wanted: ReadonlySet<NotificationEventType>,
  aws: AwsClients,
  outcomes: readonly RecordOutcome[],
  batch: BatchContext,
  latency?: AwsCallLatency,
): Promise<void> {
  const allowList = new Set(config.callbackTopicAllowList ?? []);
  const includeBody = config.includeBody ?? false;
  const { randomUUID } = await import('node:crypto');
  const factory: EventFactory = {
    batch,
    includeBody,
    newId: randomUUID,
    now: Date.now(),
  };
  const byTopic = new Map<string, OutgoingNotification[]>();
  const add = (topicArn: string, event: FailsafeEvent) => {
    const list = byTopic.get(topicArn) ?? [];
    list.push(encode(event, topicArn, batch));
    byTopic.set(topicArn, list);
  };

  for (const outcome of outcomes) {
    const callback = entry.callbackTopicFor(outcome.record, allowList);
    if (callback.kind === 'rejected') {
      batch.metrics.add(entry.METRIC.callbackTopicsRejected, 1);
      batch.logger.warn('Callback topic ignored', {
        messageId: outcome.messageId,
        topic: callback.value,
        reason: callback.reason,
      });
    }
    const event = messageEventFor(outcome, factory);
    if (!wanted.has(event.type)) continue;
    add(config.topicArn, event);
    if (callback.kind === 'allowed' && callback.topicArn !== config.topicArn) add(callback.topicArn, event);
  }
  if (wanted.has('batch.completed')) add(config.topicArn, batchCompletedEvent(outcomes, factory));

  await Promise.all(
    [...byTopic].map(async ([topicArn, notifications]) => {
      const results = await publishNotifications(
        topicArn,
        notifications,
        { deadline: batch.budget.hardDeadline, latency },
        aws.sns,
      );
      const failed = results.flatMap((result, index) => (result.ok ? [] : [{ result, index }]));
      if (failed.length === 0) return;
      batch.metrics.add(entry.METRIC.notificationsFailed, failed.length);
      const first = failed[0]?.result;
      batch.logger.error('Outcome events not published after retries; messages are unaffected', {
        topicArn,
        failed: failed.length,
        events: failed.map(
          ({ index }) => notifications[index]?.attributes[EVENT_ATTRIBUTES.eventType]?.StringValue,
        ),
        error: first !== undefined && !first.ok ? first.failure : undefined,
      });
    }),
  );
}

/** The SNS message for an event, cut to fit 256 KB: the body goes first, then the error text shrinks. */
function encode(event: FailsafeEvent, topicArn: string, batch: BatchContext): OutgoingNotification {
  const attributes = eventFilterAttributes(event);
  const fifo = topicArn.endsWith('.fifo')
    ? {
        messageGroupId: ('message' in event ? event.message.messageGroupId : undefined) ?? batch.queue.name,
        deduplicationId: event.id,
      }
    : {};
  let fitted = event;
  let notification: OutgoingNotification = { message: JSON.stringify(fitted), attributes, ...fifo };
  if (
    notificationBytes(notification) > entry.limits.SNS_MAX_MESSAGE_BYTES &&
    'message' in fitted &&
    fitted.message.body !== undefined
  ) {
    const { body: _omitted, ...message } = fitted.message;
    fitted = { ...fitted, message: { ...message, bodyOmitted: 'too-large' } } as FailsafeEvent;
    notification = { ...notification, message: JSON.stringify(fitted) };
  }
  if (
    notificationBytes(notification) > entry.limits.SNS_MAX_MESSAGE_BYTES &&
    'outcome' in fitted &&
    'error' in fitted.outcome
  ) {
    const shortened = {
      ...fitted.outcome,
      error: { ...fitted.outcome.error, message: safeText(fitted.outcome.error.message, 256) },
    };
    fitted = { ...fitted, outcome: shortened } as FailsafeEvent;
    notification = { ...notification, message: JSON.stringify(fitted) };
  }
  return notification;
}
