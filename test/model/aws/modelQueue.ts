import { createHash } from 'node:crypto';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

/**
 * One SQS queue as the product relies on it (standard or FIFO): per-message delays, visibility timeouts,
 * receive counts, retention, the redrive policy to a DLQ, FIFO group order with group blocking,
 * deduplication, and several messages of one group in one receive (which AWS does and fauxqs does not).
 * Time is whatever the caller passes as `now` (epoch ms).
 */

export interface QueueSettings {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly fifo: boolean;
  readonly visibilityTimeoutSeconds: number;
  readonly retentionSeconds: number;
  readonly delaySeconds: number;
  readonly redrivePolicy?: { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number };
}

export interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Record<string, MessageAttributeValue>;
  readonly traceHeader: string | undefined;
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly sequenceNumber: string | undefined;
  /** SentTimestamp: when it was sent (kept when SQS moves it to a DLQ). */
  readonly sentAt: number;
  /** Retention counts from here (a standard DLQ keeps the source's; a FIFO DLQ resets it). */
  readonly enqueuedAt: number;
  /** Set when SQS's redrive policy moved it here. */
  readonly deadLetterQueueSourceArn: string | undefined;
  receiveCount: number;
  firstReceivedAt: number | undefined;
  visibleAt: number;
  /** The latest receive's handle; older handles are stale. */
  receiptHandle: string | undefined;
  /** When the latest receive happened: a visibility change cannot reach past 12 h from it. */
  receivedAt: number | undefined;
}

export interface OutgoingEntry {
  readonly body: string;
  readonly attributes?: Record<string, MessageAttributeValue> | undefined;
  readonly delaySeconds?: number | undefined;
  readonly groupId?: string | undefined;
  readonly deduplicationId?: string | undefined;
  readonly traceHeader?: string | undefined;
}

export type SendResult =
  | { readonly kind: 'sent'; readonly message: StoredMessage }
  /** FIFO: the same deduplication id within five minutes; SQS answers success and keeps the first. */
  | { readonly kind: 'duplicate'; readonly messageId: string };

export type HandleResult = 'done' | 'stale' | 'not-in-flight' | 'too-long';

const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
/** ChangeMessageVisibility cannot extend a message's invisibility past 12 h from its receive. */
const MAX_INVISIBLE_MS = 12 * 3_600_000;

export class ModelQueue {
  readonly settings: QueueSettings;
  /** In send order, which is FIFO order within a group. */
  readonly messages: StoredMessage[] = [];
  readonly #deduplication = new Map<string, { messageId: string; at: number }>();
  readonly #newId: () => string;
  #sequence = 0;

  constructor(settings: QueueSettings, newId: () => string) {
    this.settings = settings;
    this.#newId = newId;
  }

  send(entry: OutgoingEntry, now: number): SendResult {
    if (this.settings.fifo && entry.deduplicationId !== undefined) {
      const earlier = this.#deduplication.get(entry.deduplicationId);
      if (earlier !== undefined && now - earlier.at < DEDUPLICATION_WINDOW_MS)
        return { kind: 'duplicate', messageId: earlier.messageId };
    }
    const delaySeconds = entry.delaySeconds ?? this.settings.delaySeconds;
    const message = this.#store(
      {
        body: entry.body,
        attributes: entry.attributes ?? {},
        traceHeader: entry.traceHeader,
        groupId: entry.groupId,
        deduplicationId: entry.deduplicationId,
        sentAt: now,
        enqueuedAt: now,
        deadLetterQueueSourceArn: undefined,
        receiveCount: 0,
        firstReceivedAt: undefined,
      },
      now + delaySeconds * 1_000,
    );
    if (this.settings.fifo && entry.deduplicationId !== undefined)
      this.#deduplication.set(entry.deduplicationId, { messageId: message.messageId, at: now });
    return { kind: 'sent', message };
  }

  /** SQS's own move of a message into this queue (this queue being the DLQ of a redrive policy). */
  acceptMove(message: StoredMessage, sourceArn: string, now: number): StoredMessage {
    return this.#store(
      {
        ...message,
        // A move to a FIFO DLQ replaces the deduplication id with the message id, and resets retention.
        deduplicationId: this.settings.fifo ? message.messageId : message.deduplicationId,
        enqueuedAt: this.settings.fifo ? now : message.enqueuedAt,
        deadLetterQueueSourceArn: sourceArn,
      },
      now,
      message.messageId,
    );
  }

  /**
   * ReceiveMessage: visible messages, up to `max`. FIFO: no message of a group that has one in flight,
   * and a group's messages in order, as many of one group as fit before the next group. A message whose
   * receive count already reached the redrive policy's maxReceiveCount is handed to `moveToDeadLetter`
   * instead of being returned.
   */
  receive(
    max: number,
    visibilityTimeoutSeconds: number,
    now: number,
    moveToDeadLetter: (message: StoredMessage) => void,
    pick: (candidates: StoredMessage[]) => StoredMessage[],
  ): StoredMessage[] {
    const policy = this.settings.redrivePolicy;
    const chosen: StoredMessage[] = [];
    const take = (message: StoredMessage): boolean => {
      if (policy !== undefined && message.receiveCount >= policy.maxReceiveCount) {
        this.#remove(message);
        moveToDeadLetter(message);
        return false;
      }
      chosen.push(message);
      return true;
    };
    if (this.settings.fifo) {
      const groups = new Map<string, StoredMessage[]>();
      for (const message of this.messages) {
        const group = message.groupId ?? '';
        const list = groups.get(group) ?? [];
        list.push(message);
        groups.set(group, list);
      }
      for (const list of groups.values()) {
        for (const message of list) {
          if (chosen.length >= max) break;
          // A group is handed out in order, and nothing of it while one of its messages is in flight: the
          // messages are kept in send order, so stopping at the first one not visible does both.
          if (message.visibleAt > now) break;
          take(message);
        }
      }
    } else {
      const visible = this.messages.filter((message) => message.visibleAt <= now);
      for (const message of pick(visible)) {
        if (chosen.length >= max) break;
        take(message);
      }
    }
    for (const message of chosen) {
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.receiptHandle = `${message.messageId}~${message.receiveCount}`;
      message.receivedAt = now;
      message.visibleAt = now + visibilityTimeoutSeconds * 1_000;
    }
    return chosen;
  }

  /** DeleteMessage: only the latest receipt handle deletes; an older one is accepted and does nothing. */
  delete(receiptHandle: string): { result: HandleResult; message?: StoredMessage } {
    const message = this.#byHandle(receiptHandle);
    if (message === undefined) return { result: 'stale' };
    this.#remove(message);
    return { result: 'done', message };
  }

  changeVisibility(receiptHandle: string, seconds: number, now: number): HandleResult {
    const message = this.#byHandle(receiptHandle);
    if (message === undefined) return 'stale';
    if (message.visibleAt <= now) return 'not-in-flight';
    if (now + seconds * 1_000 - (message.receivedAt ?? now) > MAX_INVISIBLE_MS) return 'too-long';
    message.visibleAt = now + seconds * 1_000;
    return 'done';
  }

  /** Removes what the retention period has run out for; returns it. */
  expire(now: number): StoredMessage[] {
    const limit = now - this.settings.retentionSeconds * 1_000;
    const expired = this.messages.filter((message) => message.enqueuedAt <= limit);
    for (const message of expired) this.#remove(message);
    return expired;
  }

  /** The moment the next message becomes visible (delay or visibility ending); undefined when none waits. */
  nextVisibleAt(now: number): number | undefined {
    let next: number | undefined;
    for (const message of this.messages)
      if (message.visibleAt > now && (next === undefined || message.visibleAt < next))
        next = message.visibleAt;
    return next;
  }

  isInFlight(message: StoredMessage, now: number): boolean {
    return message.receiptHandle !== undefined && message.visibleAt > now;
  }

  #byHandle(receiptHandle: string): StoredMessage | undefined {
    const messageId = receiptHandle.split('~')[0];
    const message = this.messages.find((candidate) => candidate.messageId === messageId);
    return message?.receiptHandle === receiptHandle ? message : undefined;
  }

  #remove(message: StoredMessage): void {
    const index = this.messages.indexOf(message);
    if (index >= 0) this.messages.splice(index, 1);
  }

  #store(
    fields: Omit<
      StoredMessage,
      'messageId' | 'sequenceNumber' | 'visibleAt' | 'receiptHandle' | 'receivedAt'
    >,
    visibleAt: number,
    messageId = this.#newId(),
  ): StoredMessage {
    this.#sequence += 1;
    const message: StoredMessage = {
      ...fields,
      messageId,
      sequenceNumber: this.settings.fifo ? String(this.#sequence).padStart(20, '0') : undefined,
      visibleAt,
      receiptHandle: undefined,
      receivedAt: undefined,
    };
    this.messages.push(message);
    return message;
  }
}

export const md5 = (text: string) => createHash('md5').update(text).digest('hex');
