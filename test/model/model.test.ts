import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { AwsModel } from './aws/awsModel.js';
import { ModelQueue, type QueueSettings } from './aws/modelQueue.js';
import { publishBatchProblems, sendMessageBatchProblems } from './aws/requestLimits.js';
import { SqsService } from './aws/sqsService.js';
import { deadLetterProblem } from './invariants.js';
import { isDeletedBy, verdictOf } from './lambda/eventSourceMapping.js';
import { LogicalMessage } from './ledger.js';
import { deployment } from './runModel.js';
import { SimulatedClock } from './simulation/simulatedClock.js';

/**
 * The model checked against the AWS rules it stands for (docs/testing.md): if the model were wrong, the
 * property would judge the runtime by the wrong rules.
 */

const settings = (overrides: Partial<QueueSettings> = {}): QueueSettings => ({
  name: 'work',
  url: 'https://sqs.eu-west-1.amazonaws.com/111122223333/work',
  arn: 'arn:aws:sqs:eu-west-1:111122223333:work',
  fifo: false,
  visibilityTimeoutSeconds: 30,
  retentionSeconds: 3_600,
  delaySeconds: 0,
  ...overrides,
});

function queue(overrides: Partial<QueueSettings> = {}): ModelQueue {
  let id = 0;
  return new ModelQueue(settings(overrides), () => `m${++id}`);
}

const receive = (target: ModelQueue, max: number, now: number, moved: unknown[] = []) =>
  target.receive(
    max,
    target.settings.visibilityTimeoutSeconds,
    now,
    (message) => moved.push(message),
    (all) => all,
  );

describe('the SQS queue model', () => {
  it('FIFO: hands out several messages of a group in one receive, in order, and none while one is in flight', () => {
    const fifo = queue({ fifo: true, name: 'work.fifo' });
    for (const [group, n] of [
      ['a', 1],
      ['a', 2],
      ['b', 3],
      ['a', 4],
    ] as const)
      fifo.send({ body: String(n), groupId: group, deduplicationId: String(n) }, 0);
    expect(receive(fifo, 10, 0).map((message) => message.body)).toEqual(['1', '2', '4', '3']);
    fifo.send({ body: '5', groupId: 'a', deduplicationId: '5' }, 0);
    expect(receive(fifo, 10, 1_000)).toEqual([]);
    expect(receive(fifo, 10, 31_000).map((message) => message.body)).toEqual(['1', '2', '4', '5', '3']);
    // The head still in flight, a follower released at once (visibility 0): still nothing of the group.
    const [head, follower] = fifo.messages;
    fifo.changeVisibility(follower?.receiptHandle as string, 0, 32_000);
    expect(head?.visibleAt).toBeGreaterThan(32_000);
    expect(receive(fifo, 10, 32_000).map((message) => message.body)).toEqual([]);
  });

  it('FIFO: drops a repeated deduplication id within five minutes, not after', () => {
    const fifo = queue({ fifo: true, name: 'work.fifo' });
    expect(fifo.send({ body: 'x', groupId: 'a', deduplicationId: 'd' }, 0).kind).toBe('sent');
    expect(fifo.send({ body: 'x', groupId: 'a', deduplicationId: 'd' }, 299_999).kind).toBe('duplicate');
    expect(fifo.send({ body: 'x', groupId: 'a', deduplicationId: 'd' }, 300_000).kind).toBe('sent');
  });

  it('holds a message back for its DelaySeconds, and again for its visibility timeout', () => {
    const standard = queue();
    standard.send({ body: 'x', delaySeconds: 10 }, 0);
    expect(receive(standard, 10, 9_999)).toEqual([]);
    expect(receive(standard, 10, 10_000)).toHaveLength(1);
    expect(receive(standard, 10, 39_999)).toEqual([]);
    expect(receive(standard, 10, 40_000)[0]?.receiveCount).toBe(2);
  });

  it('moves a message to the DLQ on the receive after maxReceiveCount, keeping its receive count and source', () => {
    const dlqSettings = settings({
      name: 'dlq',
      arn: 'arn:aws:sqs:eu-west-1:111122223333:dlq',
      url: 'https://sqs/dlq',
    });
    const observed: string[] = [];
    const clock = { now: () => now, random: () => 0.5, sleep: async () => {} };
    let now = 0;
    const sqs = new SqsService(
      {
        sent: () => {},
        received: () => {},
        deleted: () => {},
        movedByPolicy: (_from, _to, message) => observed.push(`${message.messageId}:${message.receiveCount}`),
        expired: () => {},
      },
      clock,
    );
    const work = sqs.createQueue(
      settings({ redrivePolicy: { deadLetterTargetArn: dlqSettings.arn, maxReceiveCount: 2 } }),
    );
    const dlq = sqs.createQueue(dlqSettings);
    sqs.send(work, { body: 'x' }, 'producer');
    for (const at of [0, 30_000, 60_000]) {
      now = at;
      sqs.receive(work, 10, 'test');
    }
    expect(observed).toEqual(['work-000001:2']);
    expect(dlq.messages[0]).toMatchObject({ deadLetterQueueSourceArn: work.settings.arn, enqueuedAt: 0 });
  });

  it('expires messages after the retention period', () => {
    const standard = queue({ retentionSeconds: 60 });
    standard.send({ body: 'x' }, 0);
    expect(standard.expire(59_999)).toEqual([]);
    expect(standard.expire(60_000)).toHaveLength(1);
  });

  it('refuses a visibility change past 12 hours from the receive, and one for a stale receipt handle', () => {
    const standard = queue({ visibilityTimeoutSeconds: 43_200 });
    standard.send({ body: 'x' }, 0);
    const [message] = receive(standard, 1, 0);
    const handle = message?.receiptHandle as string;
    expect(standard.changeVisibility(handle, 43_200, 1_000)).toBe('too-long');
    expect(standard.changeVisibility(handle, 42_000, 1_000)).toBe('done');
    expect(standard.changeVisibility('m1~0', 10, 1_000)).toBe('stale');
  });
});

describe('the event source mapping model: ReportBatchItemFailures', () => {
  const batch = ['a', 'b'];
  it.each([
    ['null', null, ['a', 'b']],
    ['undefined', undefined, ['a', 'b']],
    ['{}', {}, ['a', 'b']],
    ['an empty list', { batchItemFailures: [] }, ['a', 'b']],
    ['a null list', { batchItemFailures: null }, ['a', 'b']],
    ['one failure', { batchItemFailures: [{ itemIdentifier: 'a' }] }, ['b']],
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }, []],
    ['a misspelt key', { batchItemFailures: [{ itemIdentifer: 'a' }] }, []],
    ['an id not in the batch', { batchItemFailures: [{ itemIdentifier: 'z' }] }, []],
    ['a list that is not a list', { batchItemFailures: 'a' }, []],
    ['a string', 'ok', []],
  ])('%s deletes %j', (_name, result, deleted) => {
    const verdict = verdictOf(result, batch);
    expect(batch.filter((id) => isDeletedBy(verdict, id))).toEqual(deleted);
  });
});

describe('request limits', () => {
  it('refuses eleven entries, and fails single entries with a bad delay, a control character or 11 attributes', () => {
    const eleven = Array.from({ length: 11 }, (_, index) => ({ Id: `e${index}`, MessageBody: 'x' }));
    expect(sendMessageBatchProblems(eleven, false).request.map((problem) => problem.code)).toEqual([
      'TooManyEntriesInBatchRequest',
    ]);
    const attributes = Object.fromEntries(
      Array.from({ length: 11 }, (_, index) => [`a${index}`, { DataType: 'String', StringValue: 'v' }]),
    );
    const problems = sendMessageBatchProblems(
      [
        { Id: 'delay', MessageBody: 'x', DelaySeconds: 901 },
        { Id: 'control', MessageBody: 'x\u0001' },
        { Id: 'attributes', MessageBody: 'x', MessageAttributes: attributes },
        { Id: 'fine', MessageBody: 'x' },
      ],
      false,
    );
    expect([...problems.entries.keys()]).toEqual(['delay', 'control', 'attributes']);
  });

  it('refuses a PublishBatch over 256 KB and a lone surrogate in a message', () => {
    const big = 'x'.repeat(140_000);
    expect(
      publishBatchProblems([
        { Id: 'a', Message: big },
        { Id: 'b', Message: big },
      ]).request.map((problem) => problem.code),
    ).toEqual(['BatchRequestTooLong']);
    expect([...publishBatchProblems([{ Id: 'a', Message: 'half \uD83D' }]).entries.keys()]).toEqual(['a']);
  });
});

describe('the AWS model', () => {
  function served() {
    const clock = new SimulatedClock(0, 1);
    const hooks = {
      now: () => clock.now,
      random: () => clock.random(),
      sleep: (ms: number) => clock.sleep(ms),
      touch: () => {},
      violation: () => {},
    };
    const aws = new AwsModel(hooks, () => 'work');
    const sqs = new SqsService(
      { sent: () => {}, received: () => {}, deleted: () => {}, movedByPolicy: () => {}, expired: () => {} },
      hooks,
    );
    const work = sqs.createQueue(settings());
    sqs.registerOperations(aws);
    const client = aws.client<SQSClient>({ label: 'test', isDead: () => false });
    const sendTwo = () =>
      client.send(
        new SendMessageBatchCommand({
          QueueUrl: work.settings.url,
          Entries: [
            { Id: 'a', MessageBody: 'a' },
            { Id: 'b', MessageBody: 'b' },
          ],
        }),
      );
    return { aws, work, sendTwo, clock };
  }

  it('throttles a whole call, and leaves entries it fails in Failed[] undone', async () => {
    const { aws, work, sendTwo } = served();
    aws.arm('SQS.SendMessageBatch@work', { kind: 'throttle' }, 1);
    await expect(sendTwo()).rejects.toMatchObject({ name: 'ThrottlingException' });
    aws.arm('SQS.SendMessageBatch', { kind: 'partial', senderFault: false }, 1);
    const answer = await sendTwo();
    expect((answer.Successful ?? []).length + (answer.Failed ?? []).length).toBe(2);
    expect(work.messages.map((message) => message.body)).toEqual(answer.Successful?.map((entry) => entry.Id));
  });

  it('answers a slow call late, and never answers a hung one (served or not)', async () => {
    const { aws, work, sendTwo, clock } = served();
    clock.install();
    try {
      aws.arm('SQS.SendMessageBatch', { kind: 'slow', ms: 500 }, 1);
      let answered = false;
      void sendTwo().then(() => {
        answered = true;
      });
      await clock.advanceBy(499);
      expect(answered).toBe(false);
      await clock.advanceBy(1);
      expect(answered).toBe(true);
      aws.arm('SQS.SendMessageBatch', { kind: 'hung', served: true }, 1);
      let hungAnswered = false;
      void sendTwo().then(() => {
        hungAnswered = true;
      });
      await clock.advanceBy(3_600_000);
      expect(hungAnswered).toBe(false);
      expect(work.messages).toHaveLength(4);
    } finally {
      clock.uninstall();
    }
  });
});

describe('the deployment', () => {
  it('takes the construct defaults from its template: A = 4, maxReceiveCount 5 (copies), 180 s visibility, 30 s timeout, the ledger', () => {
    const standard = deployment('standard');
    expect(standard.consumer.config.deadLetter?.maxAttempts).toBe(4);
    expect(standard.source.redrivePolicy?.maxReceiveCount).toBe(5);
    expect(standard.consumer.config.attemptLedger?.tableName).toMatch(/AttemptLedger/);
    expect(deployment('fifo').source.redrivePolicy?.maxReceiveCount).toBe(53);
    expect(standard.source.visibilityTimeoutSeconds).toBe(180);
    expect(standard.consumer.timeoutSeconds).toBe(30);
    expect(standard.consumer.config.deadLetter?.queueUrl).toBe(standard.deadLetterQueue.url);
    expect(standard.breaker?.config.mappingUuid).toBe(standard.mappingUuid);
    expect(standard.redrive?.config.dlqUrl).toBe(standard.deadLetterQueue.url);
  });
});

describe('a run', () => {
  it('replays exactly from its seed: the same commands make the same AWS calls and the same history', async () => {
    const { advance, fault, poll, send } = await import('./commands.js');
    const { runCommands } = await import('./runModel.js');
    const commands = () => [
      send(
        { behaviour: { kind: 'transient', failures: 2 } },
        { behaviour: { kind: 'permanent' } },
        { behaviour: { kind: 'slow', ms: 12_000 } },
        { behaviour: { kind: 'ok' } },
      ),
      fault('SQS.ChangeMessageVisibilityBatch@source', { kind: 'partial', senderFault: false }, 2),
      poll(),
      advance(60_000),
      poll(),
      advance(600_000),
      poll(),
    ];
    const trace = async () => {
      const world = await runCommands({ deployment: 'standard', seed: 99 }, commands());
      return JSON.stringify({
        calls: world.aws.calls.map((call) => [call.operation, call.startedAt]),
        runs: world.ledger.messages.map((message) => message.runs.map((run) => [run.result, run.startedAt])),
      });
    };
    expect(await trace()).toBe(await trace());
  });
});

describe('the attempts-before-dead-letter judgement', () => {
  /** A message SQS's redrive policy moved after five receives without an attempt: three unreported. */
  const movedAfter = (kept: { copyNotMade: boolean }) => {
    const message = new LogicalMessage(8, { kind: 'crash', times: 2 }, 0, undefined);
    const outcomes = ['unreported', 'kept', 'kept', 'unreported', 'unreported'] as const;
    for (const [index, outcome] of outcomes.entries())
      message.deliveries.push({
        invocation: index + 1,
        messageId: 'm8',
        receiveCount: index + 1,
        sentAt: 0,
        at: index * 60_000,
        outcome,
        ...(outcome === 'kept' && kept.copyNotMade ? { copyNotMade: true } : {}),
      });
    return deadLetterProblem({
      message,
      delivery: undefined,
      by: 'queue-policy',
      now: 400_000,
      attemptLimit: 4,
      maxAgeSeconds: undefined,
      errorClass: undefined,
    });
  };

  it('leaves receives whose copy could not be made to the allowance U, as the formula does', () => {
    expect(movedAfter({ copyNotMade: true })).toBeUndefined();
  });

  it('gives no allowance for a record kept in place that the runtime should have copied', () => {
    expect(movedAfter({ copyNotMade: false })).toContain('0 failed attempt(s) of 4, 3 unreported receive(s)');
  });
});
