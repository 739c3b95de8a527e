import { createBatchHandler } from '../../lib/index.js';
import { downstreamFromEnvironment } from './downstream.js';
import { effectsStoreFromEnvironment } from './effects.js';
import { applyFault, faultInjectionEnabled, readFault } from './faultInjection.js';
import { performTask, taskSchema } from './task.js';

/**
 * The worker: consumes task messages from SQS with partial batch responses, retries with backoff inside
 * the invocation, and a time budget. Adapt task.ts; keep this file as the wiring. With `idempotency` in
 * SQS_FAILSAFE_CONFIG each task's effect happens once per key, however often SQS delivers it.
 */
const injectFaults = faultInjectionEnabled();
const effects = effectsStoreFromEnvironment();
const downstream = downstreamFromEnvironment();

export const handler = createBatchHandler(
  async (task, { record, attempt, call, signal }) => {
    if (injectFaults) {
      const fault = readFault(record);
      if (fault !== undefined) await applyFault(fault, record, { attempt, call });
    }
    return performTask(task, signal, effects, downstream);
  },
  { schema: taskSchema },
);
