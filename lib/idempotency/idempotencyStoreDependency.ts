/** The dependency name idempotency-store failures carry, so the dependency breaker can count them. */
export const IDEMPOTENCY_STORE_DEPENDENCY = 'idempotency-store';
