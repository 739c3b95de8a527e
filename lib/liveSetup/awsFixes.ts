import { safetyNetMaxReceiveCount } from '../attempts/receiveCountSafetyNet.js';
import { MAX_REDRIVE_RECEIVE_COUNT, MAX_RETENTION_SECONDS } from '../aws/serviceLimits.js';
import type { ConsumerSetup } from '../setupRules/consumerSetup.js';
import { mappingConcurrencyCeiling } from '../setupRules/rules/concurrencyRules.js';
import { VISIBILITY_PER_FUNCTION_TIMEOUT } from '../setupRules/rules/visibilityRules.js';
import type { SetupFinding } from '../setupRules/setupRule.js';

/**
 * The resources a finding is about, as the console and the AWS CLI name them. What is not known is shown as a
 * placeholder (`<queue-url>`), never guessed.
 */
export interface FixSubject {
  readonly queueUrl?: string | undefined;
  readonly deadLetterQueueUrl?: string | undefined;
  readonly deadLetterQueueArn?: string | undefined;
  readonly functionName?: string | undefined;
  readonly mappingUuid?: string | undefined;
  readonly parkingQueueName?: string | undefined;
  readonly redriveFunctionArn?: string | undefined;
  readonly breakerFunctionName?: string | undefined;
}

/** The change for someone who does not use the construct: where in the console, and the AWS CLI command. */
type AwsFix = (finding: SetupFinding, setup: ConsumerSetup, subject: FixSubjectText) => string;

type FixSubjectText = { readonly [K in keyof FixSubject]-?: string };

const setQueue = (url: string, attributes: string) =>
  `aws sqs set-queue-attributes --queue-url ${url} --attributes ${attributes}`;

/** A redrive policy as set-queue-attributes takes it: a JSON string inside the attributes' JSON. */
const redrivePolicy = (deadLetterQueueArn: string, maxReceiveCount: number | string) =>
  `'${JSON.stringify({ RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueueArn, maxReceiveCount: String(maxReceiveCount) }) })}'`;

const environmentFix = (key: string, change: string, subject: FixSubjectText) =>
  `in the function's SQS_FAILSAFE_CONFIG, ${change} (${key}): Lambda console → ${subject.functionName} → ` +
  'Configuration → Environment variables, or `aws lambda update-function-configuration --function-name ' +
  `${subject.functionName} --environment ...\` with every variable it has`;

const alarmOn = (queueName: string) =>
  `aws cloudwatch put-metric-alarm --alarm-name ${queueName}-not-empty --namespace AWS/SQS ` +
  `--metric-name ApproximateNumberOfMessagesVisible --dimensions Name=QueueName,Value=${queueName} ` +
  '--statistic Maximum --period 60 --evaluation-periods 1 --threshold 0 ' +
  '--comparison-operator GreaterThanThreshold --alarm-actions <sns-topic-arn>';

/**
 * The maxReceiveCount for a redrive policy the fix creates: AWS's advised 5, or more when the function counts
 * attempts and keeps messages in place, so that applying the fix does not break the safety-net rule.
 */
function newMaxReceiveCount({ attempts, queue, mapping }: ConsumerSetup): number {
  if (attempts === undefined) return 5;
  const needed = safetyNetMaxReceiveCount({
    ...attempts,
    fifo: queue.fifo,
    batchSize: mapping?.batchSize ?? 1,
  });
  return Math.min(Math.max(5, needed), MAX_REDRIVE_RECEIVE_COUNT);
}

/** The most attempts a FIFO consumer with this batch size can have while the safety net stays within SQS's 1000. */
function largestMaxAttempts(fifo: boolean, batchSize: number): number {
  let maxAttempts = MAX_REDRIVE_RECEIVE_COUNT;
  while (
    maxAttempts > 1 &&
    safetyNetMaxReceiveCount({ maxAttempts, fifo, batchSize, redelivery: 'visibility' }) >
      MAX_REDRIVE_RECEIVE_COUNT
  )
    maxAttempts -= 1;
  return maxAttempts;
}

/** One fix per rule, keyed by rule id: a rule without one gets the construct's fix only (a test lists them all). */
const AWS_FIXES: Readonly<Record<string, AwsFix>> = {
  'runtime-configuration-valid': (finding) => {
    const [variable, functionName] = finding.value.split(' of ');
    return (
      `correct ${variable} (${finding.problem}): Lambda console → ${functionName} → Configuration → ` +
      `Environment variables, or \`aws lambda update-function-configuration --function-name ${functionName} ` +
      '--environment ...` with every variable it has'
    );
  },
  'dead-letter-queue-configured': (_finding, setup, subject) =>
    setup.runtimeDeadLetterQueueName !== undefined
      ? `point the queue's redrive policy at ${setup.runtimeDeadLetterQueueName}, the DLQ the function already ` +
        `dead-letters to (deadLetter.queueUrl in its SQS_FAILSAFE_CONFIG) (SQS console → ${setup.queue.name} → Edit → ` +
        `Dead-letter queue): ${setQueue(subject.queueUrl, redrivePolicy(subject.deadLetterQueueArn, newMaxReceiveCount(setup)))}`
      : `create a DLQ of the same type and point the queue's redrive policy at it (SQS console → ${setup.queue.name} → Edit → ` +
        `Dead-letter queue): aws sqs create-queue --queue-name ${setup.queue.fifo ? `${setup.queue.name.replace(/\.fifo$/, '')}-dlq.fifo --attributes FifoQueue=true,MessageRetentionPeriod=${MAX_RETENTION_SECONDS}` : `${setup.queue.name}-dlq --attributes MessageRetentionPeriod=${MAX_RETENTION_SECONDS}`}, ` +
        `then ${setQueue(subject.queueUrl, redrivePolicy('<dlq-arn>', newMaxReceiveCount(setup)))}`,
  'runtime-dead-letters-to-redrive-target': (_finding, _setup, subject) =>
    environmentFix(
      'deadLetter.queueUrl',
      `set it to ${subject.deadLetterQueueUrl}, the DLQ of the queue's redrive policy`,
      subject,
    ),
  'reports-batch-item-failures': (_finding, _setup, subject) =>
    `turn on "Report batch item failures" on the trigger (Lambda console → ${subject.functionName} → Configuration → ` +
    `Triggers → Edit): aws lambda update-event-source-mapping --uuid ${subject.mappingUuid} ` +
    '--function-response-types ReportBatchItemFailures; the handler must return { batchItemFailures } (sqs-failsafe does)',
  'mapping-filters-delete-messages': (_finding, _setup, subject) =>
    `remove the filters from the trigger (Lambda console → ${subject.functionName} → Configuration → Triggers → Edit → ` +
    `Filter criteria): aws lambda update-event-source-mapping --uuid ${subject.mappingUuid} --filter-criteria '{"Filters":[]}'`,
  'max-receive-count-survives-throttles': (_finding, _setup, subject) =>
    setQueue(subject.queueUrl, redrivePolicy(subject.deadLetterQueueArn, 5)),
  'visibility-timeout-covers-invocations': (_finding, { consumer, mapping }, subject) =>
    setQueue(
      subject.queueUrl,
      `VisibilityTimeout=${VISIBILITY_PER_FUNCTION_TIMEOUT * consumer.timeoutSeconds + (mapping?.maxBatchingWindowSeconds ?? 0)}`,
    ),
  'max-receive-count-safety-net': (finding, { attempts, queue, mapping }, subject) =>
    finding.prop === 'maxReceiveCount' && attempts !== undefined
      ? setQueue(
          subject.queueUrl,
          redrivePolicy(
            subject.deadLetterQueueArn,
            safetyNetMaxReceiveCount({ ...attempts, fifo: queue.fifo, batchSize: mapping?.batchSize ?? 1 }),
          ),
        )
      : environmentFix(
          'deadLetter.maxAttempts',
          `set at most ${largestMaxAttempts(queue.fifo, mapping?.batchSize ?? 1)}, or lower the trigger's batch size`,
          subject,
        ),
  'retention-outlasts-retry-horizon': (_finding, { retryHorizon, attempts }, subject) => {
    const needed = (retryHorizon?.totalSeconds ?? 0) + 1;
    if (needed <= MAX_RETENTION_SECONDS)
      return setQueue(subject.queueUrl, `MessageRetentionPeriod=${Math.max(needed, 60)}`);
    return attempts === undefined
      ? "no retention is long enough (14 days at most): lower the queue's maxReceiveCount or its visibility timeout"
      : "no retention is long enough (14 days at most): shorten the redelivery backoff or lower deadLetter.maxAttempts in the function's SQS_FAILSAFE_CONFIG";
  },
  'dead-letter-retention-outlasts-source': (_finding, { queue }, subject) =>
    queue.retentionSeconds >= MAX_RETENTION_SECONDS
      ? `${setQueue(subject.deadLetterQueueUrl, `MessageRetentionPeriod=${MAX_RETENTION_SECONDS}`)}, and shorten the work queue's retention below 14 days`
      : setQueue(subject.deadLetterQueueUrl, `MessageRetentionPeriod=${MAX_RETENTION_SECONDS}`),
  'breaker-pause-within-retention': (_finding, { queue, consumerBreaker, retryHorizon }, subject) => {
    const needed =
      (consumerBreaker?.cooldownSeconds ?? 0) +
      (consumerBreaker?.probeSeconds ?? 0) +
      (retryHorizon?.totalSeconds ?? 0) +
      1;
    return needed > MAX_RETENTION_SECONDS || needed <= queue.retentionSeconds
      ? `shorten coolDownSeconds in SQS_FAILSAFE_BREAKER_CONFIG of the breaker controller ${subject.breakerFunctionName}`
      : `${setQueue(subject.queueUrl, `MessageRetentionPeriod=${needed}`)}, or shorten coolDownSeconds in SQS_FAILSAFE_BREAKER_CONFIG of the breaker controller ${subject.breakerFunctionName}`;
  },
  'reserved-concurrency-covers-mapping': (_finding, setup, subject) => {
    const reserved = setup.consumer.reservedConcurrency ?? 0;
    if (reserved < 2) return `aws lambda delete-function-concurrency --function-name ${subject.functionName}`;
    const ceiling = mappingConcurrencyCeiling(setup)?.limit ?? reserved;
    return (
      `aws lambda update-event-source-mapping --uuid ${subject.mappingUuid} --scaling-config MaximumConcurrency=${reserved}, ` +
      `or aws lambda put-function-concurrency --function-name ${subject.functionName} --reserved-concurrent-executions ${ceiling}`
    );
  },
  'provisioned-mode-without-maximum-concurrency': (_finding, _setup, subject) =>
    `remove the maximum concurrency: aws lambda update-event-source-mapping --uuid ${subject.mappingUuid} --scaling-config '{}'`,
  'consumer-breaker-needs-on-demand-mode': (_finding, _setup, subject) =>
    `turn provisioned mode off on the trigger (Lambda console → ${subject.functionName} → Configuration → Triggers → ` +
    'Edit → Provisioned mode), or take the breaker controller off the transient-failure alarm',
  'idempotency-outlasts-retry-horizon': (_finding, { retryHorizon }, subject) =>
    environmentFix(
      'idempotency.expiresAfterSeconds',
      `set at least ${retryHorizon?.totalSeconds ?? '<seconds>'}`,
      subject,
    ),
  'attempt-ledger-outlasts-retry-horizon': (_finding, { retryHorizon }, subject) =>
    environmentFix(
      'attemptLedger.expiresAfterSeconds',
      `set at least ${retryHorizon?.totalSeconds ?? '<seconds>'}`,
      subject,
    ),
  'callback-topics-in-region': (finding, { region }, subject) =>
    environmentFix(
      'notifications.callbackTopicAllowList',
      `replace ${finding.value} by a topic in ${region}`,
      subject,
    ),
  'dead-letter-queue-alarmed': (_finding, { deadLetterQueue }) =>
    alarmOn(deadLetterQueue?.name ?? '<dlq-name>'),
  'parking-queue-alarmed': (_finding, _setup, subject) => alarmOn(subject.parkingQueueName),
  'skipped-dead-letter-alarm-looked-at-again': (_finding, _setup, subject) =>
    "invoke the redrive function on a schedule: aws events put-rule --name redrive-recheck --schedule-expression 'rate(5 minutes)', " +
    `then aws events put-targets --rule redrive-recheck --targets Id=redrive,Arn=${subject.redriveFunctionArn} ` +
    '(and aws lambda add-permission for events.amazonaws.com)',
  'someone-hears-of-trouble': () =>
    'add an SNS action to the DLQ and consumer alarms (CloudWatch console → the alarm → Edit → Notification), e.g. ' +
    "aws cloudwatch put-metric-alarm ... --alarm-actions arn:aws:sns:<region>:<account>:<ops-topic> with the alarm's settings",
};

/** The rules that have an AWS fix: what a test compares with the rules module's list. */
export const RULES_WITH_AWS_FIXES: readonly string[] = Object.keys(AWS_FIXES);

/**
 * The console or AWS CLI change that fixes a finding, for a consumer not built with the construct, with the
 * resources' names and the numbers filled in (placeholders for what is not known).
 *
 * @example
 * awsFixFor(finding, setup, { queueUrl }) // 'aws sqs set-queue-attributes --queue-url ... --attributes VisibilityTimeout=180'
 */
export function awsFixFor(
  finding: SetupFinding,
  setup: ConsumerSetup,
  subject: FixSubject,
): string | undefined {
  const fix = AWS_FIXES[finding.rule];
  if (fix === undefined) return undefined;
  return fix(finding, setup, {
    queueUrl: subject.queueUrl ?? '<queue-url>',
    deadLetterQueueUrl: subject.deadLetterQueueUrl ?? '<dlq-url>',
    deadLetterQueueArn: subject.deadLetterQueueArn ?? '<dlq-arn>',
    functionName: subject.functionName ?? '<function-name>',
    mappingUuid: subject.mappingUuid ?? '<mapping-uuid>',
    parkingQueueName: subject.parkingQueueName ?? '<parking-queue-name>',
    redriveFunctionArn: subject.redriveFunctionArn ?? '<redrive-function-arn>',
    breakerFunctionName: subject.breakerFunctionName ?? '<breaker-controller-name>',
  });
}
