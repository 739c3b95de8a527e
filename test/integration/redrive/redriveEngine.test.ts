import {
  GetQueueAttributesCommand,
  type MessageAttributeValue,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILURE_ATTRIBUTES } from '../../../lib/events/index.js';
import {
  REDRIVE_COUNT_ATTRIBUTE,
  RedriveDestinationNotPairedError,
  type RedriveOptions,
  type RedrivePlan,
  type RedriveProgress,
  RedriveQueueNotFoundError,
  RedriveQueueTypeMismatchError,
  redrive,
} from '../../../lib/redrive/index.js';
import { type LocalAws, type LocalQueue, redrivesTo, startLocalAws } from '../../helpers/localAws.js';
import { consumeAll, readAll, type SeedMessage, seed } from '../../helpers/queueMessages.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';

let server: LocalAws;
beforeAll(async () => {
  server = await startLocalAws();
});
afterAll(async () => {
  await server.stop();
});

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
const numbered = (
  count: number,
  extra: (index: number) => Partial<SeedMessage> = () => ({}),
): SeedMessage[] =>
  Array.from({ length: count }, (_, index) => ({ body: JSON.stringify({ n: index }), ...extra(index) }));
/** What the runtime's dead-letter router attaches (the fields the redrive reads are what matter here). */
const failureMetadata = (sourceQueueArn: string) => ({
  [FAILURE_ATTRIBUTES.errorClass]: text('TimeoutError'),
  [FAILURE_ATTRIBUTES.sourceQueueArn]: text(sourceQueueArn),
});
const bodies = (messages: readonly { body: string }[]) => messages.map((message) => message.body).sort();

/** Most runs skip the one-second long poll that ends a run; the first test keeps the default. */
const run = (options: RedriveOptions) =>
  redrive({ receiveWaitSeconds: 0, logger: recordingLogger(), ...options });

/** A DLQ and its source queue, whose redrive policy names it. */
async function queues(fifo = false): Promise<{ dlq: LocalQueue; source: LocalQueue }> {
  const dlq = await server.createQueue(fifo ? 'dlq.fifo' : 'dlq');
  return { dlq, source: await server.createQueue(fifo ? 'source.fifo' : 'source', redrivesTo(dlq)) };
}

describe('redrive engine (manual strategy, on a real SQS API)', () => {
  it('moves every message back with its body and attributes, drops the failure metadata, counts the redrive', async () => {
    const { dlq, source } = await queues();
    await seed(
      server.sqs,
      dlq.url,
      numbered(25, (index) => ({
        attributes: {
          tenant: text('acme'),
          priority: { DataType: 'Number', StringValue: String(index) },
          signature: { DataType: 'Binary', BinaryValue: new Uint8Array([index, 255]) },
          [FAILURE_ATTRIBUTES.errorClass]: text('TimeoutError'),
          [FAILURE_ATTRIBUTES.reason]: text('max-receives-reached'),
        },
      })),
    );
    const report = await redrive({ dlq: dlq.url, source: source.url, logger: recordingLogger() });

    expect(report).toMatchObject({
      strategy: 'manual',
      received: 25,
      moved: 25,
      failed: 0,
      stopReason: 'drained',
    });
    expect(report.movedByDestination).toEqual({ [source.url]: 25 });
    const moved = await readAll(server.sqs, source.url);
    expect(bodies(moved)).toEqual(bodies(numbered(25)));
    for (const message of moved) {
      const n = (JSON.parse(message.body) as { n: number }).n;
      expect(message.attributes).toEqual({
        tenant: text('acme'),
        priority: { DataType: 'Number', StringValue: String(n) },
        signature: { DataType: 'Binary', BinaryValue: new Uint8Array([n, 255]) },
        [REDRIVE_COUNT_ATTRIBUTE]: { DataType: 'Number', StringValue: '1' },
      });
    }
    expect(await readAll(server.sqs, dlq.url)).toEqual([]);
  });

  it('sends each message to the source in its failure metadata, the rest to the fallback, or keeps it', async () => {
    const { dlq, source } = await queues();
    const fallback = await server.createQueue('fallback', redrivesTo(dlq));
    await seed(server.sqs, dlq.url, [
      ...numbered(4, () => ({ attributes: failureMetadata(source.arn) })),
      { body: 'no source 1' },
      { body: 'no source 2' },
    ]);

    const first = await run({ dlq: dlq.url, strategy: 'manual' });
    expect(first).toMatchObject({ moved: 4, failed: 2 });
    expect(
      first.messages.filter((outcome) => outcome.action === 'failed').map((outcome) => outcome.reason),
    ).toEqual([
      expect.stringMatching(/names no source queue .* and no fallback source was given/),
      expect.stringMatching(/names no source queue/),
    ]);
    expect((await readAll(server.sqs, source.url)).length).toBe(4);

    // The two left were released at once: a second run with a fallback takes them.
    const second = await run({ dlq: dlq.url, source: fallback.url });
    expect(second).toMatchObject({ moved: 2, failed: 0 });
    expect(bodies(await readAll(server.sqs, fallback.url))).toEqual(['no source 1', 'no source 2']);
  });

  it('stops after --max messages and leaves the rest visible in the DLQ', async () => {
    const { dlq, source } = await queues();
    await seed(server.sqs, dlq.url, numbered(30));
    const report = await run({ dlq: dlq.url, source: source.url, maxMessages: 12, concurrency: 5 });
    expect(report).toMatchObject({ moved: 12, stopReason: 'max-messages' });
    expect((await readAll(server.sqs, source.url)).length).toBe(12);
    expect((await readAll(server.sqs, dlq.url)).length).toBe(18);
  });

  it('keeps to the rate', async () => {
    const { dlq, source } = await queues();
    await seed(server.sqs, dlq.url, numbered(40));
    const report = await run({ dlq: dlq.url, source: source.url, ratePerSecond: 20 });
    expect(report.moved).toBe(40);
    // 10 permits at once, then 20 per second: at least 1.5 s for 40.
    expect(report.durationMs).toBeGreaterThanOrEqual(1_450);
    expect(report.ratePerSecond).toBeLessThanOrEqual(28);
  });

  it('stops receiving when the time budget ends, and leaves every message somewhere', async () => {
    const { dlq, source } = await queues();
    await seed(server.sqs, dlq.url, numbered(100));
    const report = await run({ dlq: dlq.url, source: source.url, ratePerSecond: 20, timeBudgetMs: 1_000 });
    expect(report.stopReason).toBe('time-budget');
    // 10 permits at once, then 20 per second for one second (fewer on a loaded machine).
    expect(report.moved).toBeGreaterThanOrEqual(10);
    expect(report.moved).toBeLessThanOrEqual(40);
    const left = await readAll(server.sqs, dlq.url);
    const moved = await readAll(server.sqs, source.url);
    expect(moved.length).toBe(report.moved);
    expect(bodies([...left, ...moved])).toEqual(bodies(numbered(100)));
  });

  it('runs as many receive loops at once as the concurrency says', async () => {
    const { dlq, source } = await queues();
    await seed(server.sqs, dlq.url, numbered(200));
    const measure = async (concurrency: number) => {
      const client = new SQSClient({
        endpoint: server.endpoint,
        useQueueUrlAsEndpoint: false,
        maxAttempts: 1,
      });
      let inFlight = 0;
      let peak = 0;
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName !== 'ReceiveMessageCommand') return next(args);
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          try {
            return await next(args);
          } finally {
            inFlight -= 1;
          }
        },
        { step: 'initialize' },
      );
      await run({ dlq: dlq.url, source: source.url, concurrency, maxMessages: 100, aws: { sqs: client } });
      client.destroy();
      return peak;
    };
    expect(await measure(1)).toBe(1);
    expect(await measure(4)).toBe(4);
  });

  it.each<[string, RedriveOptions['filter'], string[]]>([
    ['error class', { errorClass: 'TimeoutError' }, ['a', 'c']],
    ['attribute', { attribute: 'tenant', equals: 'acme' }, ['a', 'b']],
    ['JSON path', { jsonPath: '$.order.region', equals: 'eu' }, ['b', 'c']],
    ['all of several', [{ errorClass: 'TimeoutError' }, { jsonPath: '$.order.region', equals: 'eu' }], ['c']],
  ])(
    'moves only what the %s filter matches, and releases the rest at once',
    async (_label, filter, expected) => {
      const { dlq, source } = await queues();
      const failed = (errorClass: string) => ({ [FAILURE_ATTRIBUTES.errorClass]: text(errorClass) });
      await seed(server.sqs, dlq.url, [
        {
          body: JSON.stringify({ id: 'a', order: { region: 'us' } }),
          attributes: { ...failed('TimeoutError'), tenant: text('acme') },
        },
        {
          body: JSON.stringify({ id: 'b', order: { region: 'eu' } }),
          attributes: { ...failed('ValidationError'), tenant: text('acme') },
        },
        {
          body: JSON.stringify({ id: 'c', order: { region: 'eu' } }),
          attributes: { ...failed('TimeoutError'), tenant: text('other') },
        },
        { body: 'not json', attributes: failed('ParseError') },
      ]);
      const report = await run({ dlq: dlq.url, source: source.url, filter });
      expect(report).toMatchObject({ moved: expected.length, skippedByFilter: 4 - expected.length });
      const ids = (await readAll(server.sqs, source.url)).map(
        (message) => (JSON.parse(message.body) as { id: string }).id,
      );
      expect(ids.sort()).toEqual(expected);
      expect((await readAll(server.sqs, dlq.url)).length).toBe(4 - expected.length);
    },
  );

  it('dry run: reports what would move, moves nothing, and releases every message at once', async () => {
    const { dlq, source } = await queues();
    await seed(server.sqs, dlq.url, [
      ...numbered(12, () => ({ attributes: { [FAILURE_ATTRIBUTES.errorClass]: text('TimeoutError') } })),
      ...numbered(3, () => ({
        attributes: { [REDRIVE_COUNT_ATTRIBUTE]: { DataType: 'Number', StringValue: '5' } },
      })),
    ]);
    const report = await run({
      dlq: dlq.url,
      source: source.url,
      dryRun: true,
      maxRedrivesPerMessage: 5,
      visibilityTimeoutSeconds: 600,
    });
    expect(report).toMatchObject({ dryRun: true, moved: 12, capped: 3, received: 15, stopReason: 'drained' });
    expect(report.messages.filter((outcome) => outcome.action === 'would-move')).toHaveLength(12);
    expect(report.messages.filter((outcome) => outcome.action === 'capped')).toHaveLength(3);
    const { Attributes } = await server.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: dlq.url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    // Received with a 600 s visibility timeout, yet all visible again right away.
    expect(Attributes).toEqual({
      ApproximateNumberOfMessages: '15',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
    expect(await readAll(server.sqs, source.url)).toEqual([]);
  });

  it('FIFO: keeps group ids and the order within each group, with deduplication ids that make a repeat harmless', async () => {
    const { dlq, source } = await queues(true);
    const groups = ['g1', 'g2', 'g3'];
    await seed(
      server.sqs,
      dlq.url,
      groups.flatMap((group) =>
        Array.from({ length: 5 }, (_, step) => ({ body: JSON.stringify({ group, step }), groupId: group })),
      ),
    );
    const report = await run({ dlq: dlq.url, source: source.url, concurrency: 3, receiveWaitSeconds: 1 });
    expect(report).toMatchObject({ moved: 15, blocked: 0, failed: 0 });

    const moved = await consumeAll(server.sqs, source.url);
    for (const group of groups) {
      const ofGroup = moved.filter((message) => message.system.MessageGroupId === group);
      expect(ofGroup.map((message) => (JSON.parse(message.body) as { step: number }).step)).toEqual([
        0, 1, 2, 3, 4,
      ]);
    }
    const deduplicationIds = moved.map((message) => message.system.MessageDeduplicationId).sort();
    expect(deduplicationIds).toEqual(report.messages.map((outcome) => `${outcome.messageId}-r1`).sort());

    // A send repeated after a crash carries the same deduplication id: SQS drops it.
    const [first] = moved;
    await server.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: source.url,
        Entries: [
          {
            Id: 'again',
            MessageBody: first?.body,
            MessageGroupId: first?.system.MessageGroupId,
            MessageDeduplicationId: first?.system.MessageDeduplicationId,
          },
        ],
      }),
    );
    expect(await consumeAll(server.sqs, source.url)).toEqual([]);
  });

  it('loop guard: parks messages at the cap, moves the others with a higher count', async () => {
    const { dlq, source } = await queues();
    const parking = await server.createQueue('parking');
    const count = (value: number) => ({
      [REDRIVE_COUNT_ATTRIBUTE]: { DataType: 'Number', StringValue: String(value) },
    });
    await seed(server.sqs, dlq.url, [
      { body: 'fresh', attributes: {} },
      { body: 'once', attributes: count(1) },
      { body: 'poison', attributes: { ...count(3), [FAILURE_ATTRIBUTES.errorClass]: text('PoisonError') } },
    ]);
    const report = await run({
      dlq: dlq.url,
      source: source.url,
      maxRedrivesPerMessage: 3,
      parkingQueue: parking.name,
    });
    expect(report).toMatchObject({ moved: 2, capped: 1, parked: 1, previouslyRedriven: 2 });
    const moved = await readAll(server.sqs, source.url);
    expect(
      Object.fromEntries(
        moved.map((message) => [message.body, message.attributes[REDRIVE_COUNT_ATTRIBUTE]?.StringValue]),
      ),
    ).toEqual({
      fresh: '1',
      once: '2',
    });
    const [parked] = await readAll(server.sqs, parking.url);
    expect(parked?.body).toBe('poison');
    expect(parked?.attributes[FAILURE_ATTRIBUTES.errorClass]).toEqual(text('PoisonError'));
    expect(await readAll(server.sqs, dlq.url)).toEqual([]);
  });

  it('loop guard without a parking queue: capped messages stay in the DLQ and are reported', async () => {
    const { dlq, source } = await queues();
    await seed(server.sqs, dlq.url, [
      { body: 'poison', attributes: { [REDRIVE_COUNT_ATTRIBUTE]: { DataType: 'Number', StringValue: '2' } } },
    ]);
    const report = await run({ dlq: dlq.url, source: source.url, maxRedrivesPerMessage: 2 });
    expect(report).toMatchObject({ moved: 0, capped: 1, parked: 0 });
    expect(report.messages[0]).toMatchObject({
      action: 'capped',
      redriveCount: 2,
      reason: 'redriven 2 times, the cap is 2',
    });
    expect(bodies(await readAll(server.sqs, dlq.url))).toEqual(['poison']);
  });

  it('refuses queues of different types before moving anything', async () => {
    const dlq = await server.createQueue('dlq.fifo');
    const source = await server.createQueue('source');
    await seed(server.sqs, dlq.url, [{ body: 'x', groupId: 'g' }]);
    await expect(run({ dlq: dlq.url, source: source.url })).rejects.toThrowError(
      RedriveQueueTypeMismatchError,
    );
    await expect(run({ dlq: dlq.url, source: source.url })).rejects.toThrowError(
      /The DLQ .* is FIFO but the source queue .* is standard/,
    );
    expect(await consumeAll(server.sqs, dlq.url)).toHaveLength(1);
  });

  it('says which queue does not exist', async () => {
    const { source } = await queues();
    await expect(run({ dlq: 'no-such-dlq', source: source.url })).rejects.toThrowError(
      RedriveQueueNotFoundError,
    );
    await expect(run({ dlq: source.url, source: 'no-such-source' })).rejects.toThrowError(
      'The source queue no-such-source does not exist (or this identity cannot see it); nothing was moved.',
    );
  });

  it('resolves queues given by name and reports progress from the start', async () => {
    const { dlq, source } = await queues();
    await seed(server.sqs, dlq.url, numbered(35));
    const plans: RedrivePlan[] = [];
    const progress: RedriveProgress[] = [];
    const report = await run({
      dlq: dlq.name,
      source: source.name,
      concurrency: 1,
      onStart: (plan) => {
        plans.push(plan);
      },
      onProgress: (update) => progress.push(update),
    });
    expect(report.moved).toBe(35);
    expect(plans).toEqual([
      expect.objectContaining({ dlqUrl: dlq.url, dlqArn: dlq.arn, strategy: 'manual', approximateDepth: 35 }),
    ]);
    expect(progress.map((update) => update.moved)).toEqual([10, 20, 30, 35]);
    expect(progress.every((update) => update.approximateTotal === 35)).toBe(true);
  });

  it('auto without a source tries the native task, and falls back to manual where the server lacks it', async () => {
    const { dlq, source } = await queues();
    await seed(
      server.sqs,
      dlq.url,
      numbered(3, () => ({ attributes: failureMetadata(source.arn) })),
    );
    const report = await run({ dlq: dlq.url });
    if (server.embedded !== undefined) {
      expect(report.strategy).toBe('manual');
      expect(report.strategyReason).toMatch(/does not support StartMessageMoveTask/);
      expect(report.moved).toBe(3);
    } else {
      expect(['manual', 'native']).toContain(report.strategy);
    }
  });
});

describe('redrive destinations: only a queue whose redrive policy names the DLQ', () => {
  it('reports, and does not follow, failure metadata naming a queue that does not send its failures to this DLQ', async () => {
    // Prepare: messages written straight into the DLQ, naming a queue with no redrive policy and one whose
    // policy names another DLQ; and one genuine dead letter of the DLQ's own source
    const { dlq, source } = await queues();
    const unrelated = await server.createQueue('unrelated');
    const elsewhere = await server.createQueue(
      'elsewhere',
      redrivesTo(await server.createQueue('other-dlq')),
    );
    await seed(server.sqs, dlq.url, [
      { body: 'forged-1', attributes: failureMetadata(unrelated.arn) },
      { body: 'forged-2', attributes: failureMetadata(elsewhere.arn) },
      { body: 'genuine', attributes: failureMetadata(source.arn) },
    ]);

    // Act
    const report = await run({ dlq: dlq.url, strategy: 'manual' });

    // Assess: nothing reached the queues the metadata named; the forged messages stay, reported
    expect(report).toMatchObject({ moved: 1, failed: 2 });
    expect(report.movedByDestination).toEqual({ [source.url]: 1 });
    expect(report.unpairedDestinations).toEqual({ [unrelated.url]: 1, [elsewhere.url]: 1 });
    expect(await readAll(server.sqs, unrelated.url)).toEqual([]);
    expect(await readAll(server.sqs, elsewhere.url)).toEqual([]);
    expect(bodies(await readAll(server.sqs, dlq.url))).toEqual(['forged-1', 'forged-2']);
    const reasons = report.messages.filter((outcome) => outcome.action === 'failed').map((o) => o.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/redrive policy of unrelated-\S+ names no DLQ, not dlq-\S+: not followed/),
        expect.stringMatching(
          /redrive policy of elsewhere-\S+ names \S+:other-dlq-\S+, not dlq-\S+: not followed/,
        ),
      ]),
    );
  });

  it('refuses a named source that does not name the DLQ before moving anything, and sends there once confirmed', async () => {
    const { dlq } = await queues();
    const replay = await server.createQueue('replay');
    await seed(server.sqs, dlq.url, [{ body: 'a' }, { body: 'b', attributes: failureMetadata(replay.arn) }]);

    await expect(run({ dlq: dlq.url, source: replay.url })).rejects.toThrowError(
      RedriveDestinationNotPairedError,
    );
    await expect(run({ dlq: dlq.url, source: replay.url })).rejects.toThrowError(
      /Not sent: the redrive policy of .*replay.* names no DLQ.*Nothing was moved.*confirmUnpairedSource: true; on the command line --confirm-unpaired-source/,
    );
    expect(await readAll(server.sqs, replay.url)).toEqual([]);

    const logger = recordingLogger();
    const report = await run({ dlq: dlq.url, source: replay.url, confirmUnpairedSource: true, logger });
    expect(report).toMatchObject({ moved: 2, failed: 0 });
    expect(bodies(await readAll(server.sqs, replay.url))).toEqual(['a', 'b']);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(/^Redriving to .*replay.* as confirmed/),
      }),
    );
  });

  it('refuses confirmUnpairedSource without a source to confirm', async () => {
    const { dlq } = await queues();
    await expect(run({ dlq: dlq.url, confirmUnpairedSource: true })).rejects.toThrowError(
      /confirmUnpairedSource: confirms the queue named as source; name one/,
    );
  });
});
