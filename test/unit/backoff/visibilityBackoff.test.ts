import { ChangeMessageVisibilityBatchCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { createBatchProcessor, PermanentError } from '../../../lib/index.js';
import { throttlingError, useAwsMocks } from '../../helpers/awsMocks.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';
import { eventOf, fifoRecord, sqsRecord } from '../../helpers/sqsEvents.js';

const { sqs } = useAwsMocks();

const failingAt = (receiveCount: number, permanent = false) =>
  sqsRecord({
    body: JSON.stringify({ permanent }),
    attributes: { ApproximateReceiveCount: String(receiveCount) },
  });

function processor(logger = recordingLogger()) {
  return createBatchProcessor(
    (message: unknown) => {
      if ((message as { permanent: boolean }).permanent) throw new PermanentError('bad');
      throw new Error('downstream down');
    },
    {
      retry: false,
      logger,
      redeliveryBackoff: { scheduleSeconds: [10, 60, 300] },
      configFromEnvironment: false,
    },
  );
}

describe('redelivery backoff through the visibility timeout', () => {
  it('sets each retryable failure to the delay of its receive count, then reports it failed', async () => {
    // Prepare
    sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input) => ({
      Successful: input.Entries.map((entry: { Id: string }) => ({ Id: entry.Id })),
      Failed: [],
    }));
    const records = [failingAt(1), failingAt(2), failingAt(7)];
    // Act
    const result = await processor()(eventOf(records));
    // Assess
    const [call] = sqs.commandCalls(ChangeMessageVisibilityBatchCommand);
    expect(call?.args[0].input).toEqual({
      QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders',
      Entries: records.map((record, index) => ({
        Id: `e${index}`,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: [10, 60, 300][index],
      })),
    });
    expect(result.response.batchItemFailures).toHaveLength(3);
    expect(result.outcomes.map((outcome) => outcome.retryScheduled?.delaySeconds)).toEqual([10, 60, 300]);
  });

  it('releases records that were skipped (FIFO order) at once instead of after the visibility timeout', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input) => ({
      Successful: input.Entries.map((entry: { Id: string }) => ({ Id: entry.Id })),
      Failed: [],
    }));
    const processor = createBatchProcessor(
      (message: unknown) => {
        if ((message as { fail: boolean }).fail) throw new Error('downstream down');
      },
      { retry: false, redeliveryBackoff: { scheduleSeconds: [10] }, configFromEnvironment: false },
    );
    const records = [
      fifoRecord('A', { body: '{"fail":true}' }),
      fifoRecord('B', { body: '{"fail":false}' }),
      fifoRecord('A', { body: '{"fail":false}' }),
    ];
    const result = await processor(eventOf(records));
    const entries = sqs.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input.Entries;
    expect(entries?.map((entry) => entry.VisibilityTimeout)).toEqual([10, 0, 0]);
    expect(result.response.batchItemFailures).toHaveLength(3);
    // Their outcome event is message.retry-scheduled with retryInSeconds 0.
    expect(result.outcomes.map((outcome) => outcome.retryScheduled?.delaySeconds)).toEqual([10, 0, 0]);
  });

  it('leaves permanent failures and successes alone', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
    await processor()(eventOf([failingAt(1, true)]));
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(0);
  });

  it('handles Failed[] entries one by one: the record still reports failed, and the refusal is logged', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({
      Successful: [{ Id: 'e0' }],
      Failed: [{ Id: 'e1', Code: 'ReceiptHandleIsInvalid', Message: 'expired', SenderFault: true }],
    });
    const logger = recordingLogger();
    const records = [failingAt(1), failingAt(1)];
    const result = await processor(logger)(eventOf(records));
    expect(result.response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
      records.map((record) => record.messageId),
    );
    expect(result.outcomes[0]?.retryScheduled).toBeDefined();
    expect(result.outcomes[1]?.retryScheduled).toBeUndefined();
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        extra: [
          expect.objectContaining({ messageId: records[1]?.messageId, code: 'ReceiptHandleIsInvalid' }),
        ],
      }),
    );
  });

  it('loses nothing when the call itself keeps failing', async () => {
    sqs.on(ChangeMessageVisibilityBatchCommand).rejects(new Error('socket hang up'));
    const result = await processor()(eventOf([failingAt(1), failingAt(2)]));
    expect(result.response.batchItemFailures).toHaveLength(2);
  });

  it('retries a throttled call', async () => {
    sqs
      .on(ChangeMessageVisibilityBatchCommand)
      .rejectsOnce(throttlingError())
      .resolves({ Successful: [{ Id: 'e0' }], Failed: [] });
    const result = await processor()(eventOf([failingAt(1)]));
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(2);
    expect(result.outcomes[0]?.retryScheduled?.delaySeconds).toBe(10);
  });
});
