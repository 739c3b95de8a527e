import type { SQSBatchResponse } from 'aws-lambda';
import type { BatchHooks, RecordHandler } from '../../lib/index.js';
import type { Library } from '../support/shippedLibrary.js';
import type { BatchRunner } from './batchRunner.js';
import { workOnMessage, workOnMessageTransiently } from './recordWork.js';

/** What the hooks saw; read after a checked run to prove the hooks really ran. */
export interface HookCounts {
  succeeded: number;
  failed: number;
  retried: number;
}

export const emptyHookCounts = (): HookCounts => ({ succeeded: 0, failed: 0, retried: 0 });

function countingHooks(counts: HookCounts): BatchHooks {
  return {
    onSuccess: () => {
      counts.succeeded += 1;
    },
    onFailure: () => {
      counts.failed += 1;
    },
    onRetry: () => {
      counts.retried += 1;
    },
  };
}

/**
 * A no-op logger, the counterpart of the one Middy gets: both libraries write a line per failed record by
 * default (sqs-failsafe a WARN saying what happens next), and the comparison is of the batch machinery.
 */
const SILENT = { debug() {}, info() {}, warn() {}, error() {} };

function runner(name: string, handler: ReturnType<Library['createBatchHandler']>): BatchRunner {
  return { name, handle: (event, context) => handler(event, context) as Promise<SQSBatchResponse> };
}

/**
 * sqs-failsafe as a worker would configure it: in-invocation retries with exponential backoff and all
 * three hooks. The failing records throw a PermanentError, so they are classified not retryable and, like
 * in every other runner, called once.
 */
export function sqsFailsafe(library: Library, counts: HookCounts): BatchRunner {
  return runner(
    'sqs-failsafe (retry + hooks)',
    library.createBatchHandler(workOnMessage as RecordHandler, {
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      hooks: countingHooks(counts),
      logger: SILENT,
    }),
  );
}

/**
 * Not a comparison: the failing records throw a retryable error and are retried once after 0 ms, so this
 * runner does twice the work on them. It shows what the retry path itself costs.
 */
export function sqsFailsafeRetryPath(library: Library, counts: HookCounts): BatchRunner {
  return runner(
    'sqs-failsafe, failures retried once (0 ms)',
    library.createBatchHandler(workOnMessageTransiently as RecordHandler, {
      retry: { scheduleMs: [0] },
      hooks: countingHooks(counts),
      logger: SILENT,
    }),
  );
}
