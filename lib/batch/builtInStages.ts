import type { AttemptTracking } from '../attempts/attemptTracking.js';
import { AwsCallLatency } from '../aws/awsCallLatency.js';
import type { AwsClients } from '../aws/awsClients.js';
import { deadLetterRouter } from '../deadLetter/deadLetterRouter.js';
import { outcomeNotifier } from '../events/outcomeNotifier.js';
import { redeliveryStage } from '../redelivery/redeliveryStage.js';
import type { BatchOptions, OutcomeStage } from '../types.js';

/**
 * The stages a batch runs after every record has an outcome, in the one order that keeps each message
 * where it belongs:
 * 1. dead-letter routing first: a record the DLQ accepted is handled (SQS deletes it from the source), so
 *    it must be settled before anything decides how the rest come back;
 * 2. redelivery next: it sends a copy or sets a delay (and writes the attempt ledger) only for records
 *    still failed and not dead-lettered, which it can only know once routing is done;
 * 3. the user's own stages: they see every built-in decision, and may add theirs before anything is told;
 * 4. notifications last: an event says where a message finally is (succeeded, dead-lettered, retry
 *    scheduled, failed), so it is built once nothing will move the message any more.
 * The partial batch response is built from the outcomes after the last stage. Dead-letter routing and
 * redelivery share one record of how long this container's SQS calls take (`latency`), which their calls
 * add to and consult: a dead letter or a redelivery copy is not sent when the time left could not cover
 * it. Notifications keep their own: SNS being slow says nothing about SQS, and a slow publish must not
 * stop the next batch's copies (each copy not sent costs a receive of a message that was never tried).
 */
export function outcomeStages(
  options: BatchOptions,
  aws: AwsClients,
  latency: AwsCallLatency = new AwsCallLatency(),
  tracking?: AttemptTracking,
): OutcomeStage[] {
  const stages: OutcomeStage[] = [];
  if (options.deadLetter !== undefined) stages.push(deadLetterRouter(options.deadLetter, aws, latency));
  if (options.redeliveryBackoff !== undefined || tracking !== undefined)
    stages.push(redeliveryStage({ backoff: options.redeliveryBackoff, tracking }, aws, latency));
  stages.push(...(options.stages ?? []));
  if (options.notifications !== undefined)
    stages.push(outcomeNotifier(options.notifications, aws, new AwsCallLatency()));
  return stages;
}
