import { createRedriveHandler } from '../../lib/redriveFunction/createRedriveHandler.js';

/**
 * The redrive function: moves dead-lettered messages back to their source when the consumer's health
 * alarm returns to OK, when the DLQ alarm fires (after a cooldown), on a schedule, or when invoked by hand
 * with `{ dlq, source, max, dryRun, filter }`. Configured by SQS_FAILSAFE_REDRIVE_CONFIG (docs/redrive.md).
 */
export const handler = createRedriveHandler();
