import { PublishBatchCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { parseFailsafeEvent } from '../../../lib/events/index.js';
import { createBatchProcessor } from '../../../lib/index.js';
import { TOPIC_ARN, useAwsMocks } from '../../helpers/awsMocks.js';
import { eventOf, sqsRecord } from '../../helpers/sqsEvents.js';

/**
 * Issue 13: event text always valid for SNS (and for SQS, where subscribers deliver it): only allowed
 * characters in the message attributes, error texts cut on a code-point boundary.
 */

const { sns } = useAwsMocks();
const ALLOWED = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

function failWith(error: Error) {
  sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries: { Id: string }[] }) => ({
    Successful: input.PublishBatchRequestEntries.map(({ Id }) => ({ Id, MessageId: `m-${Id}` })),
    Failed: [],
  }));
  return createBatchProcessor(
    () => {
      throw error;
    },
    { retry: false, configFromEnvironment: false, notifications: { topicArn: TOPIC_ARN } },
  );
}

const published = () =>
  sns
    .commandCalls(PublishBatchCommand)
    .flatMap((call) => call.args[0].input.PublishBatchRequestEntries ?? []);

describe('event text SNS accepts', () => {
  it('an error class with control characters: the errorClass filter attribute holds only allowed characters', async () => {
    const error = new Error('boom');
    error.name = `Bad\u0001Class${'x'.repeat(500)}`;
    await failWith(error)(eventOf([sqsRecord()]));
    const entry = published()[0];
    const errorClass = entry?.MessageAttributes?.errorClass?.StringValue ?? '';
    expect(errorClass).toMatch(ALLOWED);
    expect(errorClass.length).toBeLessThanOrEqual(256);
    expect(parseFailsafeEvent(JSON.parse(entry?.Message ?? '')).type).toBe('message.failed');
  });

  it('an error text cut at 4,096 characters with an emoji at the cut keeps the emoji whole or leaves it out', async () => {
    await failWith(new Error(`${'x'.repeat(4_094)}🎉 tail`))(eventOf([sqsRecord()]));
    const event = JSON.parse(published()[0]?.Message ?? '') as { outcome: { error: { message: string } } };
    expect(event.outcome.error.message.length).toBeLessThanOrEqual(4_096);
    expect(event.outcome.error.message).toMatch(ALLOWED);
    expect(published()[0]?.Message).not.toMatch(/\\ud83c/i);
  });
});
