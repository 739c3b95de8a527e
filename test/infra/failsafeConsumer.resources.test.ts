import { Duration } from 'aws-cdk-lib';
import { Annotations, Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import { BATCH_CONFIG_ENV_VAR } from '../../lib/config/batchConfig.js';
import { METRIC, METRICS_NAMESPACE } from '../../lib/metrics/metricNames.js';
import {
  functionWithVariable,
  joinedText,
  onlyLogicalId,
  roleStatements,
  synthConsumer,
  testStack,
} from './helpers/consumerStack.js';

const QUEUE = 'AWS::SQS::Queue';
const FUNCTION = 'AWS::Lambda::Function';

/** The consumer: the function that reads SQS_FAILSAFE_CONFIG. */
const consumerId = (template: Template) => functionWithVariable(template, BATCH_CONFIG_ENV_VAR);

/** The statements of the consumer role's policy, with references written as `<LogicalId>`. */
function consumerStatements(template: Template) {
  return roleStatements(template, consumerId(template));
}

describe('FailsafeConsumer: queues', () => {
  it('wires the work queue to its DLQ with the redrive policy', () => {
    // Prepare
    const { template } = synthConsumer();
    const deadLetterTarget = new Capture();

    // Assess
    template.resourceCountIs(QUEUE, 2);
    template.hasResourceProperties(QUEUE, {
      RedrivePolicy: { deadLetterTargetArn: deadLetterTarget, maxReceiveCount: 5 },
      MessageRetentionPeriod: 4 * 86_400,
      VisibilityTimeout: 180,
      DelaySeconds: 0,
      SqsManagedSseEnabled: true,
      QueueName: Match.stringLikeRegexp('^Test-Consumer-[0-9A-F]{8}$'),
    });
    const deadLetterQueueId = onlyLogicalId(template, QUEUE, { MessageRetentionPeriod: 14 * 86_400 });
    expect(deadLetterTarget.asObject()).toEqual({ 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] });
  });

  it('lets only the work queue use the DLQ (RedriveAllowPolicy byQueue)', () => {
    const { template } = synthConsumer();
    const sourceArns = new Capture();
    const workQueueName = new Capture();

    template.hasResourceProperties(QUEUE, {
      RedriveAllowPolicy: { redrivePermission: 'byQueue', sourceQueueArns: sourceArns },
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties(QUEUE, { QueueName: workQueueName });
    expect(sourceArns.asArray().map(joinedText)).toEqual([
      `arn:<AWS::Partition>:sqs:eu-west-1:111122223333:${workQueueName.asString()}`,
    ]);
  });

  it('refuses requests without TLS on both queues', () => {
    const { template } = synthConsumer();
    const policies = template.findResources('AWS::SQS::QueuePolicy', {
      Properties: {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      },
    });
    expect(Object.keys(policies)).toHaveLength(2);
  });

  it('derives the visibility timeout from the function timeout and the batching window', () => {
    const { template } = synthConsumer({
      timeout: Duration.seconds(60),
      maxBatchingWindow: Duration.seconds(20),
    });
    template.hasResourceProperties(QUEUE, { VisibilityTimeout: 6 * 60 + 20 });
  });

  it('takes a given visibility timeout, retention, delay and receive count', () => {
    const { template } = synthConsumer({
      visibilityTimeout: Duration.minutes(10),
      retentionPeriod: Duration.days(2),
      deadLetterRetentionPeriod: Duration.days(7),
      deliveryDelay: Duration.seconds(30),
      maxReceiveCount: 8,
      queueName: 'orders',
    });
    template.hasResourceProperties(QUEUE, {
      QueueName: 'orders',
      VisibilityTimeout: 600,
      MessageRetentionPeriod: 2 * 86_400,
      DelaySeconds: 30,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 8 }),
    });
    template.hasResourceProperties(QUEUE, { MessageRetentionPeriod: 7 * 86_400 });
  });

  it.each([
    ['a standard queue with copies', {}, 5],
    ['a standard queue in place', { redelivery: 'visibility' as const }, 8],
    ['a FIFO queue of batch size 10', { fifo: true }, 53],
  ])(
    'dead-letters on attempt n + 1 of a schedule, and sizes maxReceiveCount by the safety net: %s',
    (_, extra, expected) => {
      const { fifo, ...failsafe } = extra as { fifo?: boolean; redelivery?: 'visibility' };
      const { template } = synthConsumer({
        ...(fifo === undefined ? {} : { fifo }),
        failsafe: { ...failsafe, redeliveryBackoff: { scheduleSeconds: [5, 30, 120] } },
      });
      template.hasResourceProperties(QUEUE, {
        RedrivePolicy: Match.objectLike({ maxReceiveCount: expected }),
      });
      const config = new Capture();
      template.hasResourceProperties(FUNCTION, {
        Environment: { Variables: { SQS_FAILSAFE_CONFIG: config } },
      });
      expect(JSON.stringify(config.asObject())).toContain('maxAttempts\\":4');
    },
  );

  it('creates the attempt ledger: id (String), TTL on expiration, on demand, encrypted, PITR, destroyed with the stack', () => {
    const { template } = synthConsumer({});
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
      DeletionPolicy: 'Delete',
    });
  });

  it('makes a FIFO work queue and a FIFO DLQ', () => {
    const { template } = synthConsumer({ fifo: true, contentBasedDeduplication: true });
    template.hasResourceProperties(QUEUE, {
      FifoQueue: true,
      ContentBasedDeduplication: true,
      QueueName: Match.stringLikeRegexp('\\.fifo$'),
    });
    template.hasResourceProperties(QUEUE, { FifoQueue: true, RedriveAllowPolicy: Match.anyValue() });
  });

  it('encrypts the queues and the topic with a customer managed key when given one', () => {
    const { stack } = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new FailsafeConsumer(stack, 'Encrypted', { encryptionKey: key, queueName: 'encrypted' });
    const template = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [onlyLogicalId(template, 'AWS::KMS::Key'), 'Arn'] };

    template.hasResourceProperties(QUEUE, { QueueName: 'encrypted', KmsMasterKeyId: keyArn });
    template.hasResourceProperties(QUEUE, { RedriveAllowPolicy: Match.anyValue(), KmsMasterKeyId: keyArn });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn });
  });
});

describe('FailsafeConsumer: consumer function', () => {
  it('runs the packaged worker on Node.js 24, arm64, with source maps', () => {
    const { template } = synthConsumer();
    // The consumer, the redrive function and the breaker controller.
    template.resourceCountIs(FUNCTION, 3);
    template.hasResourceProperties(FUNCTION, {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 30,
      MemorySize: 256,
      Environment: {
        Variables: Match.objectLike({
          NODE_OPTIONS: '--enable-source-maps',
          [BATCH_CONFIG_ENV_VAR]: Match.anyValue(),
        }),
      },
      LoggingConfig: { LogGroup: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    expect(template.toJSON().Resources[consumerId(template)].Properties.ReservedConcurrentExecutions).toBe(
      undefined,
    );
  });

  it('references nothing in a cycle, whatever is switched on', () => {
    const { stack } = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new FailsafeConsumer(stack, 'Consumer', {
      encryptionKey: key,
      maxConcurrency: 10,
      idempotency: {},
      redrive: { parkingQueue: true },
    });
    new FailsafeConsumer(stack, 'Scheduled', { redrive: { continuation: 'schedule' } });
    // The assertions library refuses a template whose resources reference each other in a cycle, which
    // CloudFormation would reject at deploy time (an alarm invoking a function that names the alarm's ARN).
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  it('consumes with ReportBatchItemFailures, batch size, window and maximum concurrency', () => {
    const { template } = synthConsumer({
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(5),
      maxConcurrency: 20,
    });
    const source = new Capture();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: source,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    const workQueueId = onlyLogicalId(template, QUEUE, { VisibilityTimeout: 185 });
    expect(source.asObject()).toEqual({ 'Fn::GetAtt': [workQueueId, 'Arn'] });
  });

  it('passes the failure-handling configuration in SQS_FAILSAFE_CONFIG, DLQ and topic included', () => {
    const { template } = synthConsumer({
      failsafe: {
        retry: { maxAttempts: 2 },
        safetyMarginMs: 2_000,
        redeliveryBackoff: { scheduleSeconds: [10, 60] },
        deadLetter: { maxAgeSeconds: 3_600 },
        notifications: { events: ['message.dead-lettered'], includeBody: true },
      },
    });
    const variables = template.toJSON().Resources[consumerId(template)].Properties.Environment.Variables;
    const config = JSON.parse(joinedText(variables[BATCH_CONFIG_ENV_VAR]));
    const deadLetterQueueId = onlyLogicalId(template, QUEUE, { MessageRetentionPeriod: 14 * 86_400 });
    const topicId = onlyLogicalId(template, 'AWS::SNS::Topic');
    const ledgerId = onlyLogicalId(template, 'AWS::DynamoDB::Table');

    expect(config).toEqual({
      version: 1,
      retry: { maxAttempts: 2 },
      safetyMarginMs: 2_000,
      redeliveryBackoff: { scheduleSeconds: [10, 60] },
      deadLetter: { maxAgeSeconds: 3_600, queueUrl: `<${deadLetterQueueId}>`, maxAttempts: 3 },
      attemptLedger: { tableName: `<${ledgerId}>` },
      notifications: { events: ['message.dead-lettered'], includeBody: true, topicArn: `<${topicId}>` },
    });
  });

  it('completes a partial exponential backoff so the runtime applies no defaults of its own', () => {
    const { consumer } = synthConsumer({ failsafe: { redeliveryBackoff: { baseSeconds: 5 } } });
    expect(consumer.failsafeConfig.redeliveryBackoff).toEqual({
      baseSeconds: 5,
      maxSeconds: 900,
      multiplier: 2,
    });
  });

  it('grants exactly what the consumer needs, with no managed policy and no wildcard action', () => {
    const { template } = synthConsumer({
      failsafe: {
        notifications: { callbackTopicAllowList: ['arn:aws:sns:eu-west-1:444455556666:callbacks'] },
      },
    });
    const queueId = onlyLogicalId(template, QUEUE, { VisibilityTimeout: 180 });
    const deadLetterQueueId = onlyLogicalId(template, QUEUE, { MessageRetentionPeriod: 14 * 86_400 });
    const topicId = onlyLogicalId(template, 'AWS::SNS::Topic');
    const ledgerId = onlyLogicalId(template, 'AWS::DynamoDB::Table');
    const logGroupId =
      template.toJSON().Resources[consumerId(template)].Properties.LoggingConfig.LogGroup.Ref;

    expect(consumerStatements(template)).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: `<${logGroupId}.Arn>` },
      {
        actions: [
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueUrl',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
        ],
        resource: `<${queueId}.Arn>`,
      },
      { actions: ['sqs:SendMessage'], resource: `<${deadLetterQueueId}.Arn>` },
      // Redelivery copies go back to the work queue; attempts of messages that stay are kept in the ledger.
      { actions: ['sqs:SendMessage'], resource: `<${queueId}.Arn>` },
      { actions: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'], resource: `<${ledgerId}.Arn>` },
      { actions: ['sns:Publish'], resource: `<${topicId}>` },
      { actions: ['sns:Publish'], resource: 'arn:aws:sns:eu-west-1:444455556666:callbacks' },
    ]);
    const roles = template.findResources('AWS::IAM::Role');
    for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('adds the key actions a customer managed key needs, and no others', () => {
    const { stack } = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new FailsafeConsumer(stack, 'Consumer', { encryptionKey: key });
    const template = Template.fromStack(stack);
    const keyId = onlyLogicalId(template, 'AWS::KMS::Key');

    // Receiving needs Decrypt; sending to the queues and publishing to the topic need GenerateDataKey and
    // Decrypt (CDK merges the identical statements); the attempt ledger, what DynamoDB does on its behalf.
    const keyStatements = consumerStatements(template)?.filter((s) => s.resource === `<${keyId}.Arn>`);
    expect(keyStatements).toEqual([
      { actions: ['kms:Decrypt'], resource: `<${keyId}.Arn>` },
      { actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resource: `<${keyId}.Arn>` },
      {
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        condition: { StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' } },
        resource: `<${keyId}.Arn>`,
      },
    ]);
  });

  it('uses an existing function: adds the configuration and the event source, bundles nothing', () => {
    const { stack } = testStack();
    const existing = new lambda.Function(stack, 'Existing', {
      runtime: lambda.Runtime.NODEJS_24_X,
      code: lambda.Code.fromInline('export const handler = async () => {};'),
      handler: 'index.handler',
      timeout: Duration.seconds(20),
    });
    new FailsafeConsumer(stack, 'Consumer', {
      consumerFunction: existing,
      redrive: false,
      circuitBreaker: false,
    });
    const template = Template.fromStack(stack);
    const existingId = onlyLogicalId(template, FUNCTION);

    template.resourceCountIs(FUNCTION, 1);
    template.hasResourceProperties(FUNCTION, {
      Environment: { Variables: { [BATCH_CONFIG_ENV_VAR]: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionName: { Ref: existingId } });
    template.hasResourceProperties(QUEUE, { VisibilityTimeout: 120 });
  });
});

describe('FailsafeConsumer: topic', () => {
  it('creates a topic that requires TLS, encrypted with the AWS managed key', () => {
    const { template } = synthConsumer();
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: 'alias/aws/sns' });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('publishes to an existing topic instead of creating one', () => {
    const { stack } = testStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Outcomes', 'arn:aws:sns:eu-west-1:111122223333:outcomes');
    new FailsafeConsumer(stack, 'Consumer', { topic });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(consumerStatements(template)).toContainEqual({
      actions: ['sns:Publish'],
      resource: 'arn:aws:sns:eu-west-1:111122223333:outcomes',
    });
  });
});

describe('FailsafeConsumer: alarms and dashboard', () => {
  it('alarms on a non-empty DLQ', () => {
    const { template } = synthConsumer();
    const deadLetterQueueId = onlyLogicalId(template, QUEUE, { MessageRetentionPeriod: 14 * 86_400 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueueId, 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('alarms on the oldest message at the retry horizon, capped at half the retention', () => {
    const { template } = synthConsumer();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 1_170,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    const capped = synthConsumer({
      retentionPeriod: Duration.hours(2),
      deadLetterRetentionPeriod: Duration.days(1),
      failsafe: { redeliveryBackoff: { scheduleSeconds: [1_800, 1_800] } },
    });
    capped.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 3_600,
    });
  });

  it('alarms on consumer errors and throttles, and combines them with transient failures and age into consumer health', () => {
    const { template } = synthConsumer({ consumerErrorsThreshold: 3, consumerThrottlesThreshold: 2 });
    const functionId = consumerId(template);
    for (const [metric, threshold] of [
      ['Errors', 3],
      ['Throttles', 2],
    ] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    const rule = new Capture();
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmRule: rule });
    const ruleText = joinedText(rule.asObject());
    for (const name of ['TransientFailures', 'ConsumerErrors', 'ConsumerThrottles', 'OldestMessageAge']) {
      expect(ruleText).toMatch(new RegExp(`ALARM\\("<ConsumerAlarms${name}[0-9A-F]{8}\\.Arn>"\\)`));
    }
    expect(ruleText.split(' OR ')).toHaveLength(4);
  });

  it('adds alarmActions to the consumer-health and DLQ alarms, ALARM and OK, next to the redrive function', () => {
    const { stack } = testStack();
    const ops = new sns.Topic(stack, 'Ops');
    new FailsafeConsumer(stack, 'Consumer', { alarmActions: [new SnsAction(ops)] });
    const template = Template.fromStack(stack);
    const opsId = Object.keys(template.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('Ops'));
    const opsRef = { Ref: opsId };
    const health = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm'))[0]?.Properties;
    expect(health.AlarmActions).toEqual([opsRef]);
    expect(health.OKActions).toHaveLength(2);
    expect(health.OKActions).toContainEqual(opsRef);
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const dlqAlarm = Object.entries(alarms).find(([id]) => id.includes('DeadLetterQueueNotEmpty'))?.[1]
      .Properties;
    expect(dlqAlarm.AlarmActions).toHaveLength(2);
    expect(dlqAlarm.AlarmActions).toContainEqual(opsRef);
    expect(dlqAlarm.OKActions).toEqual([opsRef]);
    // The alarms that feed consumer health page through it, once.
    const others = Object.entries(alarms).filter(([id]) => !id.includes('DeadLetterQueueNotEmpty'));
    expect(others.length).toBeGreaterThanOrEqual(4);
    for (const [, alarm] of others) expect(JSON.stringify(alarm.Properties)).not.toContain(opsRef.Ref);
  });

  it('draws queue depth, DLQ depth, oldest age and the runtime outcomes on a dashboard', () => {
    const { stack, template } = synthConsumer({ dashboardName: 'orders' });
    const body = new Capture();
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'orders',
      DashboardBody: body,
    });
    const text = JSON.stringify(stack.resolve(body.asObject()));
    for (const metric of [
      'ApproximateNumberOfMessagesVisible',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateAgeOfOldestMessage',
      METRIC.succeeded,
      METRIC.failed,
      METRIC.deadLettered,
      METRIC.redriven,
    ]) {
      expect(text).toContain(metric);
    }
    expect(text).toContain(METRICS_NAMESPACE);
  });

  it('prints the retry horizon in the synth output', () => {
    const { stack } = synthConsumer();
    Annotations.fromStack(stack).hasInfo(
      '/Test/Consumer',
      'Retry horizon: T_total = 19 min 30 s (delivery delay 0 s + 3 redelivery waits 3 min 30 s + reserve ' +
        'visibility 12 min + 8 receives × 30 s); ' +
        'work queue retention 4 days, DLQ retention 14 days.',
    );
  });
});
