import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import type { FailsafeConsumerProps } from '../../infra/consumer/failsafeConsumerProps.js';
import { BATCH_CONFIG_ENV_VAR, type BatchConfig } from '../../lib/config/batchConfig.js';
import { REDRIVE_CONFIG_ENV_VAR, type RedriveConfig } from '../../lib/config/redriveConfig.js';
import {
  CONSUMER_BREAKER_CONFIG_ENV_VAR,
  type ResolvedConsumerBreakerConfig,
  resolveConsumerBreakerConfig,
} from '../../lib/consumerBreaker/index.js';
import { type IntrinsicScope, resolveIntrinsics } from '../../local/assembly/resolveIntrinsics.js';
import type { QueueSettings } from './aws/modelQueue.js';

/**
 * What the model runs: the FailsafeConsumer construct, synthesized, with every reference resolved to the
 * model's names. The queues get the template's settings (visibility, retention, delay, redrive policy),
 * the consumer the template's timeout, batch size and SQS_FAILSAFE_CONFIG, the breaker controller and the
 * redrive function their configuration variables. So the model tests the product as the construct deploys
 * it, and a change of a construct default reaches the model by itself.
 */
export interface Deployment {
  readonly name: string;
  readonly props: FailsafeConsumerProps;
  readonly source: QueueSettings;
  readonly deadLetterQueue: QueueSettings;
  readonly topicArn: string;
  readonly consumer: {
    readonly functionName: string;
    readonly timeoutSeconds: number;
    readonly batchSize: number;
    readonly maximumConcurrency: number | undefined;
    /** SQS_FAILSAFE_CONFIG as the construct writes it, references resolved. */
    readonly configJson: string;
    readonly config: BatchConfig;
  };
  readonly mappingUuid: string;
  readonly breaker:
    | {
        readonly config: ResolvedConsumerBreakerConfig;
        readonly timeoutSeconds: number;
        readonly reservedConcurrency: number | undefined;
      }
    | undefined;
  readonly redrive:
    | {
        readonly config: RedriveConfig;
        readonly timeoutSeconds: number;
        readonly reservedConcurrency: number | undefined;
        readonly functionArn: string;
      }
    | undefined;
}

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const MAPPING_UUID = '0f2c9a64-5b1e-4c7d-9a33-7e1d2b6c8f01';

export function deploy(name: string, props: FailsafeConsumerProps): Deployment {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Model', { env: { account: ACCOUNT, region: REGION } });
  new FailsafeConsumer(stack, 'Consumer', props);
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
  const scope = intrinsicScope(resources);
  const resolved = (value: unknown) => resolveIntrinsics(value, scope) as Record<string, unknown>;

  const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
  const [, mapping] = only(ofType('AWS::Lambda::EventSourceMapping'), 'event source mapping');
  const mappingProps = resolved(mapping.Properties);
  const sourceArn = mappingProps.EventSourceArn as string;
  const queues = ofType('AWS::SQS::Queue').map(([id, resource]) =>
    queueSettings(id, resolved(resource.Properties), scope),
  );
  const source = only(
    queues.map((queue) => [queue.arn, queue] as const).filter(([arn]) => arn === sourceArn),
    'source queue',
  )[1];
  const deadLetterArn = source.redrivePolicy?.deadLetterTargetArn;
  const deadLetterQueue = only(
    queues.map((queue) => [queue.arn, queue] as const).filter(([arn]) => arn === deadLetterArn),
    'DLQ',
  )[1];

  const functions = ofType('AWS::Lambda::Function').map(([id, resource]) => {
    const properties = resolved(resource.Properties);
    const variables =
      (properties.Environment as { Variables?: Record<string, string> } | undefined)?.Variables ?? {};
    const reserved = properties.ReservedConcurrentExecutions;
    return {
      id,
      name: scope.ref(id) as string,
      timeoutSeconds: Number(properties.Timeout ?? 3),
      reservedConcurrency: reserved === undefined ? undefined : Number(reserved),
      variables,
    };
  });
  const withVariable = (variable: string) => functions.find((fn) => fn.variables[variable] !== undefined);
  const consumerFunction = withVariable(BATCH_CONFIG_ENV_VAR);
  if (consumerFunction === undefined) throw new Error('the template has no consumer function');
  const configJson = consumerFunction.variables[BATCH_CONFIG_ENV_VAR] as string;
  const breakerFunction = withVariable(CONSUMER_BREAKER_CONFIG_ENV_VAR);
  const redriveFunction = withVariable(REDRIVE_CONFIG_ENV_VAR);
  const scaling = mappingProps.ScalingConfig as { MaximumConcurrency?: number } | undefined;

  return {
    name,
    props,
    source,
    deadLetterQueue,
    topicArn: scope.ref(only(ofType('AWS::SNS::Topic'), 'topic')[0]) as string,
    consumer: {
      functionName: consumerFunction.name,
      timeoutSeconds: consumerFunction.timeoutSeconds,
      batchSize: Number(mappingProps.BatchSize ?? 10),
      maximumConcurrency: scaling?.MaximumConcurrency,
      configJson,
      config: JSON.parse(configJson) as BatchConfig,
    },
    mappingUuid: MAPPING_UUID,
    breaker:
      breakerFunction === undefined
        ? undefined
        : {
            config: resolveConsumerBreakerConfig(
              JSON.parse(breakerFunction.variables[CONSUMER_BREAKER_CONFIG_ENV_VAR] as string),
            ),
            timeoutSeconds: breakerFunction.timeoutSeconds,
            reservedConcurrency: breakerFunction.reservedConcurrency,
          },
    redrive:
      redriveFunction === undefined
        ? undefined
        : {
            config: JSON.parse(redriveFunction.variables[REDRIVE_CONFIG_ENV_VAR] as string) as RedriveConfig,
            timeoutSeconds: redriveFunction.timeoutSeconds,
            reservedConcurrency: redriveFunction.reservedConcurrency,
            functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${redriveFunction.name}`,
          },
  };
}

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

function only<T>(items: readonly T[], what: string): T {
  if (items.length !== 1) throw new Error(`expected one ${what} in the template, found ${items.length}`);
  return items[0] as T;
}

function queueSettings(
  id: string,
  properties: Record<string, unknown>,
  scope: IntrinsicScope,
): QueueSettings {
  const name = scope.getAtt(id, 'QueueName') as string;
  const redrive = properties.RedrivePolicy as
    | { deadLetterTargetArn: string; maxReceiveCount: number }
    | undefined;
  return {
    name,
    url: scope.ref(id) as string,
    arn: scope.getAtt(id, 'Arn') as string,
    fifo: properties.FifoQueue === true,
    visibilityTimeoutSeconds: Number(properties.VisibilityTimeout ?? 30),
    retentionSeconds: Number(properties.MessageRetentionPeriod ?? 345_600),
    delaySeconds: Number(properties.DelaySeconds ?? 0),
    ...(redrive === undefined
      ? {}
      : {
          redrivePolicy: {
            deadLetterTargetArn: redrive.deadLetterTargetArn,
            maxReceiveCount: Number(redrive.maxReceiveCount),
          },
        }),
  };
}

/** Names for every resource the way AWS forms them: queue URLs and ARNs, topic ARN, function names. */
function intrinsicScope(resources: Record<string, Resource>): IntrinsicScope {
  const queueName = (id: string) => {
    const properties = resources[id]?.Properties ?? {};
    const fifo = properties.FifoQueue === true;
    return typeof properties.QueueName === 'string' ? properties.QueueName : `${id}${fifo ? '.fifo' : ''}`;
  };
  const functionName = (id: string) => {
    const name = resources[id]?.Properties?.FunctionName;
    return typeof name === 'string' ? name : id;
  };
  return {
    pseudo: {
      'AWS::Partition': 'aws',
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'Model',
    },
    ref(id) {
      switch (resources[id]?.Type) {
        case 'AWS::SQS::Queue':
          return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queueName(id)}`;
        case 'AWS::SNS::Topic':
          return `arn:aws:sns:${REGION}:${ACCOUNT}:${id}`;
        case 'AWS::Lambda::Function':
          return functionName(id);
        case 'AWS::Lambda::EventSourceMapping':
          return MAPPING_UUID;
        case 'AWS::CloudWatch::Alarm':
        case 'AWS::CloudWatch::CompositeAlarm':
          return String(resources[id]?.Properties?.AlarmName ?? id);
        default:
          return id;
      }
    },
    getAtt(id, attribute) {
      switch (`${resources[id]?.Type}.${attribute}`) {
        case 'AWS::SQS::Queue.Arn':
          return `arn:aws:sqs:${REGION}:${ACCOUNT}:${queueName(id)}`;
        case 'AWS::SQS::Queue.QueueName':
          return queueName(id);
        case 'AWS::SQS::Queue.QueueUrl':
          return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queueName(id)}`;
        case 'AWS::SNS::Topic.TopicArn':
          return `arn:aws:sns:${REGION}:${ACCOUNT}:${id}`;
        case 'AWS::Lambda::Function.Arn':
          return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName(id)}`;
        default:
          return `${id}.${attribute}`;
      }
    },
  };
}
