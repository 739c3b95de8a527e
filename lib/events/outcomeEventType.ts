import type { RecordOutcome } from '../types.js';

export type MessageEventType =
  | 'message.succeeded'
  | 'message.dead-lettered'
  | 'message.retry-scheduled'
  | 'message.failed';

/**
 * The one event a record gets per invocation, by what finally happened to it: succeeded, dead-lettered,
 * retry scheduled (failed, coming back after a chosen delay) or failed (coming back after the queue's
 * visibility timeout, or moved by the redrive policy).
 */
export function outcomeEventType(outcome: RecordOutcome): MessageEventType {
  if (outcome.deadLetter !== undefined) return 'message.dead-lettered';
  if (outcome.status === 'succeeded') return 'message.succeeded';
  if (outcome.retryScheduled !== undefined) return 'message.retry-scheduled';
  return 'message.failed';
}
