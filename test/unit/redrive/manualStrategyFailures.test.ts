import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { RedriveInterruptedError, type RedriveOptions, redrive } from '../../../lib/redrive/index.js';
import { awsError, DLQ_URL, message, mockSqs, SOURCE_URL } from '../../helpers/mockSqs.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';

/** What a real server cannot be made to do: throttle, refuse single entries, lose a delete. */
const run = (sqs: ReturnType<typeof mockSqs>, options: Partial<RedriveOptions> = {}) =>
  redrive({
    dlq: DLQ_URL,
    source: SOURCE_URL,
    strategy: 'manual',
    concurrency: 1,
    receiveWaitSeconds: 0,
    logger: recordingLogger(),
    aws: { sqs: sqs.client },
    ...options,
  });

const sentBodies = (sqs: ReturnType<typeof mockSqs>) =>
  sqs.mock
    .commandCalls(SendMessageBatchCommand)
    .flatMap((call) => call.args[0].input.Entries?.map((entry) => entry.MessageBody));
const handles = (
  sqs: ReturnType<typeof mockSqs>,
  command: typeof DeleteMessageBatchCommand | typeof ChangeMessageVisibilityBatchCommand,
) =>
  sqs.mock
    .commandCalls(command)
    .flatMap((call) => call.args[0].input.Entries?.map((entry) => entry.ReceiptHandle));

describe('manual strategy, what a server here cannot show', () => {
  it('asks for the X-Ray trace header and sends it on with the message (fauxqs drops system attributes)', async () => {
    const sqs = mockSqs();
    sqs.receives([
      message('a', {
        Attributes: {
          AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
        },
      }),
      message('b'),
    ]);
    sqs.mock.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => ({
      Successful: input.Entries.map((entry) => ({ Id: entry.Id, MessageId: 'x' })),
    }));
    expect(await run(sqs)).toMatchObject({ moved: 2 });
    expect(
      sqs.mock.commandCalls(ReceiveMessageCommand)[0]?.args[0].input.MessageSystemAttributeNames,
    ).toContain('AWSTraceHeader');
    const entries = sqs.mock
      .commandCalls(SendMessageBatchCommand)
      .flatMap((call) => call.args[0].input.Entries ?? []);
    expect(entries.map((entry) => entry.MessageSystemAttributes?.AWSTraceHeader?.StringValue)).toEqual([
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      undefined,
    ]);
  });
});

describe('manual strategy on AWS failures', () => {
  it('retries a throttled receive and a throttled send, and moves everything', async () => {
    const sqs = mockSqs();
    sqs.mock
      .on(ReceiveMessageCommand)
      .rejectsOnce(awsError('ThrottlingException'))
      .resolvesOnce({ Messages: [message('a'), message('b')] })
      .resolves({ Messages: [] });
    sqs.mock
      .on(SendMessageBatchCommand)
      .rejectsOnce(awsError('RequestThrottled'))
      .callsFake((input: { Entries: { Id: string }[] }) => ({
        Successful: input.Entries.map((entry) => ({ Id: entry.Id, MessageId: 'x' })),
      }));
    const report = await run(sqs);
    expect(report).toMatchObject({ moved: 2, failed: 0, stopReason: 'drained' });
    expect(sqs.mock.commandCalls(ReceiveMessageCommand)).toHaveLength(3);
    expect(sqs.mock.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
    expect(handles(sqs, DeleteMessageBatchCommand)).toEqual(['rh-a', 'rh-b']);
  });

  it('keeps in the DLQ (released, never deleted) an entry the source refused in Failed[]', async () => {
    const sqs = mockSqs();
    sqs.receives([message('a'), message('b'), message('c')]);
    sqs.mock
      .on(SendMessageBatchCommand)
      .callsFake((input: { Entries: { Id: string; MessageBody: string }[] }) => ({
        Successful: input.Entries.filter((entry) => !entry.MessageBody.includes('"b"')).map((entry) => ({
          Id: entry.Id,
          MessageId: 'x',
        })),
        Failed: input.Entries.filter((entry) => entry.MessageBody.includes('"b"')).map((entry) => ({
          Id: entry.Id,
          Code: 'InvalidMessageContents',
          Message: 'bad characters',
          SenderFault: true,
        })),
      }));
    const report = await run(sqs);
    expect(report).toMatchObject({ moved: 2, failed: 1 });
    expect(report.messages.find((outcome) => outcome.messageId === 'b')).toMatchObject({
      action: 'failed',
      reason: 'the queue refused it (InvalidMessageContents: bad characters)',
    });
    expect(handles(sqs, DeleteMessageBatchCommand)).toEqual(['rh-a', 'rh-c']);
    expect(sqs.mock.commandCalls(ChangeMessageVisibilityBatchCommand)[0]?.args[0].input.Entries).toEqual([
      { Id: 'e0', ReceiptHandle: 'rh-b', VisibilityTimeout: 0 },
    ]);
  });

  it('sends again an entry that failed without a sender fault, and moves it', async () => {
    const sqs = mockSqs();
    sqs.receives([message('a')]);
    sqs.mock
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Failed: [{ Id: 'e0', Code: 'InternalError', Message: 'try again', SenderFault: false }],
      })
      .resolves({ Successful: [{ Id: 'e0', MessageId: 'x', MD5OfMessageBody: '' }] });
    expect(await run(sqs)).toMatchObject({ moved: 1, failed: 0 });
    expect(sentBodies(sqs)).toEqual(['{"id":"a"}', '{"id":"a"}']);
  });

  it('reports a message sent but not deleted as duplicated, not failed', async () => {
    const sqs = mockSqs();
    sqs.receives([message('a'), message('b')]);
    sqs.mock.on(DeleteMessageBatchCommand).resolves({
      Successful: [{ Id: 'e0' }],
      Failed: [{ Id: 'e1', Code: 'ReceiptHandleIsInvalid', Message: 'expired', SenderFault: true }],
    });
    const report = await run(sqs);
    expect(report).toMatchObject({ moved: 1, duplicated: 1, failed: 0 });
    expect(report.messages.find((outcome) => outcome.messageId === 'b')?.reason).toMatch(
      /sent, but not deleted/,
    );
  });

  it('completes the move of a duplicated message that reappears in the same run', async () => {
    const sqs = mockSqs();
    sqs.receives([message('a')], [message('a', { ReceiptHandle: 'rh-a-again' })]);
    sqs.mock
      .on(DeleteMessageBatchCommand)
      .resolvesOnce({
        Failed: [{ Id: 'e0', Code: 'ReceiptHandleIsInvalid', Message: 'expired', SenderFault: true }],
      })
      .resolves({ Successful: [{ Id: 'e0' }] });
    const report = await run(sqs);
    expect(report).toMatchObject({ moved: 1, duplicated: 0 });
    expect(sqs.mock.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    expect(handles(sqs, DeleteMessageBatchCommand)).toEqual(['rh-a', 'rh-a-again']);
  });

  it('sends each message to the queue SQS says it came from (DeadLetterQueueSourceArn)', async () => {
    const sqs = mockSqs();
    const other = 'https://sqs.eu-west-1.amazonaws.com/444455556666/payments';
    sqs.mock.on(GetQueueUrlCommand).resolves({ QueueUrl: other });
    sqs.receives([
      message('a', {
        Attributes: { DeadLetterQueueSourceArn: 'arn:aws:sqs:eu-west-1:444455556666:payments' },
      }),
      message('b'),
    ]);
    const report = await run(sqs);
    expect(report.movedByDestination).toEqual({ [other]: 1, [SOURCE_URL]: 1 });
    expect(sqs.mock.commandCalls(GetQueueUrlCommand)[0]?.args[0].input).toEqual({
      QueueName: 'payments',
      QueueOwnerAWSAccountId: '444455556666',
    });
  });

  it('FIFO: a refused message holds back the rest of its group, not other groups', async () => {
    const sqs = mockSqs();
    const fifo = (id: string, group: string) => message(id, { Attributes: { MessageGroupId: group } });
    sqs.receives([fifo('a1', 'a'), fifo('b1', 'b'), fifo('a2', 'a'), fifo('b2', 'b')]);
    sqs.mock
      .on(SendMessageBatchCommand)
      .callsFake((input: { Entries: { Id: string; MessageBody: string }[] }) => ({
        Successful: input.Entries.filter((entry) => !entry.MessageBody.includes('a1')).map((entry) => ({
          Id: entry.Id,
          MessageId: 'x',
        })),
        Failed: input.Entries.filter((entry) => entry.MessageBody.includes('a1')).map((entry) => ({
          Id: entry.Id,
          Code: 'Refused',
          SenderFault: true,
        })),
      }));
    const report = await run(sqs, {
      dlq: 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders-dlq.fifo',
      source: 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders.fifo',
    });
    expect(report).toMatchObject({ moved: 2, failed: 1, blocked: 1 });
    expect(sentBodies(sqs)).toEqual(['{"id":"a1"}', '{"id":"b1"}', '{"id":"b2"}']);
    const rounds = sqs.mock
      .commandCalls(SendMessageBatchCommand)
      .map((call) =>
        call.args[0].input.Entries?.map((entry) => [entry.MessageGroupId, entry.MessageDeduplicationId]),
      );
    expect(rounds).toEqual([
      [
        ['a', 'a1-r1'],
        ['b', 'b1-r1'],
      ],
      [['b', 'b2-r1']],
    ]);
    expect(handles(sqs, ChangeMessageVisibilityBatchCommand).sort()).toEqual(['rh-a1', 'rh-a2']);
  });

  it('stops on an error it cannot work around, releases what it held, and carries the report', async () => {
    const sqs = mockSqs();
    sqs.mock
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          message('a'),
          message('b', { MessageAttributes: { skip: { DataType: 'String', StringValue: 'yes' } } }),
        ],
      })
      .rejects(awsError('AccessDenied'));
    let error: unknown;
    try {
      await run(sqs, { filter: { attribute: 'skip', equals: 'no' } });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(RedriveInterruptedError);
    expect((error as Error).message).toMatch(/stopped on AccessDenied/);
    expect((error as RedriveInterruptedError).report).toMatchObject({ received: 2, skippedByFilter: 2 });
    expect(handles(sqs, ChangeMessageVisibilityBatchCommand).sort()).toEqual(['rh-a', 'rh-b']);
  });
});
