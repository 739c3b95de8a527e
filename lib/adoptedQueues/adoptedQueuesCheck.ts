import { awsFixFor } from '../liveSetup/awsFixes.js';
import { type ExplainedFinding, findingLines } from '../liveSetup/findingText.js';
import { type LiveQueue, queueSetupOf } from '../liveSetup/liveQueue.js';
import type { ConsumerSetup } from '../setupRules/consumerSetup.js';
import type { SetupFinding } from '../setupRules/setupRule.js';
import { checkConsumerSetup } from '../setupRules/setupRules.js';
import { describeSeconds } from '../time/formatDuration.js';

/** The custom resource property that carries the expectation, as one JSON string (CloudFormation passes strings). */
export const ADOPTED_QUEUES_CHECK_PROPERTY = 'Check';

/**
 * What the construct was built for, for the deploy-time check of queues it adopted (`existingQueue`): the
 * queues' addresses, the values its retry math assumed (each must be what the queue has), the values the user
 * stated, and its own description of the consumer, whose queue parts the check fills in from the live queues.
 */
export interface AdoptedQueuesExpectation {
  readonly version: 1;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueArn: string;
  readonly fifo: boolean;
  /** Each value the retry math was computed with, and the prop that states it. */
  readonly assumed: readonly AssumedValue[];
  /** The consumer as the construct describes it; `queue` and `deadLetterQueue` are replaced by what is read. */
  readonly setup: Omit<ConsumerSetup, 'queue' | 'deadLetterQueue'>;
  readonly functionName?: string | undefined;
  readonly mappingUuid?: string | undefined;
}

/** One queue value the construct relied on. */
export interface AssumedValue {
  readonly queue: 'work' | 'dead-letter';
  readonly attribute: 'VisibilityTimeout' | 'MessageRetentionPeriod' | 'DelaySeconds' | 'maxReceiveCount';
  readonly value: number;
  /** The prop that states it (`visibilityTimeout`). */
  readonly prop: string;
  /** Whether the user gave the prop (else the construct's default was assumed). */
  readonly stated: boolean;
}

/** The findings of one check: errors fail the deployment, warnings are logged. */
export interface AdoptedQueuesResult {
  readonly errors: readonly ExplainedFinding[];
  readonly warnings: readonly ExplainedFinding[];
}

const AS_BUILT = {
  rule: 'existing-queue-as-built',
  severity: 'error',
  why:
    'the construct computed the retry horizon and checked its setup rules on these values, and CloudFormation ' +
    'cannot change a queue it does not own: a queue that differs runs with settings nobody checked',
  reference: 'docs/aws-semantics.md#queue-attributes-cloudformation-cannot-change',
} as const;

/**
 * The adopted queues against what the construct was built for, then the setup rules on what they really are
 * (the rules `sqs-failsafe doctor` applies, with its messages).
 *
 * @example
 * const { errors } = adoptedQueuesFindings(expectation, await readLiveQueue(url, policy), dlq);
 */
export function adoptedQueuesFindings(
  expectation: AdoptedQueuesExpectation,
  queue: LiveQueue,
  deadLetterQueue: LiveQueue,
): AdoptedQueuesResult {
  const mismatches: SetupFinding[] = [];
  const add = (prop: string, value: string, problem: string, fix: string) =>
    mismatches.push({ ...AS_BUILT, prop, value, problem, fix });

  const target = queue.redrivePolicy?.deadLetterTargetArn;
  const redrivesToGiven = target === expectation.deadLetterQueueArn;
  if (target !== undefined && !redrivesToGiven) {
    add(
      'existingQueue.deadLetterQueue',
      expectation.deadLetterQueueArn,
      `${queue.name}'s redrive policy names ${target}, not this queue`,
      `give existingQueue.deadLetterQueue the queue ${target}, or point ${queue.name}'s redrive policy at this one`,
    );
  }
  for (const [which, live] of [
    ['existingQueue.queue', queue],
    ['existingQueue.deadLetterQueue', deadLetterQueue],
  ] as const) {
    if (live.fifo !== expectation.fifo) {
      add(
        which,
        live.name,
        `is ${live.fifo ? 'a FIFO' : 'a standard'} queue; the construct was built for ${expectation.fifo ? 'FIFO' : 'standard'} queues`,
        `set fifo to ${live.fifo}, or give a ${expectation.fifo ? 'FIFO' : 'standard'} queue`,
      );
    }
  }
  for (const assumed of expectation.assumed) {
    const live = assumed.queue === 'work' ? queue : deadLetterQueue;
    const actual = liveValue(live, assumed.attribute);
    if (actual === undefined || actual === assumed.value) continue;
    const shown = (value: number) =>
      assumed.attribute === 'maxReceiveCount' ? String(value) : describeSeconds(value);
    add(
      assumed.prop,
      shown(assumed.value),
      `${live.name} has ${assumed.attribute} ${shown(actual)}; the construct was built for ${shown(assumed.value)}` +
        (assumed.stated
          ? ` (${assumed.prop} as given)`
          : ` (the default of ${assumed.prop}, which was not given)`),
      `state what the queue has (${assumed.prop}: ${assumed.attribute === 'maxReceiveCount' ? actual : `Duration.seconds(${actual})`}), ` +
        `so the construct checks it, or change the queue to ${shown(assumed.value)}`,
    );
  }

  const setup: ConsumerSetup = {
    ...expectation.setup,
    queue: queueSetupOf(queue),
    deadLetterQueue: target === undefined ? undefined : queueSetupOf(deadLetterQueue),
  };
  const subject = {
    queueUrl: expectation.queueUrl,
    deadLetterQueueUrl: expectation.deadLetterQueueUrl,
    deadLetterQueueArn: expectation.deadLetterQueueArn,
    functionName: expectation.functionName,
    mappingUuid: expectation.mappingUuid,
  };
  const explain = (finding: SetupFinding): ExplainedFinding => ({
    ...finding,
    subject: `${queue.name} (work queue)`,
    awsFix: finding.rule === AS_BUILT.rule ? undefined : awsFixFor(finding, setup, subject),
  });
  const findings = [...mismatches, ...checkConsumerSetup(setup)].map(explain);
  return {
    errors: findings.filter((finding) => finding.severity === 'error'),
    warnings: findings.filter((finding) => finding.severity === 'warning'),
  };
}

function liveValue(queue: LiveQueue, attribute: AssumedValue['attribute']): number | undefined {
  switch (attribute) {
    case 'VisibilityTimeout':
      return queue.visibilityTimeoutSeconds;
    case 'MessageRetentionPeriod':
      return queue.retentionSeconds;
    case 'DelaySeconds':
      return queue.delaySeconds;
    case 'maxReceiveCount':
      return queue.redrivePolicy?.maxReceiveCount;
  }
}

/**
 * The reason a failed check gives CloudFormation: every error, one line each, as doctor words them. CloudFormation
 * takes a response of at most 4 KB, so a long list is cut and says how many were left out.
 */
export function failureReason(errors: readonly ExplainedFinding[], maxLength = 3_000): string {
  const head = `sqs-failsafe: the existing queues fail ${errors.length} check${errors.length === 1 ? '' : 's'}:`;
  let reason = head;
  for (const [index, finding] of errors.entries()) {
    const line = ` [${index + 1}] ${findingLines(finding)
      .map((text) => text.trim())
      .join(' | ')}`;
    if (reason.length + line.length > maxLength) {
      return `${reason} ... and ${errors.length - index} more (sqs-failsafe doctor --queue lists them all)`;
    }
    reason += line;
  }
  return reason;
}
