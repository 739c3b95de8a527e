import { SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsClients, createBatchHandler, PermanentError } from '../../lib/index.js';
import { pollOnce, type QueueSource, type SqsConsumer } from '../../local/eventSourceMapping/pollOnce.js';
import { AwsFaultProxy, type SlowAws } from '../../local/faults/awsFaultProxy.js';
import { type LocalAws, type LocalQueue, startLocalAws } from '../helpers/localAws.js';

/**
 * Issue 13 against a real slow endpoint, with real timers: the embedded SQS/SNS server behind the fault
 * proxy, which passes calls on at once and holds their answers back (or never answers). Tried before the
 * fix: a 6 s function whose SNS publish answers after 1.2 s, and one where it hangs: the invocation timed
 * out, AWS redelivered the whole batch, the successes ran again, a dead letter was written twice, and every
 * message spent a receive. Here each invocation is one event-source-mapping turn that fails the whole batch
 * when the function runs past its timeout, as Lambda does. The cases run side by side, each with its own
 * proxy, queues and SDK clients pointed at its proxy (as a user would inject them).
 */

const FUNCTION_TIMEOUT_MS = 6_000;
/**
 * The busy record ends here, just inside the records' budget (6 s - 1 s safety margin): the calls after the
 * handler start about 5 s in, so a publish answering 1.2 s later would end past 6 s.
 */
const BUSY_MS = 4_850;

let aws: LocalAws;
let topicArn: string;
const proxies: AwsFaultProxy[] = [];

beforeAll(async () => {
  aws = await startLocalAws();
  topicArn = await aws.createTopic('slow-events');
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await aws.stop();
});

/** SDK clients that reach the server through a proxy slowing `slowAws`'s calls. */
async function slowClients(slowAws: SlowAws): Promise<{ proxy: AwsFaultProxy; clients: AwsClients }> {
  const proxy = new AwsFaultProxy(
    new URL(aws.endpoint as string),
    { sqsThrottle: 0, snsPublishFailure: 0, slowAws },
    1,
  );
  proxies.push(proxy);
  const endpoint = await proxy.listen();
  const common = { region: aws.region, endpoint, maxAttempts: 1 };
  return {
    proxy,
    clients: {
      sqs: new SQSClient({ ...common, useQueueUrlAsEndpoint: false }),
      sns: new SNSClient(common),
    },
  };
}

/** One Lambda turn over `work`, failing the whole batch if the function runs past its timeout. */
function turn(work: LocalQueue, handler: SqsConsumer) {
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

/** The consumer: one record succeeds, one keeps the batch busy until the budget's end, one is poison. */
function consumer(ran: string[], clients: AwsClients, deadLetterQueueUrl: string): SqsConsumer {
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
      aws: clients,
      deadLetter: { queueUrl: deadLetterQueueUrl },
      notifications: { topicArn },
    },
  );
  return handler as SqsConsumer;
}

describe('a slow or hung call after the handler never runs the function into its timeout', () => {
  it.concurrent.each([
    ['answers after 1.2 s', { actions: ['PublishBatch', 'Publish'], delayMs: [1_200, 1_200], hangRate: 0 }],
    ['never answers', { actions: ['PublishBatch', 'Publish'], delayMs: [0, 0], hangRate: 1 }],
    ['of the DLQ never answers', { actions: ['SendMessageBatch'], delayMs: [0, 0], hangRate: 1 }],
  ] as const)(
    'a 6 s function whose call %s returns in time; nothing runs twice, nothing is lost',
    async (_, slowAws) => {
      // Prepare: one batch of three, in queues of this case's own (the cases run side by side).
      const name = `slow-${(slowAws.actions[0] as string).toLowerCase()}-${slowAws.hangRate}`;
      const work = await aws.createQueue(`${name}-work`, { VisibilityTimeout: '2' });
      const dlq = await aws.createQueue(`${name}-dlq`);
      const { proxy, clients } = await slowClients(slowAws as SlowAws);
      await aws.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: work.url,
          Entries: ['ok', 'busy', 'poison'].map((kind) => ({
            Id: kind,
            MessageBody: JSON.stringify({ kind }),
          })),
        }),
      );
      const ran: string[] = [];
      const lambda = turn(work, consumer(ran, clients, dlq.url));
      // Act
      const result = await lambda.run();
      // Assess: one turn, within the timeout; the batch settled record by record, not redelivered whole.
      expect(lambda.timedOut()).toBe(false);
      expect(result.received).toBe(3);
      expect(result.verdict?.kind).not.toBe('failure');
      expect(proxy.counts.slowed + proxy.counts.hung).toBeGreaterThan(0);
      expect(ran).toHaveLength(3);
      // What comes back is exactly what the response kept: never the success, and the poison record
      // only when its dead letter could not be sent. The DLQ holds it once, or not at all.
      const deadLetterSent = !(slowAws.actions as readonly string[]).includes('SendMessageBatch');
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const back = (await aws.drain(work.url, { waitSeconds: 1 })).map(
        (message) => JSON.parse(message.Body ?? '{}').kind as string,
      );
      expect(back).not.toContain('ok');
      expect(back.includes('poison')).toBe(!deadLetterSent);
      expect(back).toHaveLength(3 - result.deleted);
      const inDlq = await aws.drain(dlq.url, { waitSeconds: 1 });
      expect(inDlq).toHaveLength(deadLetterSent ? 1 : 0);
    },
  );
});
