import type { AwsCallLatency } from './awsCallLatency.js';

/**
 * How long the AWS-call layer may keep trying. Stages pass the invocation's hard deadline (just before the
 * Lambda timeout) so that neither a retry nor a request in flight runs the function into its timeout.
 */
export interface AwsCallPolicy {
  /** Epoch ms by which every request has an answer or is aborted, and after which no retry starts. */
  readonly deadline: number;
  /** Calls per batch request, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** Ceiling of the first retry delay in ms (full jitter, doubling). @default 50 */
  readonly baseDelayMs?: number;
  /**
   * Longest wait for one request's answer, in ms, within the deadline: a request still unanswered then is
   * aborted and, time permitting, retried (a connection that went silent rarely answers later). Long
   * polls add their wait to it. @default 5000
   */
  readonly attemptTimeoutMs?: number;
  /** This container's recent answer times: recorded on every request, and read by `idempotent: false`. */
  readonly latency?: AwsCallLatency;
  /**
   * False for requests that create messages (dead letters, copies): such a request is not started when
   * the time left before the deadline is shorter than requests have lately taken, since one cut there may
   * still have been carried out and its record would be sent again later. @default true
   */
  readonly idempotent?: boolean;
}

export const DEFAULT_AWS_CALL_POLICY = { maxAttempts: 4, baseDelayMs: 50, attemptTimeoutMs: 5_000 } as const;

/**
 * No request starts with less time than this before its deadline: in-region SQS and SNS calls take tens of
 * ms, so one started later would almost surely be cut, and a cut send may still have been carried out,
 * which only leaves its outcome unknown.
 */
export const MIN_ATTEMPT_MS = 20;

export function unlimitedPolicy(): AwsCallPolicy {
  return { deadline: Number.POSITIVE_INFINITY };
}
