/**
 * Stands in for `@aws-lambda-powertools/idempotency` in unit tests (vi.mock): runs the work (argument 1) as a
 * first delivery would, and stores nothing.
 */
export class IdempotencyConfig {
  registerLambdaContext(): void {}
}

export const makeIdempotent =
  (fn: (...args: unknown[]) => unknown) =>
  (...args: unknown[]) =>
    fn(...args);
