import type { ReceivedMessage } from '../../../lib/aws/sqsQueueApi.js';
import { failureFingerprint } from '../../../lib/deadLetter/failureFingerprint.js';
import { readFailureMetadata, withoutFailureMetadata } from '../../../lib/deadLetter/failureMetadata.js';
import { readRedriveCount } from '../../../lib/redrive/redriveCount.js';
import type { CauseGroup, MessageDetail, MessageSummary } from '../consoleApi.js';
import { readAttemptHistory } from './attemptHistory.js';

/** Messages shown with each group before the operator opens it. */
export const SAMPLES_PER_GROUP = 5;

/**
 * What the console knows of one dead letter, body left out: the body is kept apart (deadLetterTriage) and
 * only handed out on request.
 */
export function describeDeadLetter(message: ReceivedMessage): MessageDetail {
  const failure = readFailureMetadata(message.attributes);
  const sent = Number(message.system.SentTimestamp);
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(withoutFailureMetadata(message.attributes))) {
    attributes[name] =
      value.StringValue ??
      (value.BinaryValue === undefined ? '' : Buffer.from(value.BinaryValue).toString('base64'));
  }
  const cause = failureFingerprint(failure);
  const { history: _history, ...fields } = failure ?? {};
  return {
    messageId: message.messageId,
    causeId: cause.id,
    causeLabel: cause.label,
    reason: cause.reason,
    sentAt: Number.isFinite(sent) && sent > 0 ? new Date(sent).toISOString() : undefined,
    // Metadata read from separate attributes has '' for a field it lacks.
    deadLetteredAt: failure?.deadLetteredAt || undefined,
    errorClass: failure?.errorClass || undefined,
    errorMessage: failure?.errorMessage || undefined,
    redriveCount: readRedriveCount(message.attributes),
    messageGroupId: message.system.MessageGroupId,
    bodyBytes: Buffer.byteLength(message.body),
    failure: failure === undefined ? undefined : (fields as Readonly<Record<string, string | number>>),
    attempts: readAttemptHistory(failure),
    receiveCount: Number(message.system.ApproximateReceiveCount ?? 0),
    sourceQueueArn: message.system.DeadLetterQueueSourceArn ?? (failure?.sourceQueueArn || undefined),
    attributes,
  };
}

export function summaryOf(detail: MessageDetail): MessageSummary {
  return {
    messageId: detail.messageId,
    causeId: detail.causeId,
    causeLabel: detail.causeLabel,
    reason: detail.reason,
    sentAt: detail.sentAt,
    deadLetteredAt: detail.deadLetteredAt,
    errorClass: detail.errorClass,
    errorMessage: detail.errorMessage,
    redriveCount: detail.redriveCount,
    messageGroupId: detail.messageGroupId,
    bodyBytes: detail.bodyBytes,
  };
}

/**
 * Dead letters grouped by cause (failureFingerprint), the largest group first: count, first and last
 * seen (when dead-lettered, or sent for messages without metadata), sources, and a few samples.
 */
export function groupByCause(messages: readonly MessageDetail[]): CauseGroup[] {
  const groups = new Map<
    string,
    {
      first: MessageDetail;
      count: number;
      firstSeen: string | undefined;
      lastSeen: string | undefined;
      redriven: number;
      sources: Record<string, number>;
      samples: MessageSummary[];
    }
  >();
  for (const message of messages) {
    let group = groups.get(message.causeId);
    if (group === undefined) {
      group = {
        first: message,
        count: 0,
        firstSeen: undefined,
        lastSeen: undefined,
        redriven: 0,
        sources: {},
        samples: [],
      };
      groups.set(message.causeId, group);
    }
    group.count += 1;
    // ISO 8601 strings of one format compare as their instants do.
    const seen = message.deadLetteredAt ?? message.sentAt;
    if (seen !== undefined) {
      if (group.firstSeen === undefined || seen < group.firstSeen) group.firstSeen = seen;
      if (group.lastSeen === undefined || seen > group.lastSeen) group.lastSeen = seen;
    }
    if (message.redriveCount > 0) group.redriven += 1;
    const source = message.sourceQueueArn ?? '-';
    group.sources[source] = (group.sources[source] ?? 0) + 1;
    if (group.samples.length < SAMPLES_PER_GROUP) group.samples.push(summaryOf(message));
  }
  return [...groups.entries()]
    .map(([id, group]) => ({
      id,
      label: group.first.causeLabel,
      errorClass: group.first.errorClass ?? '-',
      reason: group.first.reason,
      count: group.count,
      firstSeen: group.firstSeen,
      lastSeen: group.lastSeen,
      redriven: group.redriven,
      sources: group.sources,
      samples: group.samples,
    }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}
