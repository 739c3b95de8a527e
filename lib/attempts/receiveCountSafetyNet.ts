import type { RedeliveryMode } from '../config/batchConfig.js';

/**
 * Receives that no invocation reports on (it crashed, timed out, or Lambda throttled it before it ran)
 * that a message may have before SQS's redrive policy moves it: the queue's maxReceiveCount is only a
 * safety net for them. 4 makes the smallest queue maxReceiveCount 5, which AWS recommends so that
 * throttling alone does not send messages to the DLQ (docs/aws-semantics.md#visibility-timeout-and-function-timeout).
 */
export const UNREPORTED_RECEIVE_ALLOWANCE = 4;

export interface SafetyNetInput {
  /** A: `deadLetter.maxAttempts`. */
  readonly maxAttempts: number;
  readonly fifo: boolean;
  /** B: the event source mapping's batch size (FIFO: at most 10). */
  readonly batchSize: number;
  /** Standard queues: how failed attempts come back. */
  readonly redelivery: RedeliveryMode;
}

/**
 * The queue's maxReceiveCount M, sized so that SQS moves a message to the DLQ (without metadata) only
 * when U = UNREPORTED_RECEIVE_ALLOWANCE of its receives went unreported, never on a path where every
 * invocation reports. The receives a message can have without that, per mode:
 *
 * - standard, `copy`: 1. Every reported receive ends its SQS message (a success, a dead letter or a
 *   copy, whose receive count starts again), so M = 1 + U.
 * - standard, `visibility`: A. Failed attempts stay in place, and everything else (released, held back,
 *   duplicate) is sent again as a copy, so M = A + U.
 * - FIFO: B·(A + 1) − 1. A message waits for the up to B − 1 messages ahead of it in its batch; each of
 *   them holds it back at most A times (its failed attempts, after which it is dead-lettered) plus once
 *   more (it succeeds and the time budget ends the batch before the message starts); then the message
 *   has its own A attempts: (B − 1)·(A + 1) + A. So M = B·(A + 1) − 1 + U.
 *
 * The construct sets M to this, and refuses a smaller one at synth (docs/construct.md).
 *
 * @example
 * safetyNetMaxReceiveCount({ maxAttempts: 4, fifo: true, batchSize: 10, redelivery: 'copy' }); // 53
 */
export function safetyNetMaxReceiveCount(input: SafetyNetInput): number {
  return reportedReceives(input) + UNREPORTED_RECEIVE_ALLOWANCE;
}

/** The receives a message can have while every invocation reports on it (see safetyNetMaxReceiveCount). */
export function reportedReceives({ maxAttempts, fifo, batchSize, redelivery }: SafetyNetInput): number {
  if (fifo) return batchSize * (maxAttempts + 1) - 1;
  return redelivery === 'copy' ? 1 : maxAttempts;
}
