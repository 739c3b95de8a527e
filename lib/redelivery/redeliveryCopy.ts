import { isoTime } from '../attempts/attemptHistory.js';
import { toSdkAttributes } from '../aws/eventAttributes.js';
import type { OutgoingMessage } from '../aws/sqsBatchApi.js';
import { encodeHistoryAttribute } from '../deadLetter/failureMetadata.js';
import { entry } from '../failureLayer/entryParts.js';
import type { RecordOutcome } from '../types.js';

/**
 * The copy a record comes back as: its body, its own attributes and trace header, and its attempt history
 * in one attribute, stamped with when it was copied (so the next delivery can tell it from a producer's
 * value). SQS delays a message at most 900 s (docs/aws-semantics.md#delay-seconds); a longer delay is a
 * chain of copies, each delayed up to 900 s and carrying the time the record is due.
 */
export function redeliveryCopy(
  outcome: RecordOutcome,
  delaySeconds: number,
  now: number,
): { readonly message: OutgoingMessage } | { readonly problem: string } {
  const { record, history } = outcome;
  if (history === undefined) return { problem: 'it has no attempt history to carry' };
  const chained = delaySeconds > entry.limits.MAX_DELIVERY_DELAY_SECONDS;
  const encoded = encodeHistoryAttribute(record.body, toSdkAttributes(record.messageAttributes ?? {}), {
    ...history,
    copiedAt: isoTime(now),
    dueAt: chained ? isoTime(now + delaySeconds * 1_000) : undefined,
    receiveCount: undefined,
  });
  if (!encoded.ok) return { problem: encoded.problem };
  const traceHeader = record.attributes.AWSTraceHeader;
  return {
    message: {
      body: record.body,
      attributes: encoded.attributes,
      delaySeconds: Math.min(delaySeconds, entry.limits.MAX_DELIVERY_DELAY_SECONDS),
      ...(traceHeader === undefined ? {} : { traceHeader }),
    },
  };
}
