import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { EventSourceMappingConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { describeAwsError } from '../aws/awsCallError.js';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import {
  cloudWatchClient,
  cloudWatchCommands,
  lambdaClient,
  lambdaCommands,
  sqsClient,
  sqsCommands,
} from '../aws/awsClients.js';
import { parseSqsArn, queueNameFromUrl, resolveQueueUrl } from '../aws/queueReference.js';
import { listStackResources } from '../aws/stackResources.js';
import type {
  AlarmSetup,
  ConfigurationProblems,
  ConsumerBreakerSetup,
  ConsumerSetup,
  MappingSetup,
  RedriveSetup,
} from '../setupRules/consumerSetup.js';
import { checkConsumerSetup } from '../setupRules/setupRules.js';
import { awsFixFor } from './awsFixes.js';
import type { ExplainedFinding } from './findingText.js';
import { type LiveQueue, queueSetupOf, readLiveQueue } from './liveQueue.js';
import { type LiveRuntimeConfigs, runtimeConfigsOf, runtimeSetupOf } from './liveRuntimeConfig.js';
import { type LiveSchedule, scheduleInvoking } from './liveSchedules.js';

/**
 * What `sqs-failsafe doctor` checks: one queue (URL, ARN or name) with whatever consumes it, the SQS consumers
 * of one function, those of a deployed stack, or (none given) every SQS event source mapping in the account
 * and region.
 */
export interface LiveConsumerTarget {
  readonly queue?: string | undefined;
  readonly functionName?: string | undefined;
  readonly stack?: string | undefined;
}

export interface LiveConsumerClients {
  readonly cloudFormation?: CloudFormationClient;
  readonly sqs?: SQSClient;
  readonly lambda?: LambdaClient;
  readonly cloudWatch?: CloudWatchClient;
  /** Reads the schedules that invoke a redrive function. */
  readonly eventBridge?: EventBridgeClient;
}

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

/**
 * A queue and, when something consumes it, the mapping. A mapping's queue is read when its consumer is judged
 * (so a scan's progress counts those reads, and a queue that cannot be read spoils only its own consumer).
 */
interface ConsumerSubject {
  readonly queue: LiveQueue | { readonly arn: string };
  readonly mapping?: EventSourceMappingConfiguration | undefined;
  /** What was not read while finding it. */
  readonly unread?: readonly string[];
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
    deadLetterQueueArn: target,
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

interface LiveFunction {
  readonly name: string;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency?: number | undefined;
  /** Its sqs-failsafe configurations, each as its runtime would read it. */
  readonly configs: LiveRuntimeConfigs;
  /** What of it could not be read. */
  readonly unread: readonly string[];
}

/** The account's read calls, each result kept for the scan (a function consuming two queues is read once). */
class AccountReader {
  readonly #functions = new Map<string, Promise<LiveFunction>>();
  readonly #schedules = new Map<string, Promise<LiveSchedule | undefined>>();

  constructor(
    private readonly clients: LiveConsumerClients,
    private readonly policy: () => AwsCallPolicy,
  ) {}

  async queue(reference: string): Promise<LiveQueue> {
    const url = await resolveQueueUrl(reference, this.policy(), this.clients.sqs);
    return readLiveQueue(url, this.policy(), this.clients.sqs);
  }

  async consumersOf(target: LiveConsumerTarget): Promise<ConsumerSubject[]> {
    if (target.queue !== undefined) {
      await this.#sameRegion(target.queue);
      const queue = await this.queue(target.queue).catch(async (error: unknown) => {
        if (!/QueueDoesNotExist|NonExistentQueue/.test(describeAwsError(error).name)) throw error;
        throw new Error(
          `the queue ${target.queue} (--queue) does not exist in ${await this.#region()}: check its name, URL ` +
            'or ARN, and --region',
        );
      });
      const mappings = await this.mappings({ EventSourceArn: queue.arn });
      if (mappings.length === 0) return [{ queue, unread: await this.#notDeadLetterQueue(queue) }];
      return mappings.map((mapping) => ({ queue, mapping }));
    }
    if (target.stack !== undefined) return this.#consumersOfStack(target.stack);
    const mappings = await this.mappings({ FunctionName: target.functionName });
    const sqsMappings = mappings.filter((mapping) => parseSqsArn(mapping.EventSourceArn ?? '') !== undefined);
    if (target.functionName !== undefined && sqsMappings.length === 0) {
      await this.#functionExists(target.functionName);
      throw new Error(
        `the function ${target.functionName} is not consumed by SQS: it has no SQS event source mapping` +
          (mappings.length > 0 ? ` (its ${mappings.length} mapping(s) read other sources)` : '') +
          '. Give the queue instead (--queue), or the name of a function an SQS queue triggers.',
      );
    }
    return sqsMappings.map((mapping) => ({ queue: { arn: mapping.EventSourceArn as string }, mapping }));
  }

  /** The SQS event source mappings among a stack's resources (nested stacks are not followed). */
  async #consumersOfStack(stackName: string): Promise<ConsumerSubject[]> {
    const resources = await listStackResources(stackName, this.clients.cloudFormation).catch(
      async (error: unknown) => {
        const { name, message } = describeAwsError(error);
        if (name === 'ValidationError' && /does not exist/.test(message)) {
          throw new Error(
            `the stack ${stackName} (--stack) does not exist in ${await this.#region()}: check its name, and --region.`,
          );
        }
        throw new Error(
          `could not list the resources of the stack ${stackName} (--stack; cloudformation:ListStackResources): ` +
            `${name}: ${message}. Give --queue or --function instead, or fix what the error names.`,
        );
      },
    );
    const [lambda, { GetEventSourceMappingCommand }] = await Promise.all([
      lambdaClient(this.clients.lambda),
      lambdaCommands(),
    ]);
    const subjects: ConsumerSubject[] = [];
    for (const { type, physicalId } of resources) {
      if (type !== 'AWS::Lambda::EventSourceMapping') continue;
      const mapping = await lambda.send(new GetEventSourceMappingCommand({ UUID: physicalId }));
      if (parseSqsArn(mapping.EventSourceArn ?? '') === undefined) continue;
      subjects.push({ queue: { arn: mapping.EventSourceArn as string }, mapping });
    }
    if (subjects.length === 0) {
      throw new Error(
        `the stack ${stackName} has no SQS event source mapping (nested stacks are not followed: give their ` +
          'names, or --queue for a queue it creates).',
      );
    }
    return subjects;
  }

  /**
   * A queue nothing consumes and without a redrive policy of its own may be another queue's DLQ, given by
   * mistake: judged as a work queue it would be told to get a DLQ. Refused, naming the queue to give instead.
   * Returns what could not be read (the call denied, a server without it), when it could not tell.
   */
  async #notDeadLetterQueue(queue: LiveQueue): Promise<string[]> {
    if (queue.redrivePolicy !== undefined) return [];
    const [sqs, { ListDeadLetterSourceQueuesCommand }] = await Promise.all([
      sqsClient(this.clients.sqs),
      sqsCommands(),
    ]);
    let sources: readonly string[];
    try {
      const page = await sqs.send(
        new ListDeadLetterSourceQueuesCommand({ QueueUrl: queue.url, MaxResults: 10 }),
      );
      sources = page.queueUrls ?? [];
    } catch (error) {
      const { name, message } = describeAwsError(error);
      return [`whether it is another queue's DLQ (sqs:ListDeadLetterSourceQueues): ${name}: ${message}`];
    }
    const [source] = sources;
    if (source === undefined) return [];
    throw new Error(
      `the queue ${queue.name} (--queue) is the DLQ of ${sources.join(', ')}, and nothing consumes it: doctor ` +
        `judges a work queue with its consumer. Give --queue ${source}.`,
    );
  }

  /** The region doctor reads (its clients are all in one). */
  async #region(): Promise<string> {
    const sqs = await sqsClient(this.clients.sqs);
    return sqs.config.region();
  }

  /**
   * A function without SQS mappings may not exist at all (a typo, another region): that is said, rather than
   * that SQS does not trigger it. Any other error reading it leaves the "not consumed by SQS" sentence.
   */
  async #functionExists(name: string): Promise<void> {
    const missing = await this.function(name).then(
      () => false,
      (error: unknown) => describeAwsError(error).name === 'ResourceNotFoundException',
    );
    if (missing) {
      throw new Error(
        `there is no function ${name} (--function) in ${await this.#region()}: check its name, and --region.`,
      );
    }
  }

  /**
   * A queue URL or ARN of another region than the clients': the queue would not be found, or its consumers
   * (mappings are regional) would look absent.
   */
  async #sameRegion(reference: string): Promise<void> {
    const named = queueRegionOf(reference);
    if (named === undefined) return;
    const region = await this.#region();
    if (named === region) return;
    throw new Error(
      `the queue ${reference} is in ${named}, but doctor reads ${region}: give --region ${named} ` +
        '(event source mappings, functions and alarms are read in that region too).',
    );
  }

  /** ListEventSourceMappings, every page. */
  async mappings(filter: {
    EventSourceArn?: string;
    FunctionName?: string | undefined;
  }): Promise<EventSourceMappingConfiguration[]> {
    const [lambda, { ListEventSourceMappingsCommand }] = await Promise.all([
      lambdaClient(this.clients.lambda),
      lambdaCommands(),
    ]);
    const mappings: EventSourceMappingConfiguration[] = [];
    let marker: string | undefined;
    do {
      const page = await lambda.send(new ListEventSourceMappingsCommand({ ...filter, Marker: marker }));
      mappings.push(...(page.EventSourceMappings ?? []));
      marker = page.NextMarker;
    } while (marker !== undefined);
    return mappings;
  }

  function(name: string): Promise<LiveFunction> {
    let read = this.#functions.get(name);
    if (read === undefined) {
      read = this.#readFunction(name);
      this.#functions.set(name, read);
    }
    return read;
  }

  async #readFunction(name: string): Promise<LiveFunction> {
    const [lambda, { GetFunctionConfigurationCommand, GetFunctionConcurrencyCommand }] = await Promise.all([
      lambdaClient(this.clients.lambda),
      lambdaCommands(),
    ]);
    const configuration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const functionName = configuration.FunctionName ?? name;
    const unread: string[] = [];
    // A denied read is not "no reservation": the rule on it must say nothing, and the report say why.
    const concurrency = await lambda
      .send(new GetFunctionConcurrencyCommand({ FunctionName: name }))
      .catch((error: unknown) => {
        const { name: errorName, message } = describeAwsError(error);
        unread.push(
          `the reserved concurrency of ${functionName} (lambda:GetFunctionConcurrency): ${errorName}: ${message}`,
        );
        return undefined;
      });
    return {
      name: functionName,
      unread,
      timeoutSeconds: configuration.Timeout ?? 3,
      reservedConcurrency: concurrency?.ReservedConcurrentExecutions,
      configs: runtimeConfigsOf(functionName, configuration.Environment?.Variables ?? {}),
    };
  }

  /** The enabled EventBridge schedule that invokes a function, if one does. */
  schedule(functionArn: string): Promise<LiveSchedule | undefined> {
    let read = this.#schedules.get(functionArn);
    if (read === undefined) {
      read = scheduleInvoking(functionArn, this.clients.eventBridge);
      this.#schedules.set(functionArn, read);
    }
    return read;
  }

  /** Every metric alarm, every page; a sentence instead when they cannot be read. */
  async alarms(): Promise<MetricAlarm[] | string> {
    try {
      const [cloudWatch, { DescribeAlarmsCommand }] = await Promise.all([
        cloudWatchClient(this.clients.cloudWatch),
        cloudWatchCommands(),
      ]);
      const alarms: MetricAlarm[] = [];
      let token: string | undefined;
      do {
        const page = await cloudWatch.send(
          new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], NextToken: token }),
        );
        alarms.push(...(page.MetricAlarms ?? []));
        token = page.NextToken;
      } while (token !== undefined);
      return alarms;
    } catch (error) {
      const { name, message } = describeAwsError(error);
      return `cloudwatch:DescribeAlarms: ${name}: ${message}`;
    }
  }
}

/** The region a queue URL on AWS (`https://sqs.<region>.amazonaws.com/...`) or an ARN names; undefined otherwise. */
export function queueRegionOf(reference: string): string | undefined {
  const fromUrl = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\//.exec(reference)?.[1];
  return fromUrl ?? parseSqsArn(reference)?.region;
}
