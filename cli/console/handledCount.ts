import type { ActionOperation, JobCounts } from './consoleApi.js';

/**
 * The messages an action has handled: moved for a redrive, parked, or deleted (in a dry run, would be).
 * Shared by the server (confirmation, rate) and the page (preview, progress).
 */
export function handledCount(
  counts: Pick<JobCounts, 'moved' | 'parked' | 'deleted'>,
  operation: ActionOperation,
): number {
  return operation === 'park' ? counts.parked : operation === 'delete' ? counts.deleted : counts.moved;
}
