import { MAX_MESSAGE_ATTRIBUTES } from '../aws/serviceLimits.js';
import type { OutgoingMessage } from '../aws/sqsBatchApi.js';
import type { ReceivedMessage } from '../aws/sqsQueueApi.js';
import { withoutFailureMetadata } from '../deadLetter/failureMetadata.js';
import { withRedriveCount } from './redriveCount.js';

/** SQS caps a MessageDeduplicationId at 128 characters. */
const MAX_DEDUPLICATION_ID = 128;

export type Built =
  | { readonly ok: true; readonly message: OutgoingMessage }
  | { readonly ok: false; readonly problem: string };

/**
 * The copy sent back to the source: the same body and attributes, without the failure metadata of the
 * failure that dead-lettered it (the consumer writes fresh metadata if it fails again), with the redrive
 * count raised by one. FIFO: the same group, and a deduplication id made of the DLQ message id and the new
 * count, so a send repeated after a crash (same message, same count) is dropped by SQS within its
 * five-minute window, while a later, deliberate redrive of the same message (higher count) is not.
 */
export function redrivenCopy(message: ReceivedMessage, previousCount: number, fifo: boolean): Built {
  const attributes = withRedriveCount(withoutFailureMetadata(message.attributes), previousCount + 1);
  const count = Object.keys(attributes).length;
  if (count > MAX_MESSAGE_ATTRIBUTES) {
    return {
      ok: false,
      problem: `with the redrive count it would carry ${count} message attributes, over SQS's maximum of ${MAX_MESSAGE_ATTRIBUTES}`,
    };
  }
  return withFifoIds(
    message,
    { body: message.body, attributes, ...traceHeaderOf(message) },
    fifo,
    `r${previousCount + 1}`,
  );
}

/** The copy sent to the parking queue: the message exactly as it is in the DLQ, failure metadata included. */
export function parkedCopy(message: ReceivedMessage, count: number, fifo: boolean): Built {
  return withFifoIds(
    message,
    { body: message.body, attributes: message.attributes, ...traceHeaderOf(message) },
    fifo,
    `p${count}`,
  );
}

function traceHeaderOf(message: ReceivedMessage): { traceHeader?: string } {
  const traceHeader = message.system.AWSTraceHeader;
  return traceHeader === undefined ? {} : { traceHeader };
}

function withFifoIds(message: ReceivedMessage, copy: OutgoingMessage, fifo: boolean, suffix: string): Built {
  if (!fifo) return { ok: true, message: copy };
  const group = message.system.MessageGroupId;
  if (group === undefined)
    return { ok: false, problem: 'it has no MessageGroupId, which a FIFO queue requires' };
  const deduplicationId = `${message.messageId}-${suffix}`.slice(-MAX_DEDUPLICATION_ID);
  return { ok: true, message: { ...copy, messageGroupId: group, deduplicationId } };
}
