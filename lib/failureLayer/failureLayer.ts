/**
 * The failure layer: everything a batch runs only when something is not a first delivery that succeeded:
 * dead letters, redelivery copies and visibility changes, outcome events, the attempt history a record
 * carries in (its attribute or the attempt ledger) and the one it leaves with, and the failure log lines;
 * and what only an opt-in feature runs: records through the idempotency store (whose Powertools and
 * DynamoDB client outweigh the layer many times).
 * The entry loads it with `import()` (loadFailureLayer.ts) the first time a batch needs it, once per
 * container, so a healthy batch of first deliveries never reads or compiles it. A deployed function has it
 * as a file of its own (infra/bundling/bundleLambda.ts). Its files take what must be the entry's own (error
 * classes, configuration defaults, the stages' checks) from entryParts.ts, never by importing it
 * (partsForFailureLayer.ts says why), and import the AWS call layer and the history format themselves.
 */
export { attemptLedger } from '../attempts/attemptLedger.js';
export { loadAttemptHistories } from '../attempts/loadAttemptHistories.js';
export { recordDeliveries } from '../attempts/recordDelivery.js';
export { logFailedRecords } from '../batch/logFailedRecords.js';
export { sendDeadLetters } from '../deadLetter/sendDeadLetters.js';
export { publishOutcomeEvents } from '../events/publishOutcomeEvents.js';
export { runIdempotently } from '../idempotency/idempotentRun.js';
export { redeliver } from '../redelivery/redeliver.js';
export { receiveEntryParts } from './entryParts.js';
