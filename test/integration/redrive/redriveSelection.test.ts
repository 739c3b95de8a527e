import { GetQueueAttributesCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureFingerprint } from '../../../lib/deadLetter/failureFingerprint.js';
import { FAILURE_ATTRIBUTES } from '../../../lib/events/index.js';
import { type RedriveOptions, redrive } from '../../../lib/redrive/index.js';
import { type LocalAws, type LocalQueue, redrivesTo, startLocalAws } from '../../helpers/localAws.js';
import { readAll, seed } from '../../helpers/queueMessages.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';

/**
 * What the operator console asks of the engine: a cause (fingerprint) or a hand-picked selection of
 * messages, moved back, parked or deleted; each previewed by a dry run first.
 */
let server: LocalAws;
beforeAll(async () => {
  server = await startLocalAws();
});
afterAll(async () => {
  await server.stop();
});

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
const failed = (sourceArn: string, errorClass: string, errorMessage: string) => ({
  [FAILURE_ATTRIBUTES.errorClass]: text(errorClass),
  [FAILURE_ATTRIBUTES.errorMessage]: text(errorMessage),
  [FAILURE_ATTRIBUTES.reason]: text('permanent-error'),
  [FAILURE_ATTRIBUTES.sourceQueueArn]: text(sourceArn),
});
const run = (options: RedriveOptions) =>
  redrive({ receiveWaitSeconds: 0, logger: recordingLogger(), ...options });
const visibleIn = async (queue: LocalQueue) => {
  const { Attributes } = await server.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages);
};
const bodies = (messages: readonly { body: string }[]) => messages.map((message) => message.body).sort();

/** A DLQ with two causes: 4 "order <n> not found" and 3 "total: expected a number". */
async function twoCauses(): Promise<{ dlq: LocalQueue; source: LocalQueue; notFound: string }> {
  const dlq = await server.createQueue('dlq');
  const source = await server.createQueue('source', redrivesTo(dlq));
  await seed(server.sqs, dlq.url, [
    ...[1, 22, 333, 4444].map((n) => ({
      body: `missing-${n}`,
      attributes: failed(source.arn, 'NotFoundError', `order ${n} not found`),
    })),
    ...[1, 2, 3].map((n) => ({
      body: `invalid-${n}`,
      attributes: failed(source.arn, 'ValidationError', `total: expected a number, got "x${n}"`),
    })),
  ]);
  const notFound = failureFingerprint({
    errorClass: 'NotFoundError',
    reason: 'permanent-error',
    errorMessage: 'order 1 not found',
  }).id;
  return { dlq, source, notFound };
}

describe('redrive engine: selections and operations', () => {
  it('moves one cause by its fingerprint and leaves the other; the dry run before it names the destination', async () => {
    const { dlq, source, notFound } = await twoCauses();

    const preview = await run({ dlq: dlq.url, filter: { fingerprint: notFound }, dryRun: true });
    expect(preview).toMatchObject({ moved: 4, skippedByFilter: 3 });
    expect(preview.movedByDestination).toEqual({ [source.url]: 4 });

    const report = await run({ dlq: dlq.url, filter: { fingerprint: notFound } });
    expect(report).toMatchObject({ moved: 4, skippedByFilter: 3, failed: 0 });
    expect(bodies(await readAll(server.sqs, source.url))).toEqual([
      'missing-1',
      'missing-22',
      'missing-333',
      'missing-4444',
    ]);
    expect(bodies(await readAll(server.sqs, dlq.url))).toEqual(['invalid-1', 'invalid-2', 'invalid-3']);
  });

  it('moves a selection of message ids only, and stops once all of them moved', async () => {
    const { dlq, source } = await twoCauses();
    const inDlq = await readAll(server.sqs, dlq.url, 1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const picked = inDlq.filter((message) => ['missing-22', 'invalid-3'].includes(message.body));

    const report = await run({
      dlq: dlq.url,
      filter: { messageIds: picked.map((message) => message.messageId) },
      maxMessages: picked.length,
    });
    expect(report).toMatchObject({ moved: 2, failed: 0 });
    expect(bodies(await readAll(server.sqs, source.url))).toEqual(['invalid-3', 'missing-22']);
    expect(await readAll(server.sqs, dlq.url)).toHaveLength(5);
  });

  it('parks a cause: sends it to the parking queue unchanged, whatever its redrive count', async () => {
    const { dlq, source, notFound } = await twoCauses();
    const parking = await server.createQueue('parking');

    const preview = await run({
      dlq: dlq.url,
      operation: 'park',
      parkingQueue: parking.url,
      filter: { fingerprint: notFound },
      dryRun: true,
    });
    expect(preview).toMatchObject({ parked: 4, capped: 0, moved: 0 });
    expect(await readAll(server.sqs, parking.url)).toEqual([]);

    const report = await run({
      dlq: dlq.url,
      operation: 'park',
      parkingQueue: parking.url,
      filter: { fingerprint: notFound },
    });
    expect(report).toMatchObject({ parked: 4, capped: 0, moved: 0, skippedByFilter: 3 });
    const parked = await readAll(server.sqs, parking.url);
    expect(bodies(parked)).toEqual(['missing-1', 'missing-22', 'missing-333', 'missing-4444']);
    // Parked as it was in the DLQ: the failure metadata stays with it.
    expect(parked[0]?.attributes[FAILURE_ATTRIBUTES.errorClass]).toEqual(text('NotFoundError'));
    expect(await readAll(server.sqs, source.url)).toEqual([]);
    expect(await readAll(server.sqs, dlq.url)).toHaveLength(3);
  });

  it('deletes a cause after a dry run that deletes nothing, and a limit stops it', async () => {
    const { dlq, source } = await twoCauses();
    const invalid = failureFingerprint({
      errorClass: 'ValidationError',
      reason: 'permanent-error',
      errorMessage: 'total: expected a number, got "y"',
    }).id;

    const preview = await run({
      dlq: dlq.url,
      operation: 'delete',
      filter: { fingerprint: invalid },
      dryRun: true,
    });
    expect(preview).toMatchObject({ deleted: 3, moved: 0, skippedByFilter: 4 });
    expect(preview.messages.filter((outcome) => outcome.action === 'would-delete')).toHaveLength(3);
    expect(await visibleIn(dlq)).toBe(7);

    const limited = await run({
      dlq: dlq.url,
      operation: 'delete',
      filter: { fingerprint: invalid },
      maxMessages: 1,
      concurrency: 1,
    });
    expect(limited).toMatchObject({ deleted: 1, stopReason: 'max-messages' });

    const report = await run({ dlq: dlq.url, operation: 'delete', filter: { fingerprint: invalid } });
    expect(report).toMatchObject({ deleted: 2, moved: 0, failed: 0 });
    expect(bodies(await readAll(server.sqs, dlq.url))).toEqual([
      'missing-1',
      'missing-22',
      'missing-333',
      'missing-4444',
    ]);
    expect(await readAll(server.sqs, source.url)).toEqual([]);
  });
});
