import { SubscribeCommand } from '@aws-sdk/client-sns';
import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FailsafeEvent, parseFailsafeEvent } from '../../../lib/events/index.js';
import {
  createRedriveHandler,
  InvalidRedriveTriggerError,
  REDRIVE_COUNT_ATTRIBUTE,
  type RedriveConfig,
  type RedriveHandlerOptions,
  RedriveQueueNotFoundError,
  RedriveQueueTypeMismatchError,
} from '../../../lib/redrive/index.js';
import {
  decodeRedriveState,
  encodeRedriveState,
  INITIAL_REDRIVE_STATE,
  REDRIVE_STATE_TAG,
} from '../../../lib/redriveFunction/redriveState.js';
import alarmAction from '../../fixtures/events/cloudwatch-alarm-action.json' with { type: 'json' };
import eventBridge from '../../fixtures/events/cloudwatch-alarm-eventbridge.json' with { type: 'json' };
import sns from '../../fixtures/events/cloudwatch-alarm-sns.json' with { type: 'json' };
import schedule from '../../fixtures/events/eventbridge-scheduled-event.json' with { type: 'json' };
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { type LocalAws, type LocalQueue, redrivesTo, startLocalAws } from '../../helpers/localAws.js';
import { readAll, seed } from '../../helpers/queueMessages.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';

/** The alarm names in the fixtures. */
const HEALTH_ALARM = 'orders-consumer-health';
const DLQ_ALARM = 'orders-dlq-not-empty';

let server: LocalAws;
beforeAll(async () => {
  server = await startLocalAws();
});
afterAll(async () => {
  await server.stop();
});

interface Setup {
  readonly dlq: LocalQueue;
  readonly source: LocalQueue;
  readonly events: LocalQueue;
  readonly metrics: string[];
  readonly invokeSelf: ReturnType<typeof vi.fn<(functionArn: string, payload: unknown) => Promise<void>>>;
  readonly handler: ReturnType<typeof createRedriveHandler>;
  readonly config: RedriveConfig;
}

async function setup(
  config: Partial<RedriveConfig> = {},
  options: Partial<RedriveHandlerOptions> = {},
): Promise<Setup> {
  const dlq = await server.createQueue('fn-dlq');
  const source = await server.createQueue('fn-source', redrivesTo(dlq));
  const events = await server.createQueue('fn-events');
  const topicArn = await server.createTopic('fn-topic');
  await server.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: events.arn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  const metrics: string[] = [];
  const invokeSelf = vi
    .fn<(functionArn: string, payload: unknown) => Promise<void>>()
    .mockResolvedValue(undefined);
  const fullConfig: RedriveConfig = {
    dlqUrl: dlq.url,
    sourceQueueUrl: source.url,
    topicArn,
    healthAlarmName: HEALTH_ALARM,
    dlqAlarmName: DLQ_ALARM,
    cooldownSeconds: 600,
    ...config,
  };
  const handler = createRedriveHandler({
    config: fullConfig,
    logger: recordingLogger(),
    metrics: true,
    writeMetrics: (line) => metrics.push(line),
    invokeSelf,
    // CloudWatch is not part of the SQS/SNS server: the health alarm reads OK unless a test says otherwise.
    alarmStates: { stateOf: async () => 'OK' },
    ...options,
  });
  return { dlq, source, events, metrics, invokeSelf, handler, config: fullConfig };
}

const numbered = (count: number, attributes = {}) =>
  Array.from({ length: count }, (_, n) => ({ body: JSON.stringify({ n }), attributes }));
const returned = (count: number) =>
  numbered(count, { [REDRIVE_COUNT_ATTRIBUTE]: { DataType: 'Number', StringValue: '1' } });

async function eventsOn(queue: LocalQueue): Promise<FailsafeEvent[]> {
  return (await readAll(server.sqs, queue.url)).map((message) =>
    parseFailsafeEvent(JSON.parse(message.body)),
  );
}

async function stateOf(queue: LocalQueue) {
  const { Tags } = await server.sqs.send(new ListQueueTagsCommand({ QueueUrl: queue.url }));
  return decodeRedriveState(Tags?.[REDRIVE_STATE_TAG]);
}

async function depth(queue: LocalQueue): Promise<number> {
  const { Attributes } = await server.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

describe('redrive function: triggers and policy', () => {
  it('health alarm ALARM -> OK through SNS: redrives, publishes started/completed, keeps state, emits the metric', async () => {
    const { dlq, source, events, metrics, handler } = await setup();
    await seed(server.sqs, dlq.url, numbered(15));

    const result = await handler(sns, lambdaContext(60_000, 'orders-redrive'));

    expect(result).toMatchObject({ status: 'completed', continues: false, breakerOpened: false });
    expect(result.reason).toMatch(/health alarm orders-consumer-health returned to OK/);
    expect(result.report).toMatchObject({ moved: 15, stopReason: 'drained' });
    expect((await readAll(server.sqs, source.url)).length).toBe(15);

    const published = await eventsOn(events);
    expect(published.map((event) => event.type).sort()).toEqual(['redrive.completed', 'redrive.started']);
    const started = published.find((event) => event.type === 'redrive.started');
    const completed = published.find((event) => event.type === 'redrive.completed');
    expect(started).toMatchObject({
      source: { queueArn: dlq.arn, queueName: dlq.name, functionName: 'orders-redrive' },
      redrive: {
        startedBy: 'health-alarm',
        continuation: 0,
        approximateDepth: 15,
        maxMessages: 10_000,
        dryRun: false,
      },
    });
    expect(completed).toMatchObject({
      redrive: { moved: 15, stopReason: 'drained', continues: false, breakerOpened: false },
    });
    expect(completed?.type === 'redrive.completed' && completed.redrive.runId).toBe(
      started?.type === 'redrive.started' && started.redrive.runId,
    );

    const state = await stateOf(dlq);
    expect(state).toMatchObject({ redriven: 15, returned: 0, openUntil: 0, draining: false });
    expect(state.lastRunAt).toBeGreaterThan(0);

    expect(metrics.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ QueueName: source.name, MessagesRedriven: 15 }),
    ]);
  });

  it('EventBridge alarm state change of the health alarm redrives too', async () => {
    const { dlq, source, handler } = await setup();
    await seed(server.sqs, dlq.url, numbered(3));
    expect(await handler(eventBridge, lambdaContext())).toMatchObject({
      status: 'completed',
      report: { moved: 3 },
    });
    expect((await readAll(server.sqs, source.url)).length).toBe(3);
  });

  it('DLQ alarm through the alarm action: redrives, then refuses within the cooldown', async () => {
    const { dlq, handler } = await setup({ cooldownSeconds: 600 });
    await seed(server.sqs, dlq.url, numbered(4));
    expect(await handler(alarmAction, lambdaContext())).toMatchObject({
      status: 'completed',
      report: { moved: 4 },
    });

    await seed(server.sqs, dlq.url, numbered(2));
    const second = await handler(alarmAction, lambdaContext());
    expect(second).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/DLQ alarm fired during the cooldown: \d+ s left/),
    });
    expect(await depth(dlq)).toBe(2);
  });

  it('does not redrive into an outage: the DLQ alarm is refused while the health alarm is in ALARM', async () => {
    const asked: string[] = [];
    const { dlq, handler } = await setup(
      { cooldownSeconds: 0 },
      {
        alarmStates: {
          stateOf: async (name) => {
            asked.push(name);
            return 'ALARM';
          },
        },
      },
    );
    await seed(server.sqs, dlq.url, numbered(3));
    expect(await handler(alarmAction, lambdaContext())).toEqual({
      status: 'skipped',
      reason: `the consumer is unhealthy (health alarm ${HEALTH_ALARM} is in ALARM): its return to OK will redrive`,
    });
    expect(asked).toEqual([HEALTH_ALARM]);
    expect(await depth(dlq)).toBe(3);
  });

  it('decides without the health alarm when its state cannot be read, and says so in the log', async () => {
    const logger = recordingLogger();
    const { dlq, handler } = await setup(
      { cooldownSeconds: 0 },
      {
        logger,
        alarmStates: {
          stateOf: async () => {
            throw Object.assign(new Error('User is not authorized to perform: cloudwatch:DescribeAlarms'), {
              name: 'AccessDenied',
            });
          },
        },
      },
    );
    await seed(server.sqs, dlq.url, numbered(2));
    expect(await handler(alarmAction, lambdaContext())).toMatchObject({
      status: 'completed',
      report: { moved: 2 },
    });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'Health alarm state not read; deciding without it' }),
    );
  });

  it('ignores other transitions and other alarms, moving nothing', async () => {
    const { dlq, handler } = await setup({ healthAlarmName: 'another-health-alarm' });
    await seed(server.sqs, dlq.url, numbered(2));
    expect(await handler(sns, lambdaContext())).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/neither the health alarm/),
    });
    expect(await depth(dlq)).toBe(2);
  });

  it('a schedule redrives once the cooldown has passed, while the DLQ alarm is in ALARM', async () => {
    const { dlq, handler } = await setup(
      { cooldownSeconds: 0 },
      { alarmStates: { stateOf: async (name) => (name === DLQ_ALARM ? 'ALARM' : 'OK') } },
    );
    await seed(server.sqs, dlq.url, numbered(5));
    expect(await handler(schedule, lambdaContext())).toMatchObject({
      status: 'completed',
      report: { moved: 5 },
    });
  });

  it('a DLQ alarm skipped in the cooldown is looked at again: the schedule redrives once the cooldown has passed', async () => {
    // Prepare: a clock, and a DLQ alarm that stays in ALARM while messages wait (it acts only on a change)
    let now = Date.parse('2026-11-01T10:00:00Z');
    let dlqAlarm: 'OK' | 'ALARM' = 'ALARM';
    const { dlq, handler } = await setup(
      { cooldownSeconds: 600 },
      {
        now: () => now,
        alarmStates: { stateOf: async (name) => (name === DLQ_ALARM ? dlqAlarm : 'OK') },
      },
    );
    await seed(server.sqs, dlq.url, numbered(2));
    expect(await handler(alarmAction, lambdaContext())).toMatchObject({ status: 'completed' });

    // Act: more dead letters; the alarm's trigger arrives in the cooldown and is skipped
    await seed(server.sqs, dlq.url, numbered(3));
    now += 60_000;
    expect(await handler(alarmAction, lambdaContext())).toMatchObject({ status: 'skipped' });
    now += 240_000;
    expect(await handler(schedule, lambdaContext())).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/^cooldown/),
    });

    // Assess: once the cooldown has passed, the schedule finds the alarm still in ALARM and redrives
    now += 400_000;
    expect(await handler(schedule, lambdaContext())).toMatchObject({
      status: 'completed',
      reason: expect.stringMatching(/still in ALARM/),
      report: { moved: 3 },
    });
    expect(await depth(dlq)).toBe(0);
    // And with the alarm back to OK, a later schedule does nothing.
    dlqAlarm = 'OK';
    now += 700_000;
    expect(await handler(schedule, lambdaContext())).toMatchObject({ status: 'skipped' });
  });

  it('by hand: a dry run with a filter reports, moves nothing, and leaves the state alone', async () => {
    const { dlq, source, handler } = await setup();
    await seed(server.sqs, dlq.url, [
      { body: JSON.stringify({ region: 'eu' }), attributes: {} },
      { body: JSON.stringify({ region: 'us' }), attributes: {} },
    ]);
    const result = await handler({ dryRun: true, filter: '$.region=eu' }, lambdaContext());
    expect(result).toMatchObject({
      status: 'completed',
      report: { dryRun: true, moved: 1, skippedByFilter: 1 },
    });
    expect(await readAll(server.sqs, source.url)).toEqual([]);
    expect(await depth(dlq)).toBe(2);
    expect(await stateOf(dlq)).toEqual(INITIAL_REDRIVE_STATE);
  });

  it('by hand: max and another DLQ/source pair given by name', async () => {
    const { handler } = await setup();
    const otherDlq = await server.createQueue('other-dlq');
    const otherSource = await server.createQueue('other-source', redrivesTo(otherDlq));
    await seed(server.sqs, otherDlq.url, numbered(8));
    const result = await handler({ dlq: otherDlq.name, source: otherSource.name, max: 5 }, lambdaContext());
    expect(result).toMatchObject({ status: 'completed', report: { moved: 5, stopReason: 'max-messages' } });
    expect((await readAll(server.sqs, otherSource.url)).length).toBe(5);
  });
});

describe('redrive function: bad input never moves anything without a report', () => {
  it('rejects an unknown payload and an alarm missing fields, clearly', async () => {
    const { dlq, handler } = await setup();
    await seed(server.sqs, dlq.url, numbered(2));
    await expect(handler({ hello: 'world' }, lambdaContext())).rejects.toThrowError(
      InvalidRedriveTriggerError,
    );
    const broken = structuredClone(alarmAction) as { alarmData: Record<string, unknown> };
    delete broken.alarmData.alarmName;
    await expect(handler(broken, lambdaContext())).rejects.toThrowError(/alarmData\.alarmName is missing/);
    expect(await depth(dlq)).toBe(2);
  });

  it('says the DLQ does not exist', async () => {
    const { source } = await setup();
    const handler = createRedriveHandler({
      config: { dlqUrl: source.url.replace(/fn-source-[\w-]+$/, 'gone-dlq'), sourceQueueUrl: source.url },
      logger: recordingLogger(),
      metrics: false,
    });
    await expect(handler({ dryRun: false }, lambdaContext())).rejects.toThrowError(RedriveQueueNotFoundError);
  });

  it('refuses a source of another type than the DLQ', async () => {
    const { dlq, handler } = await setup();
    await seed(server.sqs, dlq.url, numbered(1));
    const fifo = await server.createQueue('fifo-source.fifo');
    await expect(handler({ source: fifo.url }, lambdaContext())).rejects.toThrowError(
      RedriveQueueTypeMismatchError,
    );
    expect(await depth(dlq)).toBe(1);
  });

  it('refuses a configuration whose queues differ in type, at creation', () => {
    expect(() =>
      createRedriveHandler({
        config: {
          dlqUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq.fifo',
          sourceQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders',
        },
      }),
    ).toThrowError(/sourceQueueUrl: must be of the same type as the DLQ/);
  });
});

describe('redrive function: guards', () => {
  it('opens the circuit breaker when redriven messages keep coming back, then refuses automatic runs', async () => {
    const { dlq, events, handler } = await setup({
      cooldownSeconds: 0,
      concurrency: 1,
      ratePerSecond: 1_000,
    });
    // 20 redriven earlier in this window; now the DLQ is full of messages that came back.
    const now = Date.now();
    await server.sqs.send(
      new TagQueueCommand({
        QueueUrl: dlq.url,
        Tags: {
          [REDRIVE_STATE_TAG]: encodeRedriveState({
            ...INITIAL_REDRIVE_STATE,
            windowStartedAt: now,
            lastRunAt: now - 1,
            redriven: 20,
          }),
        },
      }),
    );
    await seed(server.sqs, dlq.url, returned(100));

    const result = await handler(alarmAction, lambdaContext());
    expect(result).toMatchObject({
      status: 'completed',
      breakerOpened: true,
      report: { stopReason: 'aborted' },
    });
    expect(result.report?.moved).toBeLessThan(100);
    expect(result.report?.previouslyRedriven).toBeGreaterThanOrEqual(10);
    expect((await stateOf(dlq)).openUntil).toBeGreaterThan(Date.now());
    const completed = (await eventsOn(events)).find((event) => event.type === 'redrive.completed');
    expect(completed).toMatchObject({ redrive: { breakerOpened: true } });

    expect(await handler(alarmAction, lambdaContext())).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/circuit breaker is open/),
    });
    // An operator can still redrive by hand.
    expect(await handler({ max: 5 }, lambdaContext())).toMatchObject({
      status: 'completed',
      report: { moved: 5 },
    });
  });

  it('loop guard end to end: a message that always fails is redriven twice, then parked', async () => {
    const parking = await server.createQueue('fn-parking');
    const dlq = await server.createQueue('loop-dlq');
    const source = await server.createQueue('loop-source', redrivesTo(dlq));
    await server.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: source.url,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) },
      }),
    );
    const handler = createRedriveHandler({
      config: {
        dlqUrl: dlq.url,
        sourceQueueUrl: source.url,
        maxRedrivesPerMessage: 2,
        parkingQueueUrl: parking.url,
      },
      logger: recordingLogger(),
      metrics: false,
    });
    /** A consumer that fails every time: receives, gives the message back, until SQS dead-letters it. */
    const consumerFails = async () => {
      for (let receive = 0; receive < 3; receive += 1) {
        const { Messages = [] } = await server.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10 }),
        );
        for (const message of Messages) {
          await server.sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: source.url,
              ReceiptHandle: message.ReceiptHandle,
              VisibilityTimeout: 0,
            }),
          );
        }
      }
    };
    await seed(server.sqs, dlq.url, [{ body: 'poison', attributes: {} }]);

    const moved: number[] = [];
    for (let cycle = 0; cycle < 3; cycle += 1) {
      const result = await handler({ dryRun: false }, lambdaContext());
      moved.push(result.report?.moved ?? -1);
      await consumerFails();
    }
    expect(moved).toEqual([1, 1, 0]);
    const [parked] = await readAll(server.sqs, parking.url);
    expect(parked?.body).toBe('poison');
    expect(parked?.attributes[REDRIVE_COUNT_ATTRIBUTE]?.StringValue).toBe('2');
    expect(await depth(dlq)).toBe(0);
    expect(await depth(source)).toBe(0);
  });
});

describe('redrive function: a run longer than one invocation', () => {
  /** A Lambda context with this much time left beyond the function's safety margin (6 s at least). */
  const shortContext = (budgetMs: number) => lambdaContext(6_000 + budgetMs, 'orders-redrive');

  it('self-invoke: goes on in a new invocation with what is left of the run, until drained', async () => {
    const { dlq, source, invokeSelf, handler } = await setup({
      ratePerSecond: 20,
      safetyMarginMs: 6_000,
      maxMessagesPerRun: 500,
    });
    await seed(server.sqs, dlq.url, numbered(60));

    const first = await handler(alarmAction, shortContext(800));
    expect(first).toMatchObject({
      status: 'completed',
      continues: true,
      report: { stopReason: 'time-budget' },
    });
    const moved = first.report?.moved ?? 0;
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(60);
    expect(invokeSelf).toHaveBeenCalledTimes(1);
    const [functionArn, payload] = invokeSelf.mock.calls[0] as [string, unknown];
    expect(functionArn).toBe('arn:aws:lambda:eu-west-1:111122223333:function:orders-redrive');
    expect(payload).toEqual({
      sqsFailsafeRedrive: {
        continuation: { runId: first.runId, chain: 1, remaining: 500 - moved, startedBy: 'dlq-alarm' },
      },
    });

    const next = await handler(payload, lambdaContext(120_000));
    expect(next).toMatchObject({
      status: 'completed',
      runId: first.runId,
      continues: false,
      report: { stopReason: 'drained' },
    });
    expect((await readAll(server.sqs, source.url)).length).toBe(60);
    expect(invokeSelf).toHaveBeenCalledTimes(1);
  });

  it('schedule: marks the drain in the state, and the schedule goes on with it despite the cooldown', async () => {
    const { dlq, source, invokeSelf, handler } = await setup({
      ratePerSecond: 20,
      safetyMarginMs: 6_000,
      continuation: 'schedule',
      cooldownSeconds: 3_600,
    });
    await seed(server.sqs, dlq.url, numbered(40));

    expect(await handler(sns, shortContext(800))).toMatchObject({ status: 'completed', continues: true });
    expect(invokeSelf).not.toHaveBeenCalled();
    expect((await stateOf(dlq)).draining).toBe(true);

    expect(await handler(schedule, lambdaContext(120_000))).toMatchObject({
      status: 'completed',
      continues: false,
    });
    expect((await stateOf(dlq)).draining).toBe(false);
    expect((await readAll(server.sqs, source.url)).length).toBe(40);
    expect(await handler(schedule, lambdaContext())).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/cooldown/),
    });
  });
});
