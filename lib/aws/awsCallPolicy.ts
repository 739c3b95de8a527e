/**
 * How long the AWS-call layer may keep trying. Stages pass the invocation's hard deadline (just before the
 * Lambda timeout) so that a retry never runs the function into its timeout.
 */
export interface AwsCallPolicy {
  /** Epoch ms after which no new call or retry starts. */
  readonly deadline: number;
  /** Calls per batch request, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** Ceiling of the first retry delay in ms (full jitter, doubling). @default 50 */
  readonly baseDelayMs?: number;
}

export const DEFAULT_AWS_CALL_POLICY = { maxAttempts: 4, baseDelayMs: 50 } as const;

export function unlimitedPolicy(): AwsCallPolicy {
  return { deadline: Number.POSITIVE_INFINITY };
}
