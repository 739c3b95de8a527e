import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { acceptBatchCalls } from '../../../bench/support/acceptBatchCalls.js';
import { createBatchProcessor, PermanentError } from '../../../lib/index.js';
import { DLQ_URL, TOPIC_ARN, useAwsMocks } from '../../helpers/awsMocks.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

const { sqs, sns } = useAwsMocks();

/**
 * The figure issue 3 asks for: for k failed records an invocation makes the minimum ceil(k/10) calls of
 * each batch API it needs, and nothing per record.
 */
describe('AWS calls per invocation', () => {
  it.each([1, 9, 10, 11, 57, 100, 250])('for %i retryable and %i permanent failures', async (k) => {
    // Prepare
    acceptBatchCalls(sqs, sns);
    const processor = createBatchProcessor(
      (message: unknown) => {
        if ((message as { permanent: boolean }).permanent) throw new PermanentError('bad');
        throw new Error('transient');
      },
      {
        retry: false,
        concurrency: 100,
        configFromEnvironment: false,
        redeliveryBackoff: { scheduleSeconds: [30] },
        deadLetter: { queueUrl: DLQ_URL },
        notifications: { topicArn: TOPIC_ARN, events: ['message.retry-scheduled', 'message.dead-lettered'] },
      },
    );
    const records = [
      ...Array.from({ length: k }, () => sqsRecord({ body: '{"permanent":false}' })),
      ...Array.from({ length: k }, () => sqsRecord({ body: '{"permanent":true}' })),
    ];
    // Act
    await processor(eventOf(records));
    // Assess
    const minimum = Math.ceil(k / 10);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(minimum);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(minimum);
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(Math.ceil((2 * k) / 10));
  });

  it('makes no AWS call at all for a healthy batch', async () => {
    const processor = createBatchProcessor(() => 'ok', {
      configFromEnvironment: false,
      redeliveryBackoff: { scheduleSeconds: [30] },
      deadLetter: { queueUrl: DLQ_URL },
      notifications: { topicArn: TOPIC_ARN },
    });
    await processor(eventOf([sqsRecord(), sqsRecord()]));
    expect(sqs.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });
});
