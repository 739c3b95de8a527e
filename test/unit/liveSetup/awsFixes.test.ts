import { describe, expect, it } from 'vitest';
import { awsFixFor, RULES_WITH_AWS_FIXES } from '../../../lib/liveSetup/awsFixes.js';
import { findingLines } from '../../../lib/liveSetup/findingText.js';
import { liveQueueFromAttributes } from '../../../lib/liveSetup/liveQueue.js';
import type { ConsumerSetup } from '../../../lib/setupRules/consumerSetup.js';
import { checkConsumerSetup, SETUP_RULES } from '../../../lib/setupRules/setupRules.js';

const URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders';

describe('the fixes for consumers not built with the construct', () => {
  it('has a console or AWS CLI change for every setup rule, and none for a rule that does not exist', () => {
    // A new rule without one would print only the construct's fix to everyone else.
    expect([...RULES_WITH_AWS_FIXES].sort()).toEqual(SETUP_RULES.map((rule) => rule.id).sort());
  });

  it('fills in the resources and the numbers, and placeholders for what is not known', () => {
    // Arrange: a 60 s function behind a 30 s visibility timeout
    const setup: ConsumerSetup = {
      queue: {
        name: 'orders',
        fifo: false,
        retentionSeconds: 345_600,
        visibilityTimeoutSeconds: 30,
        maxReceiveCount: 5,
      },
      deadLetterQueue: { name: 'orders-dlq', fifo: false, retentionSeconds: 1_209_600 },
      mapping: { batchSize: 10, maxBatchingWindowSeconds: 5, reportBatchItemFailures: false },
      consumer: { timeoutSeconds: 60 },
    };

    // Act
    const fixes = checkConsumerSetup(setup).map((finding) => [
      finding.rule,
      awsFixFor(finding, setup, { queueUrl: URL, functionName: 'orders-consumer' }),
    ]);

    // Assess
    expect(Object.fromEntries(fixes)).toMatchObject({
      'visibility-timeout-covers-invocations': `aws sqs set-queue-attributes --queue-url ${URL} --attributes VisibilityTimeout=365`,
      'reports-batch-item-failures': expect.stringContaining(
        'aws lambda update-event-source-mapping --uuid <mapping-uuid> --function-response-types ReportBatchItemFailures',
      ),
    });
  });

  it("sizes maxReceiveCount by the safety net for the function's attempts, and lowers the attempts when no maxReceiveCount can hold it", () => {
    // Arrange: FIFO with batch size 10 needs 10 × (A + 1) − 1 + 4; SQS allows at most 1000
    const fifo = (maxAttempts: number, maxReceiveCount: number): ConsumerSetup => ({
      queue: { name: 'orders.fifo', fifo: true, retentionSeconds: 345_600, maxReceiveCount },
      mapping: { batchSize: 10, maxBatchingWindowSeconds: 0, reportBatchItemFailures: true },
      consumer: { timeoutSeconds: 30 },
      attempts: { maxAttempts, redelivery: 'copy' },
    });
    const fixOf = (setup: ConsumerSetup) => {
      const finding = checkConsumerSetup(setup).find(({ rule }) => rule === 'max-receive-count-safety-net');
      if (finding === undefined) throw new Error('expected a max-receive-count-safety-net finding');
      return awsFixFor(finding, setup, {
        queueUrl: URL,
        deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:orders-dlq.fifo',
        functionName: 'orders-consumer',
      });
    };

    // Act, Assess: 4 attempts need 53; 100 attempts would need 1013
    expect(fixOf(fifo(4, 5))).toBe(
      `aws sqs set-queue-attributes --queue-url ${URL} --attributes '{"RedrivePolicy":"{\\"deadLetterTargetArn\\":\\"arn:aws:sqs:eu-west-1:111122223333:orders-dlq.fifo\\",\\"maxReceiveCount\\":\\"53\\"}"}'`,
    );
    expect(fixOf(fifo(100, 1_000))).toMatch(
      /^in the function's SQS_FAILSAFE_CONFIG, set at most 98, or lower the trigger's batch size \(deadLetter\.maxAttempts\): /,
    );
  });

  it('points the redrive policy at the DLQ the function already dead-letters to, rather than a new one', () => {
    // Arrange: no redrive policy, but SQS_FAILSAFE_CONFIG names deadLetter.queueUrl orders-failed
    const setup: ConsumerSetup = {
      queue: { name: 'orders', fifo: false, retentionSeconds: 345_600, visibilityTimeoutSeconds: 180 },
      runtimeDeadLetterQueueName: 'orders-failed',
      consumer: { timeoutSeconds: 30 },
    };
    const finding = checkConsumerSetup(setup).find(({ rule }) => rule === 'dead-letter-queue-configured');
    if (finding === undefined) throw new Error('expected a dead-letter-queue-configured finding');

    // Act
    const fix = awsFixFor(finding, setup, {
      queueUrl: URL,
      deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:orders-failed',
    });

    // Assess
    expect(fix).toMatch(/^point the queue's redrive policy at orders-failed, the DLQ the function already /);
    expect(fix).not.toContain('create-queue');
    expect(fix).toContain(
      `aws sqs set-queue-attributes --queue-url ${URL} --attributes '{"RedrivePolicy":"{\\"deadLetterTargetArn\\":\\"arn:aws:sqs:eu-west-1:111122223333:orders-failed\\",\\"maxReceiveCount\\":\\"5\\"}"}'`,
    );
  });

  it('makes the fix for a missing DLQ a maxReceiveCount the safety net accepts when the function counts attempts', () => {
    // Arrange: no redrive policy; 8 attempts kept in place need more receives than the usual 5
    const setup: ConsumerSetup = {
      queue: { name: 'orders', fifo: false, retentionSeconds: 1_209_600, visibilityTimeoutSeconds: 180 },
      runtimeDeadLetterQueueName: 'orders-failed',
      mapping: {
        batchSize: 10,
        maxBatchingWindowSeconds: 0,
        reportBatchItemFailures: true,
        maxConcurrency: 5,
      },
      consumer: { timeoutSeconds: 30 },
      attempts: { maxAttempts: 8, redelivery: 'visibility' },
    };
    const finding = checkConsumerSetup(setup).find(({ rule }) => rule === 'dead-letter-queue-configured');
    if (finding === undefined) throw new Error('expected a dead-letter-queue-configured finding');

    // Act
    const fix = awsFixFor(finding, setup, {
      queueUrl: URL,
      deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:orders-failed',
    });

    // Assess: applied, the fix leaves the safety net satisfied
    const suggested = Number(/maxReceiveCount\\":\\"(\d+)/.exec(fix ?? '')?.[1]);
    expect(suggested).toBeGreaterThan(5);
    const fixed: ConsumerSetup = {
      ...setup,
      queue: { ...setup.queue, maxReceiveCount: suggested },
      deadLetterQueue: { name: 'orders-failed', fifo: false, retentionSeconds: 1_209_600 },
    };
    expect(checkConsumerSetup(fixed).map(({ rule }) => rule)).not.toContain('max-receive-count-safety-net');
  });

  it('prints what, why, and both fixes, one line each', () => {
    const [finding] = checkConsumerSetup({
      queue: { name: 'orders', fifo: false, retentionSeconds: 345_600, visibilityTimeoutSeconds: 30 },
      consumer: { timeoutSeconds: 30 },
    });
    if (finding === undefined) throw new Error('expected a finding');
    const lines = findingLines({ ...finding, subject: 'orders (work queue)', awsFix: 'do this' });
    expect(lines[0]).toBe('ERROR dead-letter-queue-configured: orders (work queue)');
    expect(lines.slice(1).map((line) => line.split(':')[0])).toEqual([
      '  what',
      '  why',
      '  fix with FailsafeConsumer',
      '  fix in AWS',
    ]);
  });
});

describe('a queue as GetQueueAttributes tells it', () => {
  it('reads the numbers, the redrive policy and the policy, with AWS defaults for what is left out', () => {
    const queue = liveQueueFromAttributes(URL, {
      QueueArn: 'arn:aws:sqs:eu-west-1:111122223333:orders',
      VisibilityTimeout: '180',
      RedrivePolicy:
        '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:111122223333:orders-dlq","maxReceiveCount":"5"}',
      Policy: 'not json',
    });
    expect(queue).toMatchObject({
      name: 'orders',
      region: 'eu-west-1',
      accountId: '111122223333',
      fifo: false,
      visibilityTimeoutSeconds: 180,
      retentionSeconds: 345_600,
      delaySeconds: 0,
      redrivePolicy: {
        deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:111122223333:orders-dlq',
        maxReceiveCount: 5,
      },
      policy: undefined,
    });
  });
});
