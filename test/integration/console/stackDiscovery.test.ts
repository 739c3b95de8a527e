import {
  CloudFormationClient,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetEventSourceMappingCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupConsumers } from '../../../cli/console/consumers/consumerInventory.js';
import { inventoryFromStack } from '../../../cli/console/consumers/inventoryFromStack.js';
import { REDRIVE_CONFIG_ENV_VAR } from '../../../lib/config/redriveConfig.js';
import { type LocalAws, type LocalQueue, startLocalAws } from '../../helpers/localAws.js';

/**
 * `sqs-failsafe console --stack NAME`: the consumers of a deployed stack, found from its resources. The
 * queues are real (the embedded server); CloudFormation, Lambda and CloudWatch are not emulated there, so
 * their answers are scripted as AWS gives them (paged resource lists, mappings of other event sources, a
 * function the operator may not read).
 */
let server: LocalAws;
let queue: LocalQueue;
let dlq: LocalQueue;
let parking: LocalQueue;

beforeAll(async () => {
  server = await startLocalAws();
  dlq = await server.createQueue('orders-dlq');
  parking = await server.createQueue('orders-parking');
  queue = await server.createQueue('orders', {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 10 }),
  });
});
afterAll(async () => {
  await server?.stop();
});

const resource = (ResourceType: string, PhysicalResourceId: string): StackResourceSummary => ({
  ResourceType,
  PhysicalResourceId,
  LogicalResourceId: PhysicalResourceId.replace(/[^A-Za-z0-9]/g, ''),
  ResourceStatus: 'CREATE_COMPLETE',
  LastUpdatedTimestamp: new Date(),
});

function scriptedAccount() {
  const cloudFormation = new CloudFormationClient({ region: server.region });
  const lambda = new LambdaClient({ region: server.region });
  const cloudWatch = new CloudWatchClient({ region: server.region });
  // Two pages, as a stack of more than 100 resources is listed.
  mockClient(cloudFormation)
    .on(ListStackResourcesCommand, { StackName: 'Orders' })
    .resolves({
      StackResourceSummaries: [
        resource('AWS::SQS::Queue', queue.url),
        resource('AWS::SQS::Queue', dlq.url),
        resource('AWS::SNS::Topic', 'arn:aws:sns:eu-west-1:123456789012:alerts'),
        resource('AWS::Lambda::EventSourceMapping', 'mapping-sqs'),
        resource('AWS::Lambda::EventSourceMapping', 'mapping-stream'),
      ],
      NextToken: 'page-2',
    })
    .on(ListStackResourcesCommand, { StackName: 'Orders', NextToken: 'page-2' })
    .resolves({
      StackResourceSummaries: [
        resource('AWS::SQS::Queue', parking.url),
        resource('AWS::Lambda::Function', 'orders-worker'),
        resource('AWS::Lambda::Function', 'orders-redrive'),
        resource('AWS::Lambda::Function', 'orders-secret'),
        resource('AWS::CloudWatch::Alarm', 'orders-dlq-not-empty'),
        resource('AWS::CloudWatch::Alarm', 'orders-errors'),
        resource('AWS::CloudWatch::CompositeAlarm', 'orders-health'),
      ],
    });
  const lambdaMock = mockClient(lambda);
  lambdaMock.on(GetEventSourceMappingCommand, { UUID: 'mapping-sqs' }).resolves({
    UUID: 'mapping-sqs',
    EventSourceArn: queue.arn,
    FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-worker',
  });
  lambdaMock.on(GetEventSourceMappingCommand, { UUID: 'mapping-stream' }).resolves({
    UUID: 'mapping-stream',
    EventSourceArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026',
    FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-audit',
  });
  lambdaMock.on(GetFunctionConfigurationCommand, { FunctionName: 'orders-worker' }).resolves({
    Environment: { Variables: { SQS_FAILSAFE_CONFIG: '{}' } },
  });
  lambdaMock.on(GetFunctionConfigurationCommand, { FunctionName: 'orders-redrive' }).resolves({
    Environment: {
      Variables: {
        [REDRIVE_CONFIG_ENV_VAR]: JSON.stringify({
          dlqUrl: dlq.url,
          parkingQueueUrl: parking.url,
          dlqAlarmName: 'orders-dlq-not-empty',
        }),
      },
    },
  });
  lambdaMock.on(GetFunctionConfigurationCommand, { FunctionName: 'orders-secret' }).rejects(
    Object.assign(new Error('not authorized to perform lambda:GetFunctionConfiguration'), {
      name: 'AccessDeniedException',
    }),
  );
  mockClient(cloudWatch)
    .on(DescribeAlarmsCommand)
    .resolves({
      MetricAlarms: [
        { AlarmName: 'orders-dlq-not-empty', Dimensions: [] },
        {
          AlarmName: 'orders-errors',
          Dimensions: [{ Name: 'FunctionName', Value: 'orders-worker' }],
        },
      ],
      CompositeAlarms: [{ AlarmName: 'orders-health', AlarmRule: 'ALARM("orders-errors")' }],
    });
  return { cloudFormation, lambda, cloudWatch, sqs: server.sqs };
}

describe('console --stack', () => {
  it('finds the stack’s consumer: its queues, mapping, redrive function’s parking queue and alarms', async () => {
    const inventory = await inventoryFromStack('Orders', scriptedAccount());
    expect(groupConsumers(inventory)).toEqual([
      {
        id: queue.name,
        name: queue.name,
        queueUrl: queue.url,
        queueArn: queue.arn,
        dlqUrl: dlq.url,
        dlqArn: dlq.arn,
        parkingQueueUrl: parking.url,
        mappingUuids: ['mapping-sqs'],
        functionNames: ['orders-worker'],
        alarmNames: ['orders-dlq-not-empty', 'orders-errors', 'orders-health'],
      },
    ]);
  });

  it('says which resource it could not read and still shows the rest', async () => {
    const inventory = await inventoryFromStack('Orders', scriptedAccount());
    expect(inventory.problems).toEqual(['function orders-secret could not be read (AccessDeniedException)']);
    expect(groupConsumers(inventory)).toHaveLength(1);
  });
});
