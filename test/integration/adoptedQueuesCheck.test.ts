import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADOPTED_QUEUES_CHECK_PROPERTY,
  type AdoptedQueuesExpectation,
} from '../../lib/adoptedQueues/adoptedQueuesCheck.js';
import {
  type CustomResourceRequest,
  type CustomResourceResponse,
  createAdoptedQueuesCheckHandler,
} from '../../lib/adoptedQueues/createAdoptedQueuesCheckHandler.js';
import { type LocalAws, type LocalQueue, startLocalAws } from '../helpers/localAws.js';

/**
 * The deploy-time check of adopted queues, on the embedded SQS server: the custom resource's handler reads the
 * queues and answers CloudFormation (a PUT to the response URL, here a local server) SUCCESS when they are what
 * the construct was built for, and FAILED, naming each problem in doctor's words, when they are not.
 */
describe('the deploy-time check of existing queues', () => {
  let aws: LocalAws;
  let responses: Server;
  let responseUrl: string;
  const received: CustomResourceResponse[] = [];
  const handler = createAdoptedQueuesCheckHandler({ log: () => {} });

  beforeAll(async () => {
    aws = await startLocalAws();
    responses = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(
          request.method === 'PUT' && request.headers['content-type'] === undefined ? 200 : 400,
        );
        response.end();
      });
    });
    await new Promise<void>((resolve) => responses.listen(0, '127.0.0.1', resolve));
    responseUrl = `http://127.0.0.1:${(responses.address() as AddressInfo).port}/response`;
  });

  afterAll(async () => {
    await aws.stop();
    await new Promise((resolve) => responses.close(resolve));
  });

  /** A work queue and its DLQ as a team might have them, with the attributes given on top of sound ones. */
  async function queues(work: Record<string, string> = {}, dlq: Record<string, string> = {}) {
    const deadLetterQueue = await aws.createQueue('orders-dlq', {
      MessageRetentionPeriod: '1209600',
      ...dlq,
    });
    const queue = await aws.createQueue('orders', {
      VisibilityTimeout: '180',
      MessageRetentionPeriod: '345600',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: 5 }),
      ...work,
    });
    return { queue, deadLetterQueue };
  }

  /** What the construct writes for a consumer with its defaults: 30 s function, A = 4 (copies), M = 5. */
  function expectationFor(queue: LocalQueue, deadLetterQueue: LocalQueue): AdoptedQueuesExpectation {
    return {
      version: 1,
      queueUrl: queue.url,
      deadLetterQueueUrl: deadLetterQueue.url,
      deadLetterQueueArn: deadLetterQueue.arn,
      fifo: false,
      assumed: [
        {
          queue: 'work',
          attribute: 'VisibilityTimeout',
          value: 180,
          prop: 'visibilityTimeout',
          stated: false,
        },
        { queue: 'work', attribute: 'maxReceiveCount', value: 5, prop: 'maxReceiveCount', stated: false },
        { queue: 'work', attribute: 'DelaySeconds', value: 0, prop: 'deliveryDelay', stated: false },
      ],
      setup: {
        region: aws.region,
        mapping: { batchSize: 10, maxBatchingWindowSeconds: 0, reportBatchItemFailures: true },
        consumer: { timeoutSeconds: 30 },
        attempts: { maxAttempts: 4, redelivery: 'copy' },
        retryHorizon: { totalSeconds: 3_600, description: 'T_total = 1 h' },
      },
      functionName: 'orders-consumer',
    };
  }

  async function run(
    requestType: CustomResourceRequest['RequestType'],
    expectation: AdoptedQueuesExpectation,
  ): Promise<CustomResourceResponse> {
    received.length = 0;
    const answer = await handler({
      RequestType: requestType,
      ResponseURL: responseUrl,
      StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/Orders/1',
      RequestId: 'request-1',
      LogicalResourceId: 'QueueCheck',
      ResourceProperties: { [ADOPTED_QUEUES_CHECK_PROPERTY]: JSON.stringify(expectation) },
    });
    // CloudFormation got exactly the answer the handler returned.
    expect(received).toEqual([answer]);
    return answer;
  }

  it('answers SUCCESS when the queues are what the construct was built for', async () => {
    const { queue, deadLetterQueue } = await queues();
    const answer = await run('Create', expectationFor(queue, deadLetterQueue));
    expect(answer).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'sqs-failsafe-queue-check-QueueCheck',
    });
  });

  it('fails a visibility timeout that differs from the one built for, and that a 30 s function outruns', async () => {
    // Arrange
    const { queue, deadLetterQueue } = await queues({ VisibilityTimeout: '30' });

    // Act
    const answer = await run('Create', expectationFor(queue, deadLetterQueue));

    // Assess
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toMatch(/^sqs-failsafe: the existing queues fail 2 checks:/);
    expect(answer.Reason).toContain(
      `[1] ERROR existing-queue-as-built: ${queue.name} (work queue) | what: visibilityTimeout = 3 min (180 s): ` +
        `${queue.name} has VisibilityTimeout 30 s; the construct was built for 3 min (180 s) (the default of ` +
        'visibilityTimeout, which was not given)',
    );
    expect(answer.Reason).toContain(
      `[2] ERROR visibility-timeout-covers-invocations: ${queue.name} (work queue) | what: visibilityTimeout = 30 s`,
    );
    expect(answer.Reason).toContain(
      `fix in AWS: aws sqs set-queue-attributes --queue-url ${queue.url} --attributes VisibilityTimeout=180`,
    );
  });

  it('fails a DLQ that keeps messages no longer than the work queue (a setup rule)', async () => {
    const { queue, deadLetterQueue } = await queues({}, { MessageRetentionPeriod: '86400' });
    const answer = await run('Update', expectationFor(queue, deadLetterQueue));
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toContain('ERROR dead-letter-retention-outlasts-source');
    expect(answer.Reason).toContain(
      `fix in AWS: aws sqs set-queue-attributes --queue-url ${deadLetterQueue.url} --attributes MessageRetentionPeriod=1209600`,
    );
  });

  it("fails a maxReceiveCount under the safety net for the consumer's attempts, with the formula's value", async () => {
    // Arrange: failed attempts stay in the queue (redelivery 'visibility'), so each is a receive: 4 + 4 for
    // crashes; the queue keeps the 5 that suits copies
    const { queue, deadLetterQueue } = await queues();
    const built = expectationFor(queue, deadLetterQueue);
    const expectation: AdoptedQueuesExpectation = {
      ...built,
      assumed: built.assumed.map((assumed) =>
        assumed.attribute === 'maxReceiveCount' ? { ...assumed, value: 8 } : assumed,
      ),
      setup: { ...built.setup, attempts: { maxAttempts: 4, redelivery: 'visibility' } },
    };

    // Act
    const answer = await run('Create', expectation);

    // Assess
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toContain(
      `ERROR max-receive-count-safety-net: ${queue.name} (work queue) | what: maxReceiveCount = 5`,
    );
    expect(answer.Reason).toContain('raise maxReceiveCount to at least 8 (maxAttempts + 4 = 4 + 4)');
    expect(answer.Reason).toContain('\\"maxReceiveCount\\":\\"8\\"');
  });

  it('fails a work queue that dead-letters somewhere else than the DLQ it was given', async () => {
    // Arrange: the queue's redrive policy names another queue
    const { queue, deadLetterQueue } = await queues();
    const other = await aws.createQueue('elsewhere');
    await aws.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queue.url,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: other.arn, maxReceiveCount: 5 }) },
      }),
    );

    // Act
    const answer = await run('Create', expectationFor(queue, deadLetterQueue));

    // Assess
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toContain(
      `what: existingQueue.deadLetterQueue = ${deadLetterQueue.arn}: ${queue.name}'s redrive policy names ${other.arn}, not this queue`,
    );
  });

  it('fails a work queue without a redrive policy, as doctor does', async () => {
    const { queue, deadLetterQueue } = await queues({ RedrivePolicy: '' });
    const answer = await run('Create', expectationFor(queue, deadLetterQueue));
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toContain(`ERROR dead-letter-queue-configured: ${queue.name} (work queue)`);
  });

  it('fails, naming the prop, when a queue cannot be read', async () => {
    const { deadLetterQueue } = await queues();
    const missing = {
      ...deadLetterQueue,
      url: deadLetterQueue.url.replace(/orders-dlq[^/]*$/, 'no-such-queue'),
    };
    const answer = await run('Create', expectationFor(missing, deadLetterQueue));
    expect(answer.Status).toBe('FAILED');
    expect(answer.Reason).toMatch(
      /^sqs-failsafe: the check of the existing queues failed: Error: cannot read \S+no-such-queue \(existingQueue\.queue\): /,
    );
  });

  it('lets a stack be deleted without reading anything', async () => {
    const { deadLetterQueue } = await queues();
    const missing = { ...deadLetterQueue, url: 'http://127.0.0.1:1/000000000000/gone' };
    const answer = await run('Delete', expectationFor(missing, missing));
    expect(answer.Status).toBe('SUCCESS');
  });
});
