import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetAwsClients } from '../../lib/aws/awsClients.js';
import { createBatchHandler, PermanentError } from '../../lib/index.js';
import { pollOnce, type QueueSource, type SqsConsumer } from '../../local/eventSourceMapping/pollOnce.js';
import { AwsFaultProxy, type SlowAws } from '../../local/faults/awsFaultProxy.js';
import { type LocalAws, type LocalQueue, startLocalAws } from '../helpers/localAws.js';

/**
 * Issue 13 against a real slow endpoint, with real timers: the embedded SQS/SNS server behind the fault
 * proxy, which passes calls on at once and holds their answers back (or never answers). Tried before the
 * fix: a 6 s function whose SNS publish answers after 1.2 s, and one where it hangs: the invocation timed
 * out, AWS redelivered the whole batch, the successes ran again, a dead letter was written twice, and every
 * message spent a receive. Here each invocation is one event-source-mapping turn that fails the whole batch
 * when the function runs past its timeout, as Lambda does.
 */

const FUNCTION_TIMEOUT_MS = 6_000;
/** The records end here, leaving the post-handler calls what the safety margin keeps (1 s by default). */
const BUSY_MS = 4_700;

let aws: LocalAws;
let proxy: AwsFaultProxy | undefined;
let work: LocalQueue;
let dlq: LocalQueue;
let topicArn: string;
const ran: string[] = [];

beforeAll(async () => {
  aws = await startLocalAws();
  dlq = await aws.createQueue('slow-dlq');
  topicArn = await aws.createTopic('slow-events');
});

afterAll(async () => {
  await aws.stop();
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  process.env.AWS_ENDPOINT_URL = aws.endpoint;
  resetAwsClients();
});

/** Routes the library's own clients through a proxy that slows `slowAws`'s calls. */
async function slowDown(slowAws: SlowAws): Promise<AwsFaultProxy> {
  const started = new AwsFaultProxy(
    new URL(aws.endpoint as string),
    { sqsThrottle: 0, snsPublishFailure: 0, slowAws },
    1,
  );
  process.env.AWS_ENDPOINT_URL = await started.listen();
  resetAwsClients();
  proxy = started;
  return started;
}

/** One Lambda turn over the work queue, failing the whole batch if the function runs past its timeout. */
function turn(handler: SqsConsumer) {
  let timedOut = false;
  const withTimeout: SqsConsumer = (event, context) =>
    Promise.race([
      handler(event, context),
      new Promise<never>((_, reject) =>
        setTimeout(() => {
          timedOut = true;
          reject(new Error(`Task timed out after ${FUNCTION_TIMEOUT_MS / 1_000} seconds`));
        }, FUNCTION_TIMEOUT_MS),
      ),
    ]);
  const source: QueueSource = { queueUrl: work.url, queueArn: work.arn, region: aws.region };
  return {
    run: () => pollOnce(aws.sqs, source, withTimeout, { timeoutMs: FUNCTION_TIMEOUT_MS }),
    timedOut: () => timedOut,
  };
}

async function sendBatch(): Promise<void> {
  await aws.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: work.url,
      Entries: ['ok', 'busy', 'poison'].map((kind) => ({ Id: kind, MessageBody: JSON.stringify({ kind }) })),
    }),
  );
}

function handlerFor(): SqsConsumer {
  const handler = createBatchHandler(
    async (message: unknown, { record }) => {
      ran.push(record.messageId);
      const { kind } = message as { kind: string };
      if (kind === 'busy') await new Promise((resolve) => setTimeout(resolve, BUSY_MS));
      if (kind === 'poison') throw new PermanentError('order rejected');
    },
    {
      retry: false,
      configFromEnvironment: false,
      deadLetter: { queueUrl: dlq.url },
      notifications: { topicArn },
    },
  );
  return handler as SqsConsumer;
}

describe('a slow or hung call after the handler never runs the function into its timeout', () => {
  it.each([
    ['answers after 1.2 s', { actions: ['PublishBatch', 'Publish'], delayMs: [1_200, 1_200], hangRate: 0 }],
    ['never answers', { actions: ['PublishBatch', 'Publish'], delayMs: [0, 0], hangRate: 1 }],
    ['of the DLQ never answers', { actions: ['SendMessageBatch'], delayMs: [0, 0], hangRate: 1 }],
  ] as const)(
    'a 6 s function whose call %s returns in time; nothing runs twice, nothing is lost',
    async (_, slowAws) => {
      // Prepare
      work = await aws.createQueue('slow-work', { VisibilityTimeout: '2' });
      const slowed = await slowDown(slowAws as SlowAws);
      await sendBatch();
      ran.length = 0;
      const lambda = turn(handlerFor());
      // Act
      const startedAt = Date.now();
      const result = await lambda.run();
      const tookMs = Date.now() - startedAt;
      // Assess: one turn, within the timeout, the batch settled as a fast call would settle it.
      expect(lambda.timedOut()).toBe(false);
      expect(tookMs).toBeLessThan(FUNCTION_TIMEOUT_MS + 500);
      expect(result.received).toBe(3);
      expect(slowed.counts.slowed + slowed.counts.hung).toBeGreaterThan(0);
      const deadLetterSent = !(slowAws.actions as readonly string[]).includes('SendMessageBatch');
      expect(result.deleted).toBe(deadLetterSent ? 3 : 2);
      expect(ran).toHaveLength(3);
      // Nothing comes back but a poison record whose dead letter could not be sent (reported failed).
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const back = await aws.drain(work.url, { waitSeconds: 1 });
      expect(back.map((message) => JSON.parse(message.Body ?? '{}').kind)).toEqual(
        deadLetterSent ? [] : ['poison'],
      );
      const inDlq = await aws.drain(dlq.url, { waitSeconds: 1 });
      expect(inDlq).toHaveLength(deadLetterSent ? 1 : 0);
    },
  );
});
