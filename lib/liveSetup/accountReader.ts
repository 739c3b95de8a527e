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
import { parseSqsArn, resolveQueueUrl } from '../aws/queueReference.js';
import { listStackResources } from '../aws/stackResources.js';
import { type LiveQueue, readLiveQueue } from './liveQueue.js';
import { type LiveRuntimeConfigs, runtimeConfigsOf } from './liveRuntimeConfig.js';
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

/**
 * A queue and, when something consumes it, the mapping. A mapping's queue is read when its consumer is judged
 * (so a scan's progress counts those reads, and a queue that cannot be read spoils only its own consumer).
 */
export interface ConsumerSubject {
  readonly queue: LiveQueue | { readonly arn: string };
  readonly mapping?: EventSourceMappingConfiguration | undefined;
  /** What was not read while finding it. */
  readonly unread?: readonly string[];
}

export interface LiveFunction {
  readonly name: string;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency?: number | undefined;
  /** Its sqs-failsafe configurations, each as its runtime would read it. */
  readonly configs: LiveRuntimeConfigs;
  /** What of it could not be read. */
  readonly unread: readonly string[];
}

/** The account's read calls, each result kept for the scan (a function consuming two queues is read once). */
export class AccountReader {
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
