import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SpyMessage } from 'fauxqs';
import { describe, expect, it } from 'vitest';
import { encodeFailureMetadata, HISTORY_ATTRIBUTE } from '../../../lib/deadLetter/failureMetadata.js';
import { ConservationLedger } from '../../../local/report/conservationLedger.js';
import { historyWith } from '../../helpers/attemptHistories.js';

const body = (taskId: string) => JSON.stringify({ taskId, kind: 'demo' });
let sequence = 0;
const nextId = () => {
  sequence += 1;
  return sequence;
};
const sqs = (
  queueName: string,
  taskId: string,
  status: 'published' | 'consumed' | 'dlq',
  messageAttributes: Record<string, MessageAttributeValue> = {},
): SpyMessage => {
  const id = nextId();
  return {
    service: 'sqs',
    queueName,
    messageId: `m-${id}`,
    body: body(taskId),
    messageAttributes,
    status,
    timestamp: id,
  } as SpyMessage;
};

function deadLetter(reason: 'max-attempts-reached' | 'permanent-error', attempts: number) {
  const encoded = encodeFailureMetadata(
    body('t'),
    {},
    {
      errorClass: 'Error',
      errorMessage: 'x',
      reason,
      receiveCount: 1,
      attempts,
      sourceQueueArn: 'arn:aws:sqs:us-east-1:000000000000:work',
      firstReceivedAt: new Date().toISOString(),
      deadLetteredAt: new Date().toISOString(),
      functionName: 'worker',
      history: historyWith(attempts),
    },
  );
  if (!encoded.ok) throw new Error(encoded.problem);
  return encoded.attributes;
}

const copy = { [HISTORY_ATTRIBUTE]: { DataType: 'String', StringValue: '{}' } };

describe('conservation ledger', () => {
  it('follows a task through its redelivery copies: a delete that made a copy is no success', () => {
    const ledger = new ConservationLedger(new Set(['work']), new Set(['dlq']), new Set(), {
      maxAttempts: 4,
      anyTaskMayFail: false,
    });
    ledger.produced([
      { taskId: 'a', fault: 'transient' },
      { taskId: 'b', fault: undefined },
    ]);
    ledger.ingest([
      sqs('work', 'a', 'published'),
      sqs('work', 'b', 'published'),
      sqs('work', 'a', 'published', copy),
      sqs('work', 'a', 'consumed'),
      sqs('work', 'b', 'consumed'),
    ]);
    // a's copy is still in the queue: not done, not lost, stuck.
    expect(ledger.totals()).toMatchObject({ processed: 1, stuck: 1, lost: 0, duplicates: 0 });
    ledger.ingest([sqs('work', 'a', 'consumed')]);
    expect(ledger.totals()).toMatchObject({ processed: 2, stuck: 0, lost: 0, duplicates: 0 });
  });

  it('flags a dead letter that came before the attempts were spent, and passes earned ones', () => {
    const ledger = new ConservationLedger(new Set(['work']), new Set(['dlq']), new Set(), {
      maxAttempts: 4,
      anyTaskMayFail: false,
    });
    ledger.produced([
      { taskId: 'early', fault: undefined },
      { taskId: 'unearned', fault: 'transient' },
      { taskId: 'poison', fault: 'permanent' },
      { taskId: 'not-poison', fault: 'slow' },
    ]);
    ledger.ingest([
      sqs('dlq', 'early', 'published', deadLetter('max-attempts-reached', 2)),
      sqs('dlq', 'unearned', 'published', deadLetter('max-attempts-reached', 4)),
      sqs('dlq', 'poison', 'published', deadLetter('permanent-error', 1)),
      sqs('dlq', 'not-poison', 'published', deadLetter('permanent-error', 1)),
    ]);
    expect(ledger.totals().deadLetteredEarly).toBe(3);
    // In an outage any task may fail: only the count and the history judge.
    const outage = new ConservationLedger(new Set(['work']), new Set(['dlq']), new Set(), {
      maxAttempts: 4,
      anyTaskMayFail: true,
    });
    outage.produced([{ taskId: 'unearned', fault: undefined }]);
    outage.ingest([sqs('dlq', 'unearned', 'published', deadLetter('max-attempts-reached', 4))]);
    expect(outage.totals().deadLetteredEarly).toBe(0);
    expect(ledger.earlyDeadLetters()).toEqual([
      'early: dead-lettered after 2 of 4 attempts',
      'unearned: dead-lettered after 4 attempts, but its fault (transient) fails at most 2',
      'not-poison: dead-lettered as permanent, but its fault is slow',
    ]);
  });
});
