import type { SqsEvent, SqsRecord } from '../../../lib/index.js';
import { md5, type StoredMessage } from '../aws/modelQueue.js';
import { systemAttributes } from '../aws/sqsService.js';

/**
 * The event source mapping's side of the contract: the event it builds from received messages, and what
 * it does with the function's answer when ReportBatchItemFailures is on. Written from the AWS rules, not
 * from the product's local runtime, so that it judges the runtime independently:
 *
 * | function result                                                     | effect                          |
 * |---------------------------------------------------------------------|---------------------------------|
 * | null, undefined, `{}`, `{ batchItemFailures: [] }` or null list     | full success: all deleted       |
 * | `{ batchItemFailures: [{ itemIdentifier }] }`, ids in the batch     | listed stay, the others deleted |
 * | an empty or missing itemIdentifier, an id not in the batch, not a list, not an object | full failure |
 * | the function throws, times out or crashes                           | full failure: nothing deleted   |
 */
export type Verdict =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly kept: ReadonlySet<string> }
  | { readonly kind: 'failure'; readonly why: string };

export function verdictOf(result: unknown, batch: readonly string[]): Verdict {
  if (result === null || result === undefined) return { kind: 'success' };
  if (typeof result !== 'object' || Array.isArray(result)) return { kind: 'failure', why: 'not an object' };
  const list = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return { kind: 'success' };
  if (!Array.isArray(list)) return { kind: 'failure', why: 'batchItemFailures is not a list' };
  const ids = new Set(batch);
  const kept = new Set<string>();
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !ids.has(id))
      return { kind: 'failure', why: `itemIdentifier ${JSON.stringify(id)} is not a message of the batch` };
    kept.add(id);
  }
  return kept.size === 0 ? { kind: 'success' } : { kind: 'partial', kept };
}

export function isDeletedBy(verdict: Verdict, messageId: string): boolean {
  if (verdict.kind === 'success') return true;
  if (verdict.kind === 'failure') return false;
  return !verdict.kept.has(messageId);
}

/** The SQS event Lambda hands the function: camelCase attributes, string system attributes. */
export function sqsEvent(messages: readonly StoredMessage[], queueArn: string, region: string): SqsEvent {
  return { Records: messages.map((message) => sqsRecord(message, queueArn, region)) };
}

function sqsRecord(message: StoredMessage, queueArn: string, region: string): SqsRecord {
  const attributes = Object.entries(message.attributes);
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle ?? '',
    body: message.body,
    attributes: systemAttributes(message) as unknown as SqsRecord['attributes'],
    messageAttributes: Object.fromEntries(
      attributes.map(([name, value]) => [
        name,
        {
          ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
          stringListValues: [],
          binaryListValues: [],
          dataType: value.DataType ?? 'String',
        },
      ]),
    ),
    md5OfBody: md5(message.body),
    md5OfMessageAttributes: attributes.length === 0 ? null : md5(JSON.stringify(message.attributes)),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
