import {
  MAX_BATCH_SIZE_WITHOUT_WINDOW,
  MAX_BATCHING_WINDOW_SECONDS,
  MAX_FIFO_BATCH_SIZE,
  MAX_MAPPING_CONCURRENCY,
  MAX_STANDARD_BATCH_SIZE,
  MIN_MAPPING_CONCURRENCY,
} from '../../lib/aws/serviceLimits.js';
import type { MappingChange } from '../eventSourceMapping/localEventSourceMapping.js';
import type { EventSourceMappingSpec } from '../provision/localResources.js';

/** The body of UpdateEventSourceMapping, as far as the local runtime applies it. */
interface MappingUpdate {
  readonly Enabled?: unknown;
  readonly ScalingConfig?: { readonly MaximumConcurrency?: unknown };
  readonly BatchSize?: unknown;
  readonly MaximumBatchingWindowInSeconds?: unknown;
  readonly FunctionResponseTypes?: unknown;
}

/** UpdateEventSourceMapping's fields the local mappings apply (UUID is the path, not the body). */
export const EMULATED_UPDATES: readonly string[] = [
  'Enabled',
  'ScalingConfig',
  'BatchSize',
  'MaximumBatchingWindowInSeconds',
  'FunctionResponseTypes',
];

/**
 * Reads an UpdateEventSourceMapping body against the mapping it changes: the change to apply, or every
 * problem, in Lambda's own limits (docs/aws-semantics.md#batch-size-and-batching-window). A field the local
 * runtime does not emulate is a problem too: applying the rest would tell the caller the whole change took
 * effect.
 */
export function readMappingUpdate(
  body: string,
  current: EventSourceMappingSpec,
): { readonly change: MappingChange } | { readonly problems: readonly string[] } {
  let update: MappingUpdate;
  try {
    update = JSON.parse(body || '{}') as MappingUpdate;
  } catch {
    return { problems: ['the request body is not JSON'] };
  }
  const problems: string[] = [];
  const ignored = Object.keys(update).filter((key) => !EMULATED_UPDATES.includes(key));
  if (ignored.length > 0)
    problems.push(
      `${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} not emulated locally; the local runtime applies ${EMULATED_UPDATES.join(', ')}`,
    );
  const fifo = current.queue.arn.endsWith('.fifo');
  const maxBatchSize = fifo ? MAX_FIFO_BATCH_SIZE : MAX_STANDARD_BATCH_SIZE;
  const batchSize = integerIn(update.BatchSize, 1, maxBatchSize, 'BatchSize', problems);
  const window = integerIn(
    update.MaximumBatchingWindowInSeconds,
    0,
    MAX_BATCHING_WINDOW_SECONDS,
    'MaximumBatchingWindowInSeconds',
    problems,
  );
  if (fifo && (window ?? 0) > 0)
    problems.push('MaximumBatchingWindowInSeconds: FIFO queues take no batching window');
  if (
    (batchSize ?? current.batchSize) > MAX_BATCH_SIZE_WITHOUT_WINDOW &&
    (window ?? current.batchingWindowSeconds) < 1
  )
    problems.push(
      `BatchSize: above ${MAX_BATCH_SIZE_WITHOUT_WINDOW} needs MaximumBatchingWindowInSeconds of at least 1`,
    );
  const maximumConcurrency = integerIn(
    update.ScalingConfig?.MaximumConcurrency,
    MIN_MAPPING_CONCURRENCY,
    MAX_MAPPING_CONCURRENCY,
    'ScalingConfig.MaximumConcurrency',
    problems,
  );
  const types = update.FunctionResponseTypes;
  if (
    types !== undefined &&
    (!Array.isArray(types) || types.some((type) => type !== 'ReportBatchItemFailures'))
  )
    problems.push(
      `FunctionResponseTypes: must be [] or ["ReportBatchItemFailures"] (got ${JSON.stringify(types)})`,
    );
  if (update.Enabled !== undefined && typeof update.Enabled !== 'boolean')
    problems.push(`Enabled: must be true or false (got ${JSON.stringify(update.Enabled)})`);
  if (problems.length > 0) return { problems };
  return {
    change: {
      enabled: update.Enabled as boolean | undefined,
      maximumConcurrency,
      batchSize,
      batchingWindowSeconds: window,
      reportBatchItemFailures: Array.isArray(types) ? types.length > 0 : undefined,
    },
  };
}

function integerIn(
  value: unknown,
  min: number,
  max: number,
  name: string,
  problems: string[],
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  problems.push(`${name}: must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  return undefined;
}
