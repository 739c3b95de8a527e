import { sleep } from '../time/sleep.js';
import { describeAwsError, isRetryableAwsError } from './awsCallError.js';
import { type AwsCallPolicy, DEFAULT_AWS_CALL_POLICY } from './awsCallPolicy.js';
import { callWithin } from './callDeadline.js';

/** What a batch API says about one entry. */
export interface EntryFailure {
  readonly code: string;
  readonly message: string;
  /** Throttling, a server fault or a network error: the service may accept it if asked again. */
  readonly retryable: boolean;
}

export type EntryResult<TSuccess> =
  | { readonly ok: true; readonly value: TSuccess }
  | { readonly ok: false; readonly failure: EntryFailure };

/**
 * One call of a batch API: entries keyed by the ids the layer assigned, answers keyed the same way. The
 * signal aborts when the call's time is up; pass it to the SDK (`send(command, { abortSignal })`).
 */
export type BatchCall<TEntry, TSuccess> = (
  entries: readonly { id: string; entry: TEntry }[],
  signal: AbortSignal,
) => Promise<BatchCallAnswer<TSuccess>>;

export interface BatchCallAnswer<TSuccess> {
  readonly successful: readonly { id: string; value: TSuccess }[];
  readonly failed: readonly { id: string; code: string; message: string; senderFault: boolean }[];
}

export interface BatchLimits<TEntry> {
  /** Entries per call (10 for every SQS and SNS batch API). */
  readonly maxEntries: number;
  /** Total payload per call, and a function measuring an entry's payload. */
  readonly maxBytes?: number;
  readonly sizeOf?: (entry: TEntry) => number;
}

export interface BatchRunStats {
  /** Requests sent, retries included. */
  calls: number;
}

/**
 * Runs a batch API over any number of entries: chunks them by count and size, assigns the call ids SQS and
 * SNS require (`[A-Za-z0-9_-]`, distinct per call), retries whole calls that were throttled or hit a server
 * fault, retries entries that came back in `Failed[]` without a sender fault, and returns one result per
 * entry, in input order. Never throws: a call that cannot be made fails its entries. Every request is
 * bounded by the policy's deadline and attempt timeout (callWithin), so the whole run ends by the deadline
 * whatever the service does; an entry whose request was cut fails with a TimeoutError.
 */
export async function runBatchedEntries<TEntry, TSuccess>(
  entries: readonly TEntry[],
  call: BatchCall<TEntry, TSuccess>,
  limits: BatchLimits<TEntry>,
  policy: AwsCallPolicy,
  stats: BatchRunStats = { calls: 0 },
): Promise<EntryResult<TSuccess>[]> {
  const results: (EntryResult<TSuccess> | undefined)[] = new Array(entries.length);
  const maxAttempts = policy.maxAttempts ?? DEFAULT_AWS_CALL_POLICY.maxAttempts;
  const baseDelayMs = policy.baseDelayMs ?? DEFAULT_AWS_CALL_POLICY.baseDelayMs;

  const counted: BatchCall<TEntry, TSuccess> = (keyed, signal) => {
    stats.calls += 1;
    return call(keyed, signal);
  };
  let pending = entries.map((_, index) => index);
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const retryLater: number[] = [];
    await Promise.all(
      chunk(pending, entries, limits).map(async (indexes) => {
        for (const [index, result] of await callOnce(indexes, entries, counted, policy)) {
          // The latest answer always stands, so an entry that runs out of attempts or time keeps its real error.
          results[index] = result;
          if (!result.ok && result.failure.retryable && attempt < maxAttempts) retryLater.push(index);
        }
      }),
    );
    const delayMs = Math.floor(Math.random() * baseDelayMs * 2 ** (attempt - 1));
    if (retryLater.length === 0 || Date.now() + delayMs >= policy.deadline) break;
    await sleep(delayMs);
    pending = retryLater.sort((a, b) => a - b);
  }
  return results as EntryResult<TSuccess>[];
}

async function callOnce<TEntry, TSuccess>(
  indexes: readonly number[],
  entries: readonly TEntry[],
  call: BatchCall<TEntry, TSuccess>,
  policy: AwsCallPolicy,
): Promise<Map<number, EntryResult<TSuccess>>> {
  const byId = new Map(indexes.map((index, position) => [`e${position}`, index]));
  const results = new Map<number, EntryResult<TSuccess>>();
  const keyed = indexes.map((index, position) => ({ id: `e${position}`, entry: entries[index] as TEntry }));
  try {
    const response = await callWithin((signal) => call(keyed, signal), policy);
    for (const { id, value } of response.successful) {
      const index = byId.get(id);
      if (index !== undefined) results.set(index, { ok: true, value });
    }
    for (const { id, code, message, senderFault } of response.failed) {
      const index = byId.get(id);
      if (index !== undefined)
        results.set(index, { ok: false, failure: { code, message, retryable: !senderFault } });
    }
    for (const index of indexes) {
      // AWS answers for every entry; an entry missing from both lists is treated as not done.
      if (!results.has(index)) {
        results.set(index, {
          ok: false,
          failure: {
            code: 'MissingFromResponse',
            message: 'the service did not report on this entry',
            retryable: true,
          },
        });
      }
    }
  } catch (error) {
    const { name, message } = describeAwsError(error);
    const failure: EntryFailure = { code: name, message, retryable: isRetryableAwsError(error) };
    for (const index of indexes) results.set(index, { ok: false, failure });
  }
  return results;
}

function chunk<TEntry>(
  indexes: readonly number[],
  entries: readonly TEntry[],
  limits: BatchLimits<TEntry>,
): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const index of indexes) {
    const size = limits.sizeOf?.(entries[index] as TEntry) ?? 0;
    const full =
      current.length === limits.maxEntries ||
      (limits.maxBytes !== undefined && current.length > 0 && bytes + size > limits.maxBytes);
    if (full) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
