import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../../../lib/aws/sqsQueueApi.js';
import { FAILURE_ATTRIBUTES, FAILURE_JSON_ATTRIBUTE } from '../../../lib/events/index.js';
import { REDRIVE_COUNT_ATTRIBUTE, readRedriveCount } from '../../../lib/redrive/index.js';
import { parkedCopy, redrivenCopy } from '../../../lib/redrive/redriveMessage.js';

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

function received(
  attributes: Record<string, MessageAttributeValue>,
  system: Record<string, string> = {},
): ReceivedMessage {
  return { messageId: 'm-1', receiptHandle: 'rh-1', body: '{"orderId":7}', attributes, system };
}

describe('redriven copy', () => {
  it('keeps the body and own attributes, drops the failure metadata, raises the count', () => {
    const built = redrivenCopy(
      received({
        tenant: text('acme'),
        blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2]) },
        [FAILURE_ATTRIBUTES.errorClass]: text('TimeoutError'),
        [FAILURE_ATTRIBUTES.reason]: text('max-receives-reached'),
        [FAILURE_JSON_ATTRIBUTE]: text('{}'),
        [REDRIVE_COUNT_ATTRIBUTE]: { DataType: 'Number', StringValue: '1' },
      }),
      1,
      false,
    );
    expect(built).toEqual({
      ok: true,
      message: {
        body: '{"orderId":7}',
        attributes: {
          tenant: text('acme'),
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2]) },
          [REDRIVE_COUNT_ATTRIBUTE]: { DataType: 'Number', StringValue: '2' },
        },
      },
    });
  });

  it('carries the X-Ray trace header over, to the source and to the parking queue', () => {
    const traced = received(
      {},
      { AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' },
    );
    expect(redrivenCopy(traced, 0, false)).toMatchObject({
      message: { traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' },
    });
    expect(parkedCopy(traced, 3, false)).toMatchObject({
      message: { traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' },
    });
    expect(parkedCopy(received({}), 3, false)).not.toHaveProperty('message.traceHeader');
  });

  it('FIFO: keeps the group and derives the deduplication id from the DLQ message id and the new count', () => {
    const built = redrivenCopy(received({}, { MessageGroupId: 'customer-9' }), 0, true);
    expect(built).toMatchObject({
      ok: true,
      message: { messageGroupId: 'customer-9', deduplicationId: 'm-1-r1' },
    });
    const again = redrivenCopy(received({}, { MessageGroupId: 'customer-9' }), 0, true);
    expect(again).toEqual(built);
    expect(redrivenCopy(received({}, { MessageGroupId: 'customer-9' }), 1, true)).toMatchObject({
      message: { deduplicationId: 'm-1-r2' },
    });
  });

  it('FIFO: refuses a message without a group', () => {
    expect(redrivenCopy(received({}), 0, true)).toEqual({
      ok: false,
      problem: 'it has no MessageGroupId, which a FIFO queue requires',
    });
  });

  it('refuses when the count would be an 11th attribute', () => {
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`a${index}`, text('x')]));
    const built = redrivenCopy(received(ten), 0, false);
    expect(built).toMatchObject({ ok: false });
    expect(built.ok ? '' : built.problem).toMatch(/11 message attributes, over SQS's maximum of 10/);
  });

  it('parks the message unchanged, failure metadata and count included', () => {
    const attributes = {
      [FAILURE_ATTRIBUTES.errorClass]: text('Boom'),
      [REDRIVE_COUNT_ATTRIBUTE]: text('3'),
    };
    expect(parkedCopy(received(attributes), 3, false)).toEqual({
      ok: true,
      message: { body: '{"orderId":7}', attributes },
    });
  });
});

describe('readRedriveCount', () => {
  it.each([
    [undefined, 0],
    ['0', 0],
    ['4', 4],
    ['-1', 0],
    ['2.5', 0],
    ['many', 0],
  ])('%s -> %d', (value, count) => {
    expect(
      readRedriveCount(value === undefined ? {} : { [REDRIVE_COUNT_ATTRIBUTE]: { StringValue: value } }),
    ).toBe(count);
  });
});
