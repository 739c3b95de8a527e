import { MAX_FUNCTION_TIMEOUT_SECONDS, MAX_RETENTION_SECONDS } from '../aws/serviceLimits.js';

/**
 * The documented defaults of the batch configuration (batchConfig.ts describes each setting). A module of
 * its own so that the schemas' cross-key rules (schemaPredicates.ts) can read them without a cycle.
 */
export const BATCH_CONFIG_DEFAULTS = {
  concurrency: 10,
  fifoMode: 'stop-on-first-failure',
  safetyMarginMs: 1_000,
  retry: {
    maxAttempts: 3,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    multiplier: 2,
    /**
     * After Finagle's RetryBudget and gRPC's retry throttling: retries may add at most 20% to the first
     * attempts of the last 10 seconds, plus a small reserve of 1 retry per second so that a quiet consumer
     * can still retry its occasional flaky record. In an outage every first attempt fails; without a budget
     * each one brings `maxAttempts - 1` retries (3x the load on the failing dependency with the default of
     * 3 attempts), with it at most 1.2x plus the reserve.
     */
    budget: { ratio: 0.2, windowSeconds: 10, minRetriesPerSecond: 1 },
  },
  redeliveryBackoff: { baseSeconds: 30, maxSeconds: 900, multiplier: 2 },
  /** Copies reset the receive count and make delays exact; see RedeliveryMode for the trade-offs. */
  redelivery: 'copy',
  /** SQS keeps a message at most 14 days, so no wait between two deliveries is longer. */
  attemptLedger: { expiresAfterSeconds: MAX_RETENTION_SECONDS },
  notifications: { events: ['message.dead-lettered', 'message.failed'] },
  dependencyBreaker: { consecutiveFailures: 3 },
  idempotency: {
    /**
     * A day: a duplicate can arrive long after the first delivery (a redelivery backoff of up to 12 hours,
     * a redrive from the DLQ), so Powertools' one hour would let many through.
     */
    expiresAfterSeconds: 86_400,
    /** Without a Lambda clock (local runs), an in-progress key blocks duplicates for a Lambda's longest run. */
    inProgressExpirySeconds: MAX_FUNCTION_TIMEOUT_SECONDS,
  },
} as const;
