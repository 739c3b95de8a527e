import { describeSeconds } from '../../time/formatDuration.js';
import type { SetupRule } from '../setupRule.js';
import { isKnown } from '../setupRule.js';

/** AWS recommends a visibility timeout of 6 × the function timeout plus the batching window. */
export const VISIBILITY_PER_FUNCTION_TIMEOUT = 6;

export const VISIBILITY_TIMEOUT_COVERS_INVOCATIONS: SetupRule = {
  id: 'visibility-timeout-covers-invocations',
  severity: 'error',
  summary: "The work queue's visibility timeout is at least 6 × the function timeout + the batching window.",
  why:
    'a message becomes visible again while an invocation still holds it (its retries included), so it is ' +
    'delivered twice and spends receives towards the DLQ',
  reference: 'docs/aws-semantics.md#visibility-timeout-and-function-timeout',
  check({ queue, consumer, mapping }) {
    const visibility = queue.visibilityTimeoutSeconds;
    const window = mapping?.maxBatchingWindowSeconds ?? 0;
    if (!isKnown(visibility) || !isKnown(consumer.timeoutSeconds) || !isKnown(window)) return [];
    const minimum = VISIBILITY_PER_FUNCTION_TIMEOUT * consumer.timeoutSeconds + window;
    if (visibility >= minimum) return [];
    return [
      {
        prop: 'visibilityTimeout',
        value: describeSeconds(visibility),
        problem:
          `below ${describeSeconds(minimum)} (6 × function timeout ${describeSeconds(consumer.timeoutSeconds)} + ` +
          `maxBatchingWindow ${describeSeconds(window)})`,
        fix: `set visibilityTimeout to at least ${describeSeconds(minimum)} (at most 12 h), or leave it unset`,
      },
    ];
  },
};
