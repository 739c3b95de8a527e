import { createBatchHandler } from '../../lib/index.js';
import { applyFault, faultInjectionEnabled, readFault } from './faultInjection.js';
import { performTask, taskSchema } from './task.js';

/**
 * The worker: consumes task messages from SQS with partial batch responses, retries with backoff inside
 * the invocation, and a time budget. Adapt task.ts; keep this file as the wiring.
 */
const injectFaults = faultInjectionEnabled();

export const handler = createBatchHandler(
  async (task, { record, attempt, signal }) => {
    if (injectFaults) {
      const fault = readFault(record);
      if (fault !== undefined) await applyFault(fault, record, attempt);
    }
    return performTask(task, signal);
  },
  { schema: taskSchema },
);
