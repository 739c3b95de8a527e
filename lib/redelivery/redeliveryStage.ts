import type { AwsCallLatency } from '../aws/awsCallLatency.js';
import type { AwsClients } from '../aws/awsClients.js';
import { withFailureLayer } from '../failureLayer/loadFailureLayer.js';
import type { OutcomeStage } from '../types.js';
import { needsRedelivery } from './needsRedelivery.js';
import type { RedeliverySettings } from './planRedelivery.js';

/**
 * Decides how every record that is not done comes back, after dead-letter routing:
 * - as a fresh copy (standard queues, when attempts are counted): SendMessageBatch to the same queue with
 *   the record's delay and its attempt history; the record is reported handled, so SQS deletes the
 *   original, only once SQS confirmed the copy. A crash between the two leaves both: a duplicate, never a
 *   loss. The copy's receive count starts at 0, so the queue's maxReceiveCount only counts crashes.
 * - in place (FIFO queues, `visibility` mode, or a copy that could not be made): its visibility timeout set
 *   to the delay (records not attempted are released at once, 0 s), and its attempt history written to the
 *   attempt ledger. Every such record is reported failed either way: if SQS refuses a change, the message
 *   only comes back at another time, never lost.
 *
 * A healthy batch returns at the first check; the failure layer (redeliver) and the AWS SDK are loaded only
 * when a record needs a call.
 */
export function redeliveryStage(
  settings: RedeliverySettings,
  aws: AwsClients = {},
  latency?: AwsCallLatency,
): OutcomeStage {
  return {
    name: 'redelivery',
    // Not async: a healthy batch returns at once, with no promise for the runner to await and no timer
    // for a stage left behind.
    run(outcomes, batch) {
      if (!outcomes.some(needsRedelivery)) return;
      return withFailureLayer((layer) => layer.redeliver(settings, aws, outcomes, batch, latency));
    },
  };
}
