import { describe, expect, it } from 'vitest';
import { BATCH_CONFIG_ENV_VAR, batchConfigEnvironment } from '../../../lib/config/batchConfig.js';
import { readBatchConfig } from '../../../lib/config/batchConfigCheck.js';
import { createBatchProcessor, InvalidOptionsError } from '../../../lib/index.js';

const env = (value: unknown) => ({
  [BATCH_CONFIG_ENV_VAR]: typeof value === 'string' ? value : JSON.stringify(value),
});

describe('configuration from SQS_FAILSAFE_CONFIG', () => {
  it('round-trips what the construct writes', () => {
    const config = {
      retry: { maxAttempts: 2 },
      redeliveryBackoff: { scheduleSeconds: [10, 60] },
      deadLetter: {
        queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq',
        maxAgeSeconds: 3_600,
      },
      notifications: {
        topicArn: 'arn:aws:sns:eu-west-1:111122223333:events',
        events: ['message.dead-lettered' as const],
      },
    };
    expect(readBatchConfig(batchConfigEnvironment(config))).toEqual({ version: 1, ...config });
  });

  it('is empty when the variable is absent', () => {
    expect(readBatchConfig({})).toEqual({});
  });

  it('says so when the variable is not JSON', () => {
    expect(() => readBatchConfig(env('{oops'))).toThrow(
      /Invalid SQS_FAILSAFE_CONFIG environment variable:\n {2}- is not valid JSON/,
    );
  });

  it.each([
    [{ deadLetter: {} }, 'deadLetter.queueUrl: is required'],
    [{ deadLetter: { queueUrl: 'orders-dlq' } }, 'deadLetter.queueUrl: must be an SQS queue URL'],
    [
      { notifications: { topicArn: 'arn:aws:sqs:eu-west-1:111122223333:q' } },
      'notifications.topicArn: must be an SNS topic ARN',
    ],
    [{ notifications: {} }, 'notifications.topicArn: is required'],
    [
      { redeliveryBackoff: { scheduleSeconds: [] } },
      'redeliveryBackoff.scheduleSeconds: must list at least one delay',
    ],
    [
      { redeliveryBackoff: { scheduleSeconds: [10, -1] } },
      'redeliveryBackoff.scheduleSeconds.1: must be an integer from 0 to 43200',
    ],
    [
      { redeliveryBackoff: { scheduleSeconds: [60, 10] } },
      'redeliveryBackoff.scheduleSeconds: must not decrease',
    ],
    [
      { redeliveryBackoff: { scheduleSeconds: [50_000] } },
      'redeliveryBackoff.scheduleSeconds.0: must be an integer from 0 to 43200',
    ],
    [{ retry: { scheduleMs: [500, 100] } }, 'retry.scheduleMs: must not decrease'],
    [
      { deadLetter: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq', maxAgeSeconds: 0 } },
      'deadLetter.maxAgeSeconds: must be an integer from 1 to 1209600 (got 0)',
    ],
    [
      { deadLetter: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq', maxAgeSeconds: -5 } },
      'deadLetter.maxAgeSeconds: must be an integer from 1',
    ],
    [
      { notifications: { topicArn: 'arn:aws:sns:eu-west-1:111122223333:t', events: ['message.exploded'] } },
      'notifications.events.0: must be one of',
    ],
    [
      {
        notifications: {
          topicArn: 'arn:aws:sns:eu-west-1:111122223333:t',
          callbackTopicAllowList: ['not-an-arn'],
        },
      },
      'notifications.callbackTopicAllowList.0: must be an SNS topic ARN',
    ],
    [{ version: 2 }, 'version: must be 1'],
    [{ retries: 3 }, 'retries: is not a known option'],
    [
      { deadLetter: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq', maxAttempts: 0 } },
      'deadLetter.maxAttempts: must be an integer from 1 to 1000 (got 0)',
    ],
    [
      {
        deadLetter: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq', maxReceiveCount: 4 },
      },
      'deadLetter.maxReceiveCount: is not a known option',
    ],
    [{ redelivery: 'resend' }, 'redelivery: must be "copy" or "visibility" (got "resend")'],
    [{ attemptLedger: {} }, 'attemptLedger.tableName: is required'],
    [{ attemptLedger: { tableName: 'x' } }, 'attemptLedger.tableName: must be a DynamoDB table name'],
    [
      { attemptLedger: { tableName: 'ledger', expiresAfterSeconds: 10 } },
      'attemptLedger.expiresAfterSeconds: must be an integer from 60',
    ],
    [
      {
        deadLetter: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq.fifo', maxAttempts: 3 },
      },
      'attemptLedger: required with deadLetter.maxAttempts on a FIFO queue',
    ],
    [
      {
        redelivery: 'visibility',
        deadLetter: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq', maxAttempts: 3 },
      },
      "attemptLedger: required with redelivery 'visibility' and deadLetter.maxAttempts",
    ],
  ])('rejects %j, naming the problem', (config, problem) => {
    let caught: unknown;
    try {
      readBatchConfig(env(config));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidOptionsError);
    expect((caught as InvalidOptionsError).problems.join('\n')).toContain(problem);
  });

  it('applies the environment configuration, with options in code taking precedence key by key', async () => {
    const previous = process.env[BATCH_CONFIG_ENV_VAR];
    process.env[BATCH_CONFIG_ENV_VAR] = JSON.stringify({ retry: false, concurrency: 3 });
    try {
      let calls = 0;
      const processor = createBatchProcessor(
        () => {
          calls += 1;
          throw new Error('no');
        },
        { concurrency: 5 },
      );
      await processor({
        Records: [
          {
            messageId: 'm1',
            receiptHandle: 'r',
            body: '{}',
            attributes: {
              ApproximateReceiveCount: '1',
              SentTimestamp: '1',
              SenderId: 's',
              ApproximateFirstReceiveTimestamp: '1',
            },
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:orders',
            awsRegion: 'eu-west-1',
          },
        ],
      });
      expect(calls).toBe(1);
    } finally {
      if (previous === undefined) delete process.env[BATCH_CONFIG_ENV_VAR];
      else process.env[BATCH_CONFIG_ENV_VAR] = previous;
    }
  });

  it('checks that attempts kept in place have a ledger on the merged options: environment and code may each give half', () => {
    const previous = process.env[BATCH_CONFIG_ENV_VAR];
    process.env[BATCH_CONFIG_ENV_VAR] = JSON.stringify({
      version: 1,
      deadLetter: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq.fifo', maxAttempts: 3 },
      attemptLedger: { tableName: 'orders-attempts' },
    });
    try {
      expect(() => createBatchProcessor(() => {}, { redelivery: 'visibility' })).not.toThrow();
      expect(() =>
        createBatchProcessor(() => {}, {
          configFromEnvironment: false,
          deadLetter: {
            queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq.fifo',
            maxAttempts: 3,
          },
        }),
      ).toThrow(/attemptLedger: required with deadLetter.maxAttempts on a FIFO queue/);
      // Each half valid on its own, the pair refused: maxAttempts from the environment, visibility from code.
      process.env[BATCH_CONFIG_ENV_VAR] = JSON.stringify({
        version: 1,
        deadLetter: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq', maxAttempts: 3 },
      });
      expect(() => createBatchProcessor(() => {}, { redelivery: 'visibility' })).toThrow(
        /Invalid sqs-failsafe options:\n {2}- attemptLedger: required with redelivery 'visibility' and deadLetter.maxAttempts/,
      );
    } finally {
      if (previous === undefined) delete process.env[BATCH_CONFIG_ENV_VAR];
      else process.env[BATCH_CONFIG_ENV_VAR] = previous;
    }
  });

  it('fails the cold start, not a batch, on a bad environment configuration', () => {
    const previous = process.env[BATCH_CONFIG_ENV_VAR];
    process.env[BATCH_CONFIG_ENV_VAR] = JSON.stringify({ deadLetter: { queueUrl: 'nope' } });
    try {
      expect(() => createBatchProcessor(() => {})).toThrow(
        /Invalid SQS_FAILSAFE_CONFIG environment variable/,
      );
    } finally {
      if (previous === undefined) delete process.env[BATCH_CONFIG_ENV_VAR];
      else process.env[BATCH_CONFIG_ENV_VAR] = previous;
    }
  });
});
