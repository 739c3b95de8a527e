/**
 * What Lambda does with a consumer's result when the mapping has ReportBatchItemFailures
 * (docs/aws-semantics.md#report-batch-item-failures): which messages it deletes and which stay in the queue.
 * Used by the local event source mapping and by tests as the judge of every response.
 */
export type BatchVerdict =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly failedIds: ReadonlySet<string> }
  | { readonly kind: 'failure'; readonly reason: string };

/** The invocation threw, timed out or crashed: nothing is deleted. */
export const INVOCATION_FAILED: BatchVerdict = { kind: 'failure', reason: 'the function failed' };

export function interpretBatchResponse(result: unknown, batchMessageIds: readonly string[]): BatchVerdict {
  if (result === null || result === undefined) return { kind: 'success' };
  if (typeof result !== 'object' || Array.isArray(result)) {
    return { kind: 'failure', reason: `the result is not a batch response object (${describe(result)})` };
  }
  if (!('batchItemFailures' in result)) return { kind: 'success' };
  const failures = (result as { batchItemFailures: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return { kind: 'success' };
  if (!Array.isArray(failures)) {
    return { kind: 'failure', reason: `batchItemFailures is ${describe(failures)}, not a list` };
  }
  if (failures.length === 0) return { kind: 'success' };

  const inBatch = new Set(batchMessageIds);
  const failedIds = new Set<string>();
  for (const [index, item] of failures.entries()) {
    if (typeof item !== 'object' || item === null || !('itemIdentifier' in item)) {
      return { kind: 'failure', reason: `batchItemFailures[${index}] has no itemIdentifier key` };
    }
    const id = (item as { itemIdentifier: unknown }).itemIdentifier;
    if (typeof id !== 'string' || id === '') {
      return {
        kind: 'failure',
        reason: `batchItemFailures[${index}].itemIdentifier is empty or not a string`,
      };
    }
    if (!inBatch.has(id)) {
      return {
        kind: 'failure',
        reason: `batchItemFailures[${index}].itemIdentifier ${id} is not in the batch`,
      };
    }
    failedIds.add(id);
  }
  return { kind: 'partial', failedIds };
}

/** Ids Lambda deletes from the queue under a verdict. */
export function deletedIds(verdict: BatchVerdict, batchMessageIds: readonly string[]): string[] {
  switch (verdict.kind) {
    case 'success':
      return [...batchMessageIds];
    case 'failure':
      return [];
    case 'partial':
      return batchMessageIds.filter((id) => !verdict.failedIds.has(id));
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
