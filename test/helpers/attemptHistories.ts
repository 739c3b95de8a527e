import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import {
  type AttemptEntry,
  type AttemptHistory,
  freshHistory,
  withAttempt,
  withNotAttempted,
} from '../../lib/attempts/attemptHistory.js';
import { HISTORY_ATTRIBUTE } from '../../lib/deadLetter/failureMetadata.js';
import type { SqsMessageAttribute, SqsRecord } from '../../lib/index.js';
import { type LocalDynamoDb, startLocalDynamoDb } from './localDynamoDb.js';
import { type RecordOverrides, sqsRecord } from './sqsEvents.js';

/** An attempt as the runtime records it, for building histories in tests. */
export function attemptEntry(overrides: Partial<AttemptEntry> = {}): AttemptEntry {
  return {
    at: '2026-11-24T20:41:06.900Z',
    invocation: 'earlier-request',
    errorClass: 'Error',
    errorMessage: 'downstream unavailable',
    durationMs: 12,
    calls: 1,
    ...overrides,
  };
}

/** A history with `attempts` failed attempts and the given receives that were not attempts. */
export function historyWith(
  attempts: number,
  notAttempted: Partial<AttemptHistory['notAttempted']> = {},
  messageId: string = randomUUID(),
  firstSentAt = Date.now() - 60_000,
): AttemptHistory {
  let history = freshHistory(messageId, firstSentAt);
  for (let n = 0; n < attempts; n += 1) history = withAttempt(history, attemptEntry());
  for (const [reason, count] of Object.entries(notAttempted))
    history = withNotAttempted(history, reason as keyof AttemptHistory['notAttempted'], count);
  return history;
}

export const stringAttribute = (value: string, dataType = 'String'): SqsMessageAttribute => ({
  stringValue: value,
  dataType,
  stringListValues: [],
  binaryListValues: [],
});

/**
 * A redelivery copy as the runtime sends it: a new message id, sent now, carrying `history` stamped with
 * the time it was copied.
 */
export function copyRecord(history: AttemptHistory, overrides: RecordOverrides = {}): SqsRecord {
  const sentAt = Date.now();
  const { attributes, messageAttributes, ...rest } = overrides;
  return sqsRecord({
    ...rest,
    attributes: { SentTimestamp: String(sentAt), ApproximateReceiveCount: '1', ...attributes },
    messageAttributes: {
      ...messageAttributes,
      [HISTORY_ATTRIBUTE]: stringAttribute(
        JSON.stringify({ ...history, copiedAt: new Date(sentAt).toISOString() }),
      ),
    },
  });
}

/**
 * An attempt ledger table on the embedded DynamoDB for the enclosing suite: created before its tests and
 * dropped with the server after them. Read `dynamoDb` and `tableName` inside tests.
 */
export function useLedgerTable(name: string): {
  readonly dynamoDb: LocalDynamoDb;
  readonly tableName: string;
} {
  const ledger = { dynamoDb: undefined as unknown as LocalDynamoDb, tableName: '' };
  beforeAll(async () => {
    ledger.dynamoDb = await startLocalDynamoDb();
    ledger.tableName = await ledger.dynamoDb.createIdempotencyTable(name);
  });
  afterAll(async () => {
    await ledger.dynamoDb.stop();
  });
  return ledger;
}

/** Date.now() frozen at `iso` for each test of the enclosing suite (timers stay real); moved with vi.setSystemTime. */
export function useFrozenDate(iso: string): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(iso));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
