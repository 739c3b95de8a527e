import type { AwsCallLatency } from '../aws/awsCallLatency.js';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import type { AwsClients } from '../aws/awsClients.js';
import { queueUrlFromArn } from '../aws/queueUrl.js';
import { changeVisibility, sendMessages } from '../aws/sqsBatchApi.js';
import { entry } from '../failureLayer/entryParts.js';
import type { BatchContext, RecordOutcome } from '../types.js';
import { planRedelivery, type RedeliveryPlan, type RedeliverySettings } from './planRedelivery.js';
import { redeliveryCopy } from './redeliveryCopy.js';
import { clampVisibility } from './redeliveryDelay.js';

/**
 * The work of the redelivery stage (its guarantees are written there): sends the copies, then, for every
 * record that stays in its queue (by choice, or because its copy could not be made), sets its visibility
 * timeout and writes its attempt history to the ledger, each in batches through the AWS-call layer.
 */
export async function redeliver(
  settings: RedeliverySettings,
  aws: AwsClients,
  outcomes: readonly RecordOutcome[],
  batch: BatchContext,
  latency?: AwsCallLatency,
): Promise<void> {
  const now = Date.now();
  const plans = outcomes
    .filter(entry.needsRedelivery)
    .map((outcome) => planRedelivery(outcome, settings, batch.queue.fifo, now));
  if (plans.length === 0) return;
  const policy: AwsCallPolicy = { deadline: batch.budget.hardDeadline, latency };
  const call: RedeliveryCall = { queueUrl: queueUrlFromArn(batch.queue), policy, aws, batch, now };

  const staying = plans.filter((plan) => !plan.byCopy);
  const copied = plans.filter((plan) => plan.byCopy);
  if (copied.length > 0) staying.push(...(await sendCopies(copied, call)));

  const ledger = settings.tracking?.ledger;
  await Promise.all([
    setVisibility(
      staying.filter((plan) => plan.delaySeconds !== undefined),
      call,
    ),
    ledger === undefined || staying.length === 0
      ? undefined
      : ledger
          .write(
            staying.map(({ outcome }) => ({
              messageId: outcome.record.messageId,
              history: {
                ...(outcome.history as NonNullable<RecordOutcome['history']>),
                copiedAt: undefined,
                dueAt: outcome.history?.dueAt,
                receiveCount: entry.receiveCountOf(outcome.record),
              },
            })),
            policy,
          )
          .then((results) => reportLedgerWrites(results, staying, batch)),
  ]);
}

/** What every redelivery call of one invocation shares: its queue, deadline, clients, batch and clock. */
interface RedeliveryCall {
  readonly queueUrl: string;
  readonly policy: AwsCallPolicy;
  readonly aws: AwsClients;
  readonly batch: BatchContext;
  readonly now: number;
}

/** Sends the copies; returns the plans whose copy could not be made or was refused: they stay instead. */
async function sendCopies(
  plans: readonly RedeliveryPlan[],
  { queueUrl, policy, aws, batch, now }: RedeliveryCall,
): Promise<RedeliveryPlan[]> {
  const staying: RedeliveryPlan[] = [];
  const sendable: { plan: RedeliveryPlan; delaySeconds: number }[] = [];
  const messages = [];
  for (const plan of plans) {
    const delaySeconds = plan.delaySeconds ?? 0;
    const copy = redeliveryCopy(plan.outcome, delaySeconds, now);
    if ('problem' in copy) {
      stayInstead(plan, copy.problem, batch, staying);
      continue;
    }
    sendable.push({ plan, delaySeconds });
    messages.push(copy.message);
  }
  // A copy is a new message: one cut at the deadline may still have been stored, and the original,
  // reported failed, would come back as well (a duplicate), so it is not started without the time for it.
  const results =
    messages.length === 0
      ? []
      : await sendMessages(queueUrl, messages, { ...policy, idempotent: false }, aws.sqs);
  let sent = 0;
  for (const [index, result] of results.entries()) {
    const { plan, delaySeconds } = sendable[index] as (typeof sendable)[number];
    if (!result.ok) {
      const { code, message } = result.failure;
      stayInstead(
        plan,
        code === 'TimeoutError'
          ? `the send was not started or not answered in time (${code}: ${message})`
          : `SQS did not accept it (${code}: ${message})`,
        batch,
        staying,
      );
      continue;
    }
    sent += 1;
    const { outcome } = plan;
    outcome.retryScheduled = { delaySeconds, at: now, copyMessageId: result.value.messageId };
    batch.hooks.call('onRetryScheduled', outcome, outcome.messageId);
  }
  batch.metrics.add(entry.METRIC.redeliveryCopies, sent);
  batch.metrics.add(entry.METRIC.retriesScheduled, sent);
  return staying;
}

/**
 * A record whose copy cannot be made stays in its queue, reported failed, and comes back in place: its
 * attempt then lives in the ledger when there is one, and on the receive count otherwise.
 */
function stayInstead(
  plan: RedeliveryPlan,
  problem: string,
  batch: BatchContext,
  staying: RedeliveryPlan[],
): void {
  batch.metrics.add(entry.METRIC.redeliveryCopiesFailed, 1);
  batch.logger.warn(
    `No redelivery copy: ${problem}. The message stays in its queue and comes back in place.`,
    {
      messageId: plan.outcome.messageId,
    },
  );
  staying.push(plan);
}

async function setVisibility(
  plans: readonly RedeliveryPlan[],
  { queueUrl, policy, aws, batch, now }: RedeliveryCall,
): Promise<void> {
  if (plans.length === 0) return;
  const delays = plans.map((plan) => clampVisibility(plan.delaySeconds ?? 0, batch.startedAt, now));
  const results = await changeVisibility(
    queueUrl,
    plans.map((plan, index) => ({
      receiptHandle: plan.outcome.record.receiptHandle,
      visibilityTimeout: delays[index] as number,
    })),
    policy,
    aws.sqs,
  );
  let refused = 0;
  for (const [index, result] of results.entries()) {
    const { outcome } = plans[index] as RedeliveryPlan;
    if (result.ok) {
      outcome.retryScheduled = { delaySeconds: delays[index] as number, at: now };
      batch.hooks.call('onRetryScheduled', outcome, outcome.messageId);
      continue;
    }
    refused += 1;
    batch.logger.warn('Redelivery delay not set; the message returns after the queue visibility timeout', {
      messageId: outcome.messageId,
      code: result.failure.code,
      reason: result.failure.message,
    });
  }
  batch.metrics.add(entry.METRIC.retriesScheduled, results.length - refused);
  if (refused > 0) batch.metrics.add(entry.METRIC.visibilityChangesFailed, refused);
}

function reportLedgerWrites(
  results: readonly { ok: boolean; failure?: { code: string; message: string } }[],
  plans: readonly RedeliveryPlan[],
  batch: BatchContext,
): void {
  let failed = 0;
  for (const [index, result] of results.entries()) {
    if (result.ok) continue;
    failed += 1;
    batch.logger.warn(
      'The attempt ledger did not record this delivery; the message gets this attempt again rather than lose a try',
      { messageId: (plans[index] as RedeliveryPlan).outcome.messageId, code: result.failure?.code },
    );
  }
  if (failed > 0) batch.metrics.add(entry.METRIC.attemptLedgerWritesFailed, failed);
}
