/** The dependency name idempotency-store failures carry, so the dependency breaker can count them. */
export const IDEMPOTENCY_STORE_DEPENDENCY = 'idempotency-store';

export const IDEMPOTENCY_DEFAULTS = {
  /**
   * A day: a duplicate can arrive long after the first delivery (a redelivery backoff of up to 12 hours,
   * a redrive from the DLQ), so Powertools' one hour would let many through.
   */
  expiresAfterSeconds: 86_400,
  /** Without a Lambda clock (local runs), an in-progress key blocks duplicates for a Lambda's longest run. */
  inProgressExpirySeconds: 900,
} as const;
