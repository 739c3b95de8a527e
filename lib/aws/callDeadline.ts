import { type AwsCallPolicy, DEFAULT_AWS_CALL_POLICY, MIN_ATTEMPT_MS } from './awsCallPolicy.js';

/**
 * A request that had no answer by its time limit (the attempt timeout, or the invocation's deadline). Its
 * name is the one the SDK gives its own timeouts, so the AWS-call layer treats both alike: retryable while
 * time remains. The request may still have been carried out: a send that timed out may have delivered.
 */
export class AwsCallTimeoutError extends Error {
  override name = 'TimeoutError';
  /** `deadline`: the invocation's time for AWS calls is used up; `attempt`: this request took too long. */
  readonly limit: 'deadline' | 'attempt';

  constructor(limit: 'deadline' | 'attempt', afterMs: number, message?: string) {
    super(
      message ??
        (limit === 'deadline'
          ? `no answer before the invocation's deadline for AWS calls (${afterMs} ms); request aborted`
          : `no answer within ${afterMs} ms; request aborted`),
    );
    this.limit = limit;
  }
}

/**
 * Runs one request with an abort signal and settles by its time limit whatever the request does: at the
 * limit the signal aborts (the SDK then cancels the HTTP request and any retry of its own) and the promise
 * rejects with AwsCallTimeoutError, even when the client ignores the signal. A request is not started at
 * all when less than MIN_ATTEMPT_MS remains before the deadline, nor, for a request that creates messages
 * (`idempotent: false`), when the time left is shorter than this container's requests lately took.
 *
 * Timers come from the global `setTimeout`, so simulated clocks in tests drive them.
 */
export function callWithin<T>(
  request: (signal: AbortSignal) => Promise<T>,
  policy: AwsCallPolicy,
  extraMs = 0,
): Promise<T> {
  const startedAt = Date.now();
  const untilDeadline = policy.deadline - startedAt;
  if (untilDeadline < MIN_ATTEMPT_MS) {
    return Promise.reject(
      new AwsCallTimeoutError(
        'deadline',
        0,
        `not started: the invocation's deadline for AWS calls is less than ${MIN_ATTEMPT_MS} ms away or past`,
      ),
    );
  }
  const { latency } = policy;
  if (policy.idempotent === false && latency !== undefined && untilDeadline < latency.expectedMs) {
    const left = Math.round(untilDeadline);
    const usual = Math.round(latency.expectedMs);
    return Promise.reject(
      new AwsCallTimeoutError(
        'deadline',
        left,
        `not started: the ${left} ms left before the invocation's deadline are less than AWS calls took lately (${usual} ms)`,
      ),
    );
  }
  const attemptMs = (policy.attemptTimeoutMs ?? DEFAULT_AWS_CALL_POLICY.attemptTimeoutMs) + extraMs;
  const limit: 'deadline' | 'attempt' = untilDeadline <= attemptMs ? 'deadline' : 'attempt';
  const limitMs = Math.min(untilDeadline, attemptMs);
  const controller = new AbortController();
  const { promise, resolve, reject } = Promise.withResolvers<T>();
  const timer = setTimeout(() => {
    const error = new AwsCallTimeoutError(limit, Math.round(limitMs));
    latency?.record(Date.now() - startedAt);
    controller.abort(error);
    reject(error);
  }, limitMs);
  let answer: Promise<T>;
  try {
    // Promise.resolve: a stubbed client may answer synchronously.
    answer = Promise.resolve(request(controller.signal));
  } catch (error) {
    clearTimeout(timer);
    return Promise.reject(error);
  }
  let answered = false;
  const settle = () => {
    clearTimeout(timer);
    if (answered || controller.signal.aborted) return;
    answered = true;
    latency?.record(Date.now() - startedAt);
  };
  answer.then(
    (value) => {
      settle();
      resolve(value);
    },
    (error: unknown) => {
      settle();
      // After a timeout the aborted request rejects too; the timeout already settled the promise.
      reject(error);
    },
  );
  return promise;
}
