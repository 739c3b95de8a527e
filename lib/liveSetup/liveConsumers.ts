import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { EventSourceMappingConfiguration } from '@aws-sdk/client-lambda';
import { describeAwsError } from '../aws/awsCallError.js';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import { parseSqsArn, queueNameFromUrl } from '../aws/queueReference.js';
import type {
  AlarmSetup,
  ConfigurationProblems,
  ConsumerBreakerSetup,
  ConsumerSetup,
  MappingSetup,
  RedriveSetup,
} from '../setupRules/consumerSetup.js';
import { checkConsumerSetup } from '../setupRules/setupRules.js';
import {
  AccountReader,
  type ConsumerSubject,
  type LiveConsumerClients,
  type LiveConsumerTarget,
} from './accountReader.js';
import { awsFixFor } from './awsFixes.js';
import type { ExplainedFinding } from './findingText.js';
import { type LiveQueue, queueSetupOf } from './liveQueue.js';
import { runtimeSetupOf } from './liveRuntimeConfig.js';

export type { LiveConsumerClients, LiveConsumerTarget };

/** One consumer as read from the account, with every finding of the setup rules on it. */
export interface ConsumerDiagnosis {
  readonly queueUrl: string;
  readonly queueName: string;
  /** Undefined when nothing consumes the queue. */
  readonly functionName?: string | undefined;
  readonly mappingUuid?: string | undefined;
  readonly findings: readonly ExplainedFinding[];
  /** What could not be read (a denied call, a missing resource): the rules that need it said nothing. */
  readonly unread: readonly string[];
}

/** Progress of a scan: `done` of `total` consumers read (first with 0, once the consumers are listed). */
export type ScanProgress = (done: number, total: number) => void;

/**
 * The read-only calls doctor makes, as IAM actions: the policy a person or CI role needs (docs/doctor.md).
 */
export const DOCTOR_IAM_ACTIONS = [
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ListDeadLetterSourceQueues',
  'lambda:ListEventSourceMappings',
  'lambda:GetEventSourceMapping',
  'cloudformation:ListStackResources',
  'lambda:GetFunctionConfiguration',
  'lambda:GetFunctionConcurrency',
  'cloudwatch:DescribeAlarms',
  'events:ListRuleNamesByTarget',
  'events:DescribeRule',
] as const;

/**
 * Reads the consumers the target names and applies the setup rules to each, the same rules the construct
 * applies at synth time. Only read calls are made (DOCTOR_IAM_ACTIONS). A consumer whose parts cannot all be
 * read is still checked on what was read, and says what was not.
 *
 * @example
 * const diagnoses = await diagnoseConsumers({ queue: 'orders' }, {});
 * const errors = diagnoses.flatMap((d) => d.findings).filter((f) => f.severity === 'error');
 */
export async function diagnoseConsumers(
  target: LiveConsumerTarget,
  clients: LiveConsumerClients = {},
  onProgress: ScanProgress = () => {},
): Promise<ConsumerDiagnosis[]> {
  const policy = (): AwsCallPolicy => ({ deadline: Date.now() + 30_000 });
  const reader = new AccountReader(clients, policy);
  const subjects = await reader.consumersOf(target);
  const alarms = await reader.alarms();
  const diagnoses: ConsumerDiagnosis[] = [];
  // The bar shows as soon as the consumers are known: reading each one's queue, function and companions is
  // the long part of an account scan.
  onProgress(0, subjects.length);
  for (const [index, subject] of subjects.entries()) {
    diagnoses.push(await diagnose(subject, alarms, reader));
    onProgress(index + 1, subjects.length);
  }
  return diagnoses;
}

async function diagnose(
  consumer: ConsumerSubject,
  alarms: MetricAlarm[] | string,
  reader: AccountReader,
): Promise<ConsumerDiagnosis> {
  const { mapping } = consumer;
  const unread: string[] = [...(consumer.unread ?? [])];
  const note = (what: string) => (error: unknown) => {
    const { name, message } = describeAwsError(error);
    unread.push(`${what}: ${name}: ${message}`);
    return undefined;
  };
  const queue =
    'url' in consumer.queue
      ? consumer.queue
      : await reader
          .queue(consumer.queue.arn)
          .catch(note(`the queue ${consumer.queue.arn} (sqs:GetQueueUrl, sqs:GetQueueAttributes)`));
  if (queue === undefined) return unreadQueue(consumer.queue.arn, mapping, unread);
  const target = queue.redrivePolicy?.deadLetterTargetArn;
  const deadLetterQueue =
    target === undefined
      ? undefined
      : await reader.queue(target).catch(note(`the DLQ ${target} (sqs:GetQueueAttributes)`));
  const functionName = functionNameOf(mapping);
  const fn =
    functionName === undefined
      ? undefined
      : await reader.function(functionName).catch(note(`the function ${functionName}`));
  unread.push(...(fn?.unread ?? []));
  if (typeof alarms === 'string') unread.push(`the alarms: ${alarms}`);
  const mappingSetup = mapping === undefined ? undefined : mappingSetupOf(mapping);
  const timeoutSeconds = fn?.timeoutSeconds ?? Number.NaN;
  const companions =
    typeof alarms === 'string'
      ? { configurationProblems: [] }
      : await companionsOf(alarms, { mappingUuid: mapping?.UUID, deadLetterQueue }, reader, note);
  const configurationProblems = [...(fn?.configs.refused ?? []), ...companions.configurationProblems].map(
    ({ functionName: name, variable, problems }) => ({ functionName: name, variable, problems }),
  );
  const setup: ConsumerSetup = {
    region: parseSqsArn(queue.arn)?.region,
    queue: queueSetupOf(queue),
    deadLetterQueue: deadLetterQueue === undefined ? undefined : queueSetupOf(deadLetterQueue),
    mapping: mappingSetup,
    // Without the function's timeout the rules that need it say nothing (a timeout of 0 is never compared).
    consumer: { timeoutSeconds, reservedConcurrency: fn?.reservedConcurrency },
    // Only a function running sqs-failsafe has its parts (attempts, idempotency, ...): any other consumer is
    // judged without them, on the retry horizon SQS's receive count sets.
    ...runtimeSetupOf(fn?.configs.batch, {
      queue,
      mapping: mappingSetup,
      functionTimeoutSeconds: timeoutSeconds,
    }),
    consumerBreaker: companions.consumerBreaker,
    redrive: companions.redrive,
    alarms:
      typeof alarms === 'string'
        ? undefined
        : alarmSetups(alarms, {
            queue: queue.name,
            deadLetterQueue: deadLetterQueue?.name,
            parkingQueue: companions.parkingQueue?.name,
            functionName,
          }),
    configurationProblems,
  };
  const subject = {
    queueUrl: queue.url,
    deadLetterQueueUrl: deadLetterQueue?.url,
    deadLetterQueueArn: target ?? runtimeDeadLetterQueueArn(queue.arn, setup.runtimeDeadLetterQueueName),
    functionName,
    mappingUuid: mapping?.UUID,
    parkingQueueName: companions.parkingQueue?.name,
    redriveFunctionArn: companions.redriveFunctionArn,
    breakerFunctionName: companions.breakerFunctionName,
  };
  const label = `${queue.name}${functionName === undefined ? '' : ` → ${functionName}`}`;
  return {
    queueUrl: queue.url,
    queueName: queue.name,
    functionName,
    mappingUuid: mapping?.UUID,
    findings: checkConsumerSetup(setup).map((finding) => ({
      ...finding,
      subject: label,
      awsFix: awsFixFor(finding, setup, subject),
    })),
    unread,
  };
}

/**
 * A consumer whose queue could not be read (deleted, or another account's without access): no rule can be
 * judged without the queue, so it is listed with why, and the scan goes on.
 */
function unreadQueue(
  arn: string,
  mapping: EventSourceMappingConfiguration | undefined,
  unread: readonly string[],
): ConsumerDiagnosis {
  return {
    queueUrl: '',
    queueName: parseSqsArn(arn)?.name ?? arn,
    functionName: functionNameOf(mapping),
    mappingUuid: mapping?.UUID,
    findings: [],
    unread,
  };
}

function functionNameOf(mapping: EventSourceMappingConfiguration | undefined): string | undefined {
  return mapping?.FunctionArn?.split(':')[6] ?? mapping?.FunctionArn;
}

function mappingSetupOf(mapping: EventSourceMappingConfiguration): MappingSetup {
  const pollers = mapping.ProvisionedPollerConfig;
  return {
    batchSize: mapping.BatchSize ?? 10,
    maxBatchingWindowSeconds: mapping.MaximumBatchingWindowInSeconds ?? 0,
    maxConcurrency: mapping.ScalingConfig?.MaximumConcurrency,
    provisionedPollers:
      pollers === undefined
        ? undefined
        : { minimum: pollers.MinimumPollers ?? 1, maximum: pollers.MaximumPollers ?? 200 },
    reportBatchItemFailures: (mapping.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
    filterPatterns: (mapping.FilterCriteria?.Filters ?? []).flatMap((filter) =>
      filter.Pattern === undefined ? [] : [filter.Pattern],
    ),
  };
}

/**
 * The alarms that watch the work queue, its DLQ, the parking queue or the function, by the dimensions of their
 * metrics (a metric-math alarm counts when any of its metrics has them).
 */
function alarmSetups(
  alarms: readonly MetricAlarm[],
  names: {
    readonly queue: string;
    readonly deadLetterQueue: string | undefined;
    readonly parkingQueue: string | undefined;
    readonly functionName: string | undefined;
  },
): AlarmSetup[] {
  const setups: AlarmSetup[] = [];
  for (const alarm of alarms) {
    const dimensions = [
      ...(alarm.Dimensions ?? []),
      ...(alarm.Metrics ?? []).flatMap((metric) => metric.MetricStat?.Metric?.Dimensions ?? []),
    ];
    const has = (name: string, value: string | undefined) =>
      value !== undefined &&
      dimensions.some((dimension) => dimension.Name === name && dimension.Value === value);
    const watches = has('QueueName', names.deadLetterQueue)
      ? 'dead-letter-queue'
      : has('QueueName', names.parkingQueue)
        ? 'parking-queue'
        : has('QueueName', names.queue)
          ? 'work-queue'
          : has('FunctionName', names.functionName)
            ? 'consumer'
            : undefined;
    if (watches === undefined) continue;
    setups.push({ name: alarm.AlarmName ?? '-', watches, alarmActionArns: alarm.AlarmActions ?? [] });
  }
  return setups;
}

/** The sqs-failsafe functions that act on a consumer, found among the alarms' Lambda actions. */
interface Companions {
  readonly consumerBreaker?: ConsumerBreakerSetup | undefined;
  readonly breakerFunctionName?: string | undefined;
  readonly redrive?: RedriveSetup | undefined;
  readonly redriveFunctionArn?: string | undefined;
  readonly parkingQueue?: LiveQueue | undefined;
  readonly configurationProblems: readonly ConfigurationProblems[];
}

/**
 * The consumer's breaker controller and redrive function: the construct makes them the actions of the
 * consumer's alarms, so they are the functions among the alarms' actions whose configuration names this
 * mapping (SQS_FAILSAFE_BREAKER_CONFIG's mappingUuid) or this DLQ (SQS_FAILSAFE_REDRIVE_CONFIG's dlqUrl).
 * A configuration of theirs the runtime would refuse is reported when it still names this consumer.
 */
async function companionsOf(
  alarms: readonly MetricAlarm[],
  consumer: { readonly mappingUuid: string | undefined; readonly deadLetterQueue: LiveQueue | undefined },
  reader: AccountReader,
  note: (what: string) => (error: unknown) => undefined,
): Promise<Companions> {
  const actionArns = new Set(
    alarms
      .flatMap((alarm) => [...(alarm.AlarmActions ?? []), ...(alarm.OKActions ?? [])])
      .filter((arn) => arn.split(':')[2] === 'lambda'),
  );
  const ours = {
    breaker: (uuid: unknown) => consumer.mappingUuid !== undefined && uuid === consumer.mappingUuid,
    redrive: (url: unknown) =>
      consumer.deadLetterQueue !== undefined &&
      typeof url === 'string' &&
      queueNameFromUrl(url) === consumer.deadLetterQueue.name,
  };
  let found: Omit<Companions, 'configurationProblems'> = {};
  const configurationProblems: ConfigurationProblems[] = [];
  for (const arn of actionArns) {
    const fn = await reader.function(arn).catch(() => undefined);
    if (fn === undefined) continue;
    const { breaker, redrive, refused } = fn.configs;
    for (const problem of refused) {
      const json = problem.json as { mappingUuid?: unknown; dlqUrl?: unknown } | undefined;
      if (ours.breaker(json?.mappingUuid) || ours.redrive(json?.dlqUrl)) configurationProblems.push(problem);
    }
    if (breaker !== undefined && ours.breaker(breaker.mappingUuid)) {
      found = {
        ...found,
        breakerFunctionName: fn.name,
        consumerBreaker: { cooldownSeconds: breaker.coolDownSeconds, probeSeconds: breaker.probeSeconds },
      };
    }
    if (redrive !== undefined && ours.redrive(redrive.dlqUrl)) {
      const parkingQueue =
        redrive.parkingQueueUrl === undefined
          ? undefined
          : await reader
              .queue(redrive.parkingQueueUrl)
              .catch(note(`the parking queue ${redrive.parkingQueueUrl} (sqs:GetQueueAttributes)`));
      const schedule = await reader
        .schedule(arn)
        .then(
          (read) => ({ read }),
          note(`the schedules that invoke ${fn.name} (events:ListRuleNamesByTarget, events:DescribeRule)`),
        );
      found = {
        ...found,
        redriveFunctionArn: arn,
        parkingQueue,
        redrive: {
          cooldownSeconds: redrive.cooldownSeconds,
          // Not read: unknown (NaN), so the rule on it says nothing; a cron schedule has no fixed period.
          recheckSeconds:
            schedule === undefined
              ? Number.NaN
              : schedule.read === undefined
                ? undefined
                : (schedule.read.everySeconds ?? Number.NaN),
          parkingQueue:
            redrive.parkingQueueUrl === undefined
              ? undefined
              : parkingQueue === undefined
                ? {
                    name: queueNameFromUrl(redrive.parkingQueueUrl),
                    fifo: false,
                    retentionSeconds: Number.NaN,
                  }
                : queueSetupOf(parkingQueue),
        },
      };
    }
  }
  return { ...found, configurationProblems };
}

/**
 * The ARN of the queue the runtime dead-letters to, known by name only: a DLQ is in its source queue's
 * account and region (docs/aws-semantics.md#queues-and-consumers-share-a-region), so it is the work queue's ARN with that name.
 */
function runtimeDeadLetterQueueArn(queueArn: string, name: string | undefined): string | undefined {
  if (name === undefined || queueArn === '') return undefined;
  return queueArn.replace(/[^:]+$/, name);
}
