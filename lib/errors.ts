/**
 * Every error sqs-failsafe throws or records. Each has a `name` that survives minification (set explicitly,
 * never taken from `constructor.name`). Errors raised by sqs-failsafe itself carry `data` (what the error
 * is about: a message id, a limit) and a `cause`: the error that led to them when there is one, otherwise
 * `{ package: 'sqs-failsafe', data }` (Middy's convention), so a reader can tell which part complained and
 * why.
 */

const PACKAGE = 'sqs-failsafe';

/**
 * Brand that marks permanent errors. Checked instead of `instanceof` so that errors created by a second copy of
 * the package (two versions in one bundle) are still recognised.
 */
const PERMANENT = Symbol.for('sqs-failsafe.permanent');

/** Brand of {@link DependencyError}, for the same reason: recognised across copies of the package. */
const DEPENDENCY = Symbol.for('sqs-failsafe.dependency');

/**
 * Base class of the errors sqs-failsafe raises itself.
 *
 * @example
 * if (error instanceof FailsafeError) logger.warn(error.message, { data: error.data, cause: error.cause });
 */
export class FailsafeError extends Error {
  override name = 'FailsafeError';
  /** What the error is about (a message id, a limit); kept whether or not a `cause` is given. */
  readonly data: Readonly<Record<string, unknown>> | undefined;

  constructor(message: string, data?: Record<string, unknown>, cause?: unknown) {
    super(message, { cause: cause ?? { package: PACKAGE, data } });
    this.data = data;
  }
}

/**
 * Throw this (or a subclass) from a record handler when retrying cannot help: bad data, a rejected business
 * rule. The record is never retried inside the invocation and, when dead-letter routing is on, goes straight
 * to the DLQ.
 *
 * @example
 * if (!order.customerId) throw new PermanentError('order has no customerId');
 */
export class PermanentError extends Error {
  override name = 'PermanentError';
  readonly [PERMANENT] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True for a {@link PermanentError} from any copy of the package. */
export function isPermanentError(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { [PERMANENT]?: unknown })[PERMANENT] === true
  );
}

/** The invocation payload is not an SQS event sqs-failsafe can report on. Thrown, so nothing is deleted. */
export class InvalidEventError extends FailsafeError {
  override name = 'InvalidEventError';
}

/** Options out of range or contradictory. Lists every problem at once. */
export class InvalidOptionsError extends FailsafeError {
  override name = 'InvalidOptionsError';
  readonly problems: readonly string[];

  constructor(subject: string, problems: readonly string[]) {
    super(`Invalid ${subject}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`, { problems });
    this.problems = problems;
  }
}

/** A record body that cannot be decoded (not JSON, not an SNS envelope). Permanent: retrying cannot fix it. */
export class BodyDecodeError extends PermanentError {
  override name = 'BodyDecodeError';

  constructor(messageId: string, problem: string) {
    super(`Message ${messageId}: ${problem}`, { cause: { package: PACKAGE, data: { messageId } } });
  }
}

/** A decoded body that the configured schema rejects. Permanent. */
export class BodyValidationError extends PermanentError {
  override name = 'BodyValidationError';
  readonly issues: readonly string[];

  constructor(messageId: string, issues: readonly string[]) {
    super(`Message ${messageId} does not match the schema: ${issues.join('; ')}`, {
      cause: { package: PACKAGE, data: { messageId, issues } },
    });
    this.issues = issues;
  }
}

/** The message is older than the configured max age: not processed, sent to the DLQ. Permanent. */
export class MessageExpiredError extends PermanentError {
  override name = 'MessageExpiredError';

  constructor(messageId: string, ageSeconds: number, maxAgeSeconds: number) {
    super(
      `Message ${messageId} was sent ${ageSeconds} s ago, past the max age of ${maxAgeSeconds} s; it is not processed.`,
      { cause: { package: PACKAGE, data: { messageId, ageSeconds, maxAgeSeconds } } },
    );
  }
}

/**
 * The message's attempts were already spent: its `deadLetter.maxAttempts`-th attempt failed in an earlier
 * delivery that could not finish dead-lettering it (the DLQ refused the copy, or the invocation died after
 * counting). It goes to the DLQ without being processed again. Permanent.
 */
export class AttemptsExhaustedError extends PermanentError {
  override name = 'AttemptsExhaustedError';

  constructor(messageId: string, attempts: number, maxAttempts: number) {
    super(
      `Message ${messageId} already failed ${attempts} attempts, deadLetter.maxAttempts (${maxAttempts}); ` +
        'it goes to the DLQ without being processed again.',
      { cause: { package: PACKAGE, data: { messageId, attempts, maxAttempts } } },
    );
  }
}

/** Dead-letter routing could not move a record; it stays in the source queue, reported failed. */
export class DeadLetterRoutingError extends FailsafeError {
  override name = 'DeadLetterRoutingError';
}

/** The record could not finish (or start) before the time budget ran out. Retryable: SQS redelivers it. */
export class TimeBudgetExceededError extends FailsafeError {
  override name = 'TimeBudgetExceededError';
}

/**
 * The record cannot be processed as Lambda would never send it (it has no string body). It is reported
 * failed untouched, neither retried nor dead-lettered: SQS keeps it and the queue's redrive policy decides.
 * The other records of the batch are processed as usual.
 *
 * @example
 * const malformed = outcomes.filter((outcome) => outcome.error instanceof MalformedRecordError);
 */
export class MalformedRecordError extends FailsafeError {
  override name = 'MalformedRecordError';
}

/**
 * A redelivery copy arrived before it was due: delays longer than SQS's 900 s are made of chained copies,
 * and this one is sent on unprocessed. Not an attempt.
 */
export class RedeliveryNotDueError extends FailsafeError {
  override name = 'RedeliveryNotDueError';
}

/** FIFO: the record was not processed because an earlier message (of its group) failed. */
export class FifoSkippedError extends FailsafeError {
  override name = 'FifoSkippedError';
}

/** A record handler returned an Error instead of throwing it; the record is treated as failed. */
export class HandlerResultError extends FailsafeError {
  override name = 'HandlerResultError';
}

/** Thrown when `throwOnBatchFailure` is set and every record in the batch failed. */
export class BatchFailedError extends FailsafeError {
  override name = 'BatchFailedError';
}

/**
 * Throw this from a record handler to say which dependency (a downstream API, a database) failed. The
 * error is transient: the record is retried as usual. With `dependencyBreaker` on, N such failures in a
 * row against the same dependency within a batch stop every later call to it in that batch (fail fast).
 *
 * @example
 * try {
 *   await payments.charge(order);
 * } catch (error) {
 *   throw new DependencyError('payments-api', error);
 * }
 */
export class DependencyError extends Error {
  override name = 'DependencyError';
  readonly [DEPENDENCY] = true;
  /** The dependency that failed, as the handler names it. */
  readonly dependency: string;

  constructor(dependency: string, cause?: unknown, message?: string) {
    const detail = cause instanceof Error ? cause.message : cause === undefined ? 'failed' : String(cause);
    super(message ?? `${dependency}: ${detail}`, { cause });
    this.dependency = dependency;
  }
}

/** The dependency a {@link DependencyError} (from any copy of the package) names; undefined otherwise. */
export function dependencyOfError(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { [DEPENDENCY]?: unknown; dependency?: unknown };
  return candidate[DEPENDENCY] === true && typeof candidate.dependency === 'string'
    ? candidate.dependency
    : undefined;
}

/**
 * The record was not attempted (or not retried) because a dependency it calls failed too many times in a
 * row in this batch. Retryable: the record reports failed and SQS redelivers it after its redelivery delay.
 */
export class DependencyUnavailableError extends FailsafeError {
  override name = 'DependencyUnavailableError';
  readonly dependency: string;

  constructor(messageId: string, dependency: string, consecutiveFailures: number) {
    super(
      `Message ${messageId} was not attempted: dependency "${dependency}" failed ${consecutiveFailures} times ` +
        'in a row in this batch, so it is not called again until the next batch; SQS redelivers the message.',
      { messageId, dependency, consecutiveFailures },
    );
    this.dependency = dependency;
  }
}

/**
 * Idempotency is on and the record has no usable key at the configured path of its body (missing, null,
 * empty, or not a string or number). Permanent: the same body will never have one.
 */
export class IdempotencyKeyError extends PermanentError {
  override name = 'IdempotencyKeyError';

  constructor(messageId: string, keyPath: string, problem: string) {
    super(`Message ${messageId} has no idempotency key: the body ${problem} at "${keyPath}".`, {
      cause: { package: PACKAGE, data: { messageId, keyPath } },
    });
  }
}

/**
 * Another invocation is processing a record with the same idempotency key right now (a duplicate delivered
 * concurrently). Not retried in this invocation: the record reports failed and SQS redelivers it later,
 * when the first one has finished and its stored result can be used.
 */
export class DuplicateInProgressError extends FailsafeError {
  override name = 'DuplicateInProgressError';
}

/** Turns anything thrown into an Error, keeping the original as `cause` when it was not one. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  const text = typeof thrown === 'string' ? thrown : safeStringify(thrown);
  return new FailsafeError(`Non-error thrown: ${text}`, { thrown }, thrown);
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The Node.js running the package is older than the package supports (see lib/nodeVersion.ts). */
export class UnsupportedNodeError extends FailsafeError {
  override name = 'UnsupportedNodeError';

  constructor(version: string, minimumMajor: number) {
    super(
      `sqs-failsafe needs Node.js ${minimumMajor} or later, and this is Node.js ${version}: choose the ` +
        'nodejs22.x or nodejs24.x Lambda runtime (or install Node.js 22 or 24 where this runs).',
      { version, minimumMajor },
    );
  }
}
