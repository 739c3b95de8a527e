import { randomUUID } from 'node:crypto';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  type Projection,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { parseScheduleExpression } from '../../lib/aws/scheduleExpression.js';
import { MetricMathError, parseMetricMath } from '../alarms/metricMath.js';
import {
  type IntrinsicScope,
  resolveIntrinsics,
  resolveString,
  UnresolvedReference,
} from '../assembly/resolveIntrinsics.js';
import type { StackTemplate, TemplateResource } from '../assembly/stackTemplates.js';
import { alarmArn, functionArn, LOCAL_ACCOUNT_ID, physicalName, tableArn } from './localNames.js';
import type {
  AlarmBaseSpec,
  AlarmSpec,
  CompositeAlarmSpec,
  EventSourceMappingSpec,
  FunctionSpec,
  LocalQueue,
  LocalResources,
  LocalTable,
  LocalTopic,
  MetricQuerySpec,
  MetricStatSpec,
  ScheduleSpec,
} from './localResources.js';

export class ProvisioningError extends Error {
  override name = 'ProvisioningError';
}

/** Queue attributes the SQS API takes as they are named in the template. */
const QUEUE_ATTRIBUTES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'FifoQueue',
  'ContentBasedDeduplication',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
] as const;

const SILENT_TYPES = new Set(['AWS::CDK::Metadata']);

interface Physical {
  readonly ref: string;
  readonly attributes: Record<string, string>;
}

/**
 * Creates on the local server what the templates declare (queues with their redrive policies, topics,
 * subscriptions) and resolves what it runs itself (functions, event source mappings, alarms, schedules),
 * with every reference turned into the local URL or ARN.
 */
export async function provisionAssembly(
  stacks: readonly StackTemplate[],
  clients: { sqs: SQSClient; sns: SNSClient; dynamodb?: DynamoDBClient },
  region: string,
): Promise<LocalResources> {
  const queues = new Map<string, LocalQueue>();
  const tables = new Map<string, LocalTable>();
  const topics = new Map<string, LocalTopic>();
  const functions = new Map<string, FunctionSpec>();
  const mappings: EventSourceMappingSpec[] = [];
  const lambdaSubscriptions: { topicArn: string; functionName: string }[] = [];
  const alarms: AlarmSpec[] = [];
  const compositeAlarms: CompositeAlarmSpec[] = [];
  const schedules: ScheduleSpec[] = [];
  const notEmulated = new Map<string, number>();
  const outputs: Record<string, string> = {};
  const skip = (type: string) => notEmulated.set(type, (notEmulated.get(type) ?? 0) + 1);

  for (const stack of stacks) {
    const physical = new Map<string, Physical>();
    const scope = scopeFor(stack, physical, region);
    registerDeterministicNames(stack, physical, region);
    const all = Object.entries(stack.resources);
    const ofType = (type: string) => all.filter(([, resource]) => resource.Type === type);

    await createInDependencyOrder(
      [...ofType('AWS::SQS::Queue'), ...ofType('AWS::SNS::Topic')],
      async ([logicalId, resource]) => {
        if (resource.Type === 'AWS::SQS::Queue') {
          const queue = await createQueue(clients.sqs, stack, logicalId, resource, scope);
          queues.set(logicalId, queue);
          physical.set(logicalId, {
            ref: queue.url,
            attributes: { Arn: queue.arn, QueueName: queue.name, QueueUrl: queue.url },
          });
        } else {
          const topic = await createTopic(clients.sns, stack, logicalId, resource, scope);
          topics.set(logicalId, topic);
          physical.set(logicalId, {
            ref: topic.arn,
            attributes: { TopicArn: topic.arn, TopicName: topic.name },
          });
        }
      },
    );

    for (const [logicalId, resource] of ofType('AWS::DynamoDB::Table')) {
      if (clients.dynamodb === undefined) {
        skip('AWS::DynamoDB::Table (no local DynamoDB)');
        continue;
      }
      const table = await createTable(clients.dynamodb, logicalId, resource, scope, physical);
      tables.set(logicalId, table);
    }

    for (const [logicalId, resource] of all) {
      const properties = resource.Properties ?? {};
      switch (resource.Type) {
        case 'AWS::SQS::Queue':
        case 'AWS::SNS::Topic':
        case 'AWS::DynamoDB::Table':
          break;
        case 'AWS::SNS::Subscription': {
          const protocol = String(properties.Protocol);
          const topicArn = resolveString(properties.TopicArn, scope);
          const endpoint = resolveString(properties.Endpoint, scope);
          if (protocol === 'sqs') await subscribeQueue(clients.sns, topicArn, endpoint, properties);
          else if (protocol === 'lambda')
            lambdaSubscriptions.push({ topicArn, functionName: endpoint.split(':').at(-1) ?? endpoint });
          else skip(`AWS::SNS::Subscription (${protocol})`);
          break;
        }
        case 'AWS::Lambda::Function': {
          const spec = functionSpec(stack, logicalId, resource, scope, physical);
          if (spec === undefined) skip('AWS::Lambda::Function (not a bundled Node.js asset)');
          else functions.set(logicalId, spec);
          break;
        }
        case 'AWS::Lambda::EventSourceMapping': {
          const mapping = mappingSpec(logicalId, resource, scope, queues, physical);
          if (mapping === undefined) skip('AWS::Lambda::EventSourceMapping (source is not an SQS queue)');
          else mappings.push(mapping);
          // Filtering is not emulated: said once per mapping, since every message then reaches the function,
          // where Lambda would delete the ones that do not match (docs/aws-semantics.md#event-filtering-deletes).
          if (mapping !== undefined && hasFilters(properties.FilterCriteria))
            skip('AWS::Lambda::EventSourceMapping FilterCriteria (every message reaches the function)');
          break;
        }
        case 'AWS::CloudWatch::Alarm': {
          const alarm = alarmSpec(stack, logicalId, resource, scope, region);
          const unsupported = unsupportedMetricMath(alarm);
          if (unsupported === undefined) alarms.push(alarm);
          else skip(`AWS::CloudWatch::Alarm (metric math: ${unsupported})`);
          break;
        }
        case 'AWS::CloudWatch::CompositeAlarm': {
          compositeAlarms.push(compositeAlarmSpec(stack, logicalId, resource, scope, region));
          break;
        }
        case 'AWS::Events::Rule': {
          const schedule = scheduleSpec(stack.stackName, logicalId, resource, scope);
          if (schedule === undefined) skip('AWS::Events::Rule (event pattern or cron)');
          else schedules.push(schedule);
          break;
        }
        default:
          if (!SILENT_TYPES.has(resource.Type)) skip(resource.Type);
      }
    }
    for (const [name, output] of Object.entries(stack.outputs)) {
      outputs[`${stack.stackName}.${name}`] = resolveString(output.Value, scope);
    }
  }
  return {
    region,
    queues,
    topics,
    tables,
    functions,
    mappings,
    lambdaSubscriptions,
    alarms,
    compositeAlarms,
    schedules,
    notEmulated,
    outputs,
  };
}

function scopeFor(stack: StackTemplate, physical: Map<string, Physical>, region: string): IntrinsicScope {
  return {
    ref: (id) => physical.get(id)?.ref,
    getAtt: (id, attribute) => physical.get(id)?.attributes[attribute],
    pseudo: {
      'AWS::Region': region,
      'AWS::AccountId': LOCAL_ACCOUNT_ID,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stack.stackName,
      'AWS::StackId': `arn:aws:cloudformation:${region}:${LOCAL_ACCOUNT_ID}:stack/${stack.stackName}/local`,
      'AWS::NoValue': '',
    },
  };
}

/** Names the runtime chooses itself, known before anything is created, so references to them resolve. */
function registerDeterministicNames(
  stack: StackTemplate,
  physical: Map<string, Physical>,
  region: string,
): void {
  for (const [logicalId, resource] of Object.entries(stack.resources)) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::Lambda::Function') {
      const name =
        typeof properties.FunctionName === 'string'
          ? properties.FunctionName
          : physicalName(stack.stackName, logicalId, false, 64);
      physical.set(logicalId, { ref: name, attributes: { Arn: functionArn(region, name) } });
    } else if (
      resource.Type === 'AWS::CloudWatch::Alarm' ||
      resource.Type === 'AWS::CloudWatch::CompositeAlarm'
    ) {
      const name =
        typeof properties.AlarmName === 'string'
          ? properties.AlarmName
          : physicalName(stack.stackName, logicalId, false, 255);
      physical.set(logicalId, { ref: name, attributes: { Arn: alarmArn(region, name) } });
    } else if (resource.Type === 'AWS::DynamoDB::Table') {
      const name =
        typeof properties.TableName === 'string'
          ? properties.TableName
          : physicalName(stack.stackName, logicalId, false, 255);
      physical.set(logicalId, {
        ref: name,
        attributes: { Arn: tableArn(region, name), StreamArn: `${tableArn(region, name)}/stream/local` },
      });
    } else if (resource.Type === 'AWS::Lambda::EventSourceMapping') {
      physical.set(logicalId, { ref: randomUUID(), attributes: {} });
    } else if (resource.Type !== 'AWS::SQS::Queue' && resource.Type !== 'AWS::SNS::Topic') {
      // Not emulated, but may be referenced (a KMS key, a role): a stable placeholder keeps references resolvable.
      const name = physicalName(stack.stackName, logicalId, false, 255);
      physical.set(logicalId, {
        ref: name,
        attributes: new Proxy({} as Record<string, string>, {
          get: (_, attribute) => `${name}.${String(attribute)}`,
        }),
      });
    }
  }
}

async function createInDependencyOrder<T>(items: T[], create: (item: T) => Promise<void>): Promise<void> {
  let pending = items;
  while (pending.length > 0) {
    const waiting: T[] = [];
    let lastMissing: UnresolvedReference | undefined;
    for (const item of pending) {
      try {
        await create(item);
      } catch (error) {
        if (!(error instanceof UnresolvedReference)) throw error;
        lastMissing = error;
        waiting.push(item);
      }
    }
    if (waiting.length === pending.length) {
      throw new ProvisioningError(
        `Cannot create queues and topics: ${lastMissing?.message} (a cycle, or a reference to a resource type not emulated)`,
      );
    }
    pending = waiting;
  }
}

async function createQueue(
  sqs: SQSClient,
  stack: StackTemplate,
  logicalId: string,
  resource: TemplateResource,
  scope: IntrinsicScope,
): Promise<LocalQueue> {
  const properties = resolveIntrinsics(resource.Properties ?? {}, scope) as Record<string, unknown>;
  const fifo = properties.FifoQueue === true || properties.FifoQueue === 'true';
  const name =
    typeof properties.QueueName === 'string'
      ? properties.QueueName
      : physicalName(stack.stackName, logicalId, fifo);
  const attributes: Record<string, string> = {};
  for (const key of QUEUE_ATTRIBUTES) {
    if (properties[key] !== undefined) attributes[key] = String(properties[key]);
  }
  if (properties.RedrivePolicy !== undefined) {
    const policy = properties.RedrivePolicy as { deadLetterTargetArn: string; maxReceiveCount: number };
    attributes.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: policy.deadLetterTargetArn,
      maxReceiveCount: Number(policy.maxReceiveCount),
    });
  }
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { logicalId, name, url: QueueUrl as string, arn: Attributes?.QueueArn as string, fifo, attributes };
}

/** A table as the template declares it: keys and indexes; billing and TTL do not matter locally. */
async function createTable(
  dynamodb: DynamoDBClient,
  logicalId: string,
  resource: TemplateResource,
  scope: IntrinsicScope,
  physical: Map<string, Physical>,
): Promise<LocalTable> {
  const properties = resolveIntrinsics(resource.Properties ?? {}, scope) as Record<string, unknown>;
  const self = physical.get(logicalId) as Physical;
  const indexes = (properties.GlobalSecondaryIndexes as Record<string, unknown>[] | undefined)?.map(
    (index) => ({
      IndexName: String(index.IndexName),
      KeySchema: index.KeySchema as KeySchemaElement[],
      Projection: index.Projection as Projection,
    }),
  );
  await dynamodb.send(
    new CreateTableCommand({
      TableName: self.ref,
      AttributeDefinitions: properties.AttributeDefinitions as AttributeDefinition[],
      KeySchema: properties.KeySchema as KeySchemaElement[],
      BillingMode: 'PAY_PER_REQUEST',
      ...(indexes === undefined ? {} : { GlobalSecondaryIndexes: indexes }),
    }),
  );
  return { logicalId, name: self.ref, arn: self.attributes.Arn as string };
}

async function createTopic(
  sns: SNSClient,
  stack: StackTemplate,
  logicalId: string,
  resource: TemplateResource,
  scope: IntrinsicScope,
): Promise<LocalTopic> {
  const properties = resolveIntrinsics(resource.Properties ?? {}, scope) as Record<string, unknown>;
  const fifo = properties.FifoTopic === true || properties.FifoTopic === 'true';
  const name =
    typeof properties.TopicName === 'string'
      ? properties.TopicName
      : physicalName(stack.stackName, logicalId, fifo, 256);
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({ Name: name, ...(fifo ? { Attributes: { FifoTopic: 'true' } } : {}) }),
  );
  return { logicalId, name, arn: TopicArn as string };
}

async function subscribeQueue(
  sns: SNSClient,
  topicArn: string,
  queueArn: string,
  properties: Record<string, unknown>,
) {
  const attributes: Record<string, string> = {};
  if (properties.RawMessageDelivery !== undefined)
    attributes.RawMessageDelivery = String(properties.RawMessageDelivery);
  if (properties.FilterPolicy !== undefined)
    attributes.FilterPolicy = JSON.stringify(properties.FilterPolicy);
  if (properties.FilterPolicyScope !== undefined)
    attributes.FilterPolicyScope = String(properties.FilterPolicyScope);
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: attributes }),
  );
}

function functionSpec(
  stack: StackTemplate,
  logicalId: string,
  resource: TemplateResource,
  scope: IntrinsicScope,
  physical: Map<string, Physical>,
): FunctionSpec | undefined {
  const properties = resource.Properties ?? {};
  const runtime = String(properties.Runtime ?? '');
  const code = properties.Code as { S3Key?: unknown } | undefined;
  if (!runtime.startsWith('nodejs') || code?.S3Key === undefined) return undefined;
  const codeDirectory = stack.assetPathByKey.get(resolveString(code.S3Key, scope));
  if (codeDirectory === undefined) return undefined;
  const variables =
    (properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const self = physical.get(logicalId) as Physical;
  return {
    logicalId,
    name: self.ref,
    arn: self.attributes.Arn as string,
    handler: String(properties.Handler ?? 'index.handler'),
    codeDirectory,
    environment: Object.fromEntries(
      Object.entries(variables).map(([key, value]) => [key, resolveString(value, scope)]),
    ),
    timeoutSeconds: Number(properties.Timeout ?? 3),
    memoryMb: Number(properties.MemorySize ?? 128),
    runtime,
    reservedConcurrency:
      properties.ReservedConcurrentExecutions === undefined
        ? undefined
        : Number(properties.ReservedConcurrentExecutions),
  };
}

function hasFilters(criteria: unknown): boolean {
  const filters = (criteria as { Filters?: unknown } | undefined)?.Filters;
  return Array.isArray(filters) && filters.length > 0;
}

function mappingSpec(
  logicalId: string,
  resource: TemplateResource,
  scope: IntrinsicScope,
  queues: Map<string, LocalQueue>,
  physical: Map<string, Physical>,
): EventSourceMappingSpec | undefined {
  const properties = resolveIntrinsics(resource.Properties ?? {}, scope) as Record<string, unknown>;
  const queue = [...queues.values()].find((candidate) => candidate.arn === properties.EventSourceArn);
  if (queue === undefined) return undefined;
  const scaling = properties.ScalingConfig as { MaximumConcurrency?: number } | undefined;
  const functionName = String(properties.FunctionName);
  return {
    logicalId,
    uuid: physical.get(logicalId)?.ref ?? randomUUID(),
    functionName: functionName.includes(':') ? (functionName.split(':').at(-1) as string) : functionName,
    queue,
    batchSize: Number(properties.BatchSize ?? 10),
    batchingWindowSeconds: Number(properties.MaximumBatchingWindowInSeconds ?? 0),
    maximumConcurrency:
      scaling?.MaximumConcurrency === undefined ? undefined : Number(scaling.MaximumConcurrency),
    reportBatchItemFailures: ((properties.FunctionResponseTypes as string[] | undefined) ?? []).includes(
      'ReportBatchItemFailures',
    ),
    enabled: properties.Enabled !== false && properties.Enabled !== 'false',
  };
}

function alarmSpec(
  stack: StackTemplate,
  logicalId: string,
  resource: TemplateResource,
  scope: IntrinsicScope,
  region: string,
): AlarmSpec {
  const properties = resolveIntrinsics(resource.Properties ?? {}, scope) as Record<string, unknown>;
  const evaluationPeriods = Number(properties.EvaluationPeriods ?? 1);
  const metrics = ((properties.Metrics as Record<string, unknown>[] | undefined) ?? []).map(metricQuerySpec);
  const metric =
    metrics.length > 0
      ? undefined
      : metricStatSpec({
          Metric: {
            Namespace: properties.Namespace,
            MetricName: properties.MetricName,
            Dimensions: properties.Dimensions,
          },
          Stat: properties.Statistic ?? properties.ExtendedStatistic,
          Period: properties.Period,
        });
  return {
    ...alarmBaseSpec(stack, logicalId, properties, region),
    kind: 'metric',
    metric,
    metrics,
    // A metric-math alarm has no Period of its own: its metrics' period is the alarm's.
    periodSeconds:
      metric?.periodSeconds ?? metrics.find((query) => query.metricStat)?.metricStat?.periodSeconds ?? 60,
    evaluationPeriods,
    datapointsToAlarm: Number(properties.DatapointsToAlarm ?? evaluationPeriods),
    threshold: Number(properties.Threshold ?? 0),
    comparisonOperator: String(properties.ComparisonOperator),
    treatMissingData: String(properties.TreatMissingData ?? 'missing'),
  };
}

/** Why the local evaluator cannot follow a metric-math alarm, or undefined when it can. */
function unsupportedMetricMath(alarm: AlarmSpec): string | undefined {
  for (const query of alarm.metrics) {
    if (query.expression === undefined) continue;
    try {
      parseMetricMath(query.expression);
    } catch (error) {
      return error instanceof MetricMathError ? error.message : String(error);
    }
  }
  return undefined;
}

function metricQuerySpec(query: Record<string, unknown>): MetricQuerySpec {
  return {
    id: String(query.Id),
    label: typeof query.Label === 'string' ? query.Label : undefined,
    metricStat:
      query.MetricStat === undefined
        ? undefined
        : metricStatSpec(query.MetricStat as Record<string, unknown>),
    expression: typeof query.Expression === 'string' ? query.Expression : undefined,
    returnData: query.ReturnData !== false && query.ReturnData !== 'false',
  };
}

function metricStatSpec(stat: Record<string, unknown>): MetricStatSpec {
  const metric = (stat.Metric ?? {}) as Record<string, unknown>;
  return {
    namespace: String(metric.Namespace),
    metricName: String(metric.MetricName),
    dimensions: ((metric.Dimensions as { Name: string; Value: string }[] | undefined) ?? []).map(
      ({ Name, Value }) => ({ name: Name, value: String(Value) }),
    ),
    statistic: String(stat.Stat ?? 'Average'),
    periodSeconds: Number(stat.Period ?? 60),
  };
}

function compositeAlarmSpec(
  stack: StackTemplate,
  logicalId: string,
  resource: TemplateResource,
  scope: IntrinsicScope,
  region: string,
): CompositeAlarmSpec {
  const properties = resolveIntrinsics(resource.Properties ?? {}, scope) as Record<string, unknown>;
  return {
    ...alarmBaseSpec(stack, logicalId, properties, region),
    kind: 'composite',
    rule: String(properties.AlarmRule ?? ''),
  };
}

function alarmBaseSpec(
  stack: StackTemplate,
  logicalId: string,
  properties: Record<string, unknown>,
  region: string,
): AlarmBaseSpec {
  const name =
    typeof properties.AlarmName === 'string'
      ? properties.AlarmName
      : physicalName(stack.stackName, logicalId, false, 255);
  const list = (value: unknown) => ((value as unknown[] | undefined) ?? []).map(String);
  return {
    logicalId,
    name,
    arn: alarmArn(region, name),
    alarmActions: list(properties.AlarmActions),
    okActions: list(properties.OKActions),
    insufficientDataActions: list(properties.InsufficientDataActions),
    description: typeof properties.AlarmDescription === 'string' ? properties.AlarmDescription : undefined,
  };
}

function scheduleSpec(
  stackName: string,
  logicalId: string,
  resource: TemplateResource,
  scope: IntrinsicScope,
): ScheduleSpec | undefined {
  const properties = resolveIntrinsics(resource.Properties ?? {}, scope) as Record<string, unknown>;
  if (properties.State === 'DISABLED' || typeof properties.ScheduleExpression !== 'string') return undefined;
  const everySeconds = parseScheduleExpression(properties.ScheduleExpression);
  if (everySeconds === undefined) return undefined;
  const targets = ((properties.Targets as { Arn: string; Input?: string }[] | undefined) ?? []).map(
    (target) => ({
      arn: String(target.Arn),
      input: target.Input === undefined ? undefined : String(target.Input),
    }),
  );
  const name =
    typeof properties.Name === 'string' ? properties.Name : physicalName(stackName, logicalId, false, 64);
  return { logicalId, name, expression: properties.ScheduleExpression, everySeconds, targets };
}
