import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import type { FailsafeConsumerProps } from '../../infra/consumer/failsafeConsumerProps.js';
import {
  REDRIVE_CONFIG_DEFAULTS,
  REDRIVE_CONFIG_ENV_VAR,
  resolveRedriveConfig,
} from '../../lib/config/redriveConfig.js';
import {
  functionWithVariable,
  onlyLogicalId,
  roleStatements,
  synthConsumer,
  testStack,
  variableText,
} from './helpers/consumerStack.js';

const FUNCTION_NAME = /^Test-Consumer-[0-9A-F]{8}-Redrive$/;

/** The consumer with its redrive function, the breaker off so that only the redrive's resources are added. */
function synthRedrive(props: FailsafeConsumerProps = {}) {
  const synthesized = synthConsumer({ circuitBreaker: false, ...props });
  const { template } = synthesized;
  const redriveId = functionWithVariable(template, REDRIVE_CONFIG_ENV_VAR);
  const ids = {
    redrive: redriveId,
    queue: onlyLogicalId(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() }),
    deadLetterQueue: onlyLogicalId(template, 'AWS::SQS::Queue', { RedriveAllowPolicy: Match.anyValue() }),
    topic: onlyLogicalId(template, 'AWS::SNS::Topic'),
    deadLetterAlarm: onlyLogicalId(template, 'AWS::CloudWatch::Alarm', {
      AlarmName: Match.stringLikeRegexp('-DeadLetterQueueNotEmpty$'),
    }),
    healthAlarm: onlyLogicalId(template, 'AWS::CloudWatch::CompositeAlarm'),
  };
  const config = JSON.parse(variableText(template, redriveId, REDRIVE_CONFIG_ENV_VAR));
  const resource = (id: string) => template.toJSON().Resources[id];
  return { ...synthesized, ids, config, resource };
}

describe('FailsafeConsumer: the redrive function', () => {
  it('is created by default: Node.js 24, arm64, reserved concurrency 1, a fixed name', () => {
    const { template, ids, resource, consumer } = synthRedrive();
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.stringLikeRegexp(FUNCTION_NAME.source),
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 300,
      MemorySize: 256,
      ReservedConcurrentExecutions: 1,
      LoggingConfig: { LogGroup: Match.anyValue() },
    });
    expect(resource(ids.redrive).Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(consumer.redriveFunction).toBeDefined();
    // Bundled from the packaged handler, like the worker: a local asset, never inline code.
    expect(resource(ids.redrive).Properties.Code.S3Key).toMatch(/\.zip$/);
  });

  it('takes its timeout and memory', () => {
    const { template } = synthRedrive({ redrive: { timeout: Duration.minutes(10), memorySize: 512 } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.stringLikeRegexp(FUNCTION_NAME.source),
      Timeout: 600,
      MemorySize: 512,
    });
  });

  it('writes its whole configuration, defaults completed, into SQS_FAILSAFE_REDRIVE_CONFIG', () => {
    const { config, ids, consumer } = synthRedrive();
    expect(config).toEqual({
      version: 1,
      dlqUrl: `<${ids.deadLetterQueue}>`,
      sourceQueueUrl: `<${ids.queue}>`,
      topicArn: `<${ids.topic}>`,
      healthAlarmName: expect.stringMatching(/^Test-Consumer-[0-9A-F]{8}-ConsumerHealth$/),
      dlqAlarmName: expect.stringMatching(/^Test-Consumer-[0-9A-F]{8}-DeadLetterQueueNotEmpty$/),
      maxMessagesPerRun: REDRIVE_CONFIG_DEFAULTS.maxMessagesPerRun,
      ratePerSecond: REDRIVE_CONFIG_DEFAULTS.ratePerSecond,
      cooldownSeconds: REDRIVE_CONFIG_DEFAULTS.cooldownSeconds,
      maxRedrivesPerMessage: REDRIVE_CONFIG_DEFAULTS.maxRedrivesPerMessage,
      circuitBreaker: REDRIVE_CONFIG_DEFAULTS.circuitBreaker,
      continuation: 'self-invoke',
      maxContinuations: REDRIVE_CONFIG_DEFAULTS.maxContinuations,
      concurrency: REDRIVE_CONFIG_DEFAULTS.concurrency,
    });
    expect(consumer.redriveConfig).toMatchObject({ continuation: 'self-invoke' });
  });

  it('names the alarms it is invoked by exactly as they are named, and exposes the names as plain strings', () => {
    const { config, ids, resource, consumer } = synthRedrive();
    expect(resource(ids.healthAlarm).Properties.AlarmName).toBe(config.healthAlarmName);
    expect(resource(ids.deadLetterAlarm).Properties.AlarmName).toBe(config.dlqAlarmName);
    expect(consumer.alarmNames).toMatchObject({
      consumerHealth: config.healthAlarmName,
      deadLetterQueueNotEmpty: config.dlqAlarmName,
    });
  });

  it('writes a configuration the function accepts at cold start', () => {
    const { config } = synthRedrive({
      redrive: {
        parkingQueue: true,
        continuation: 'schedule',
        cooldown: Duration.minutes(1),
        ratePerSecond: 5,
      },
    });
    // References stand in for real URLs and ARNs once deployed.
    const deployed = {
      ...config,
      dlqUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq',
      sourceQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/work',
      parkingQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/parked',
      topicArn: 'arn:aws:sns:eu-west-1:111122223333:outcomes',
    };
    expect(() => resolveRedriveConfig(deployed)).not.toThrow();
  });

  it('takes the settings it is given', () => {
    const { config } = synthRedrive({
      redrive: {
        cooldown: Duration.minutes(1),
        maxMessagesPerRun: 500,
        ratePerSecond: 5,
        maxRedrivesPerMessage: 2,
        returnBreaker: { returnThreshold: 0.2, minRedriven: 50 },
        maxContinuations: 3,
        concurrency: 2,
      },
    });
    expect(config).toMatchObject({
      cooldownSeconds: 60,
      maxMessagesPerRun: 500,
      ratePerSecond: 5,
      maxRedrivesPerMessage: 2,
      circuitBreaker: { returnThreshold: 0.2, windowSeconds: 3_600, minRedriven: 50, openSeconds: 3_600 },
      maxContinuations: 3,
      concurrency: 2,
    });
  });

  it('is invoked by the DLQ alarm and by the health alarm’s return to OK, each permission scoped to its alarm', () => {
    const { template, ids } = synthRedrive();
    const arn = { 'Fn::GetAtt': [ids.redrive, 'Arn'] };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      AlarmActions: [arn],
    });
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { OKActions: [arn] });
    const permissions = Object.values(
      template.findResources('AWS::Lambda::Permission', {
        Properties: { Principal: 'lambda.alarms.cloudwatch.amazonaws.com' },
      }),
    );
    expect(permissions.map((permission) => permission.Properties)).toEqual(
      expect.arrayContaining([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: arn,
          Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
          SourceAccount: '111122223333',
          SourceArn: { 'Fn::GetAtt': [ids.deadLetterAlarm, 'Arn'] },
        },
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: arn,
          Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
          SourceAccount: '111122223333',
          SourceArn: { 'Fn::GetAtt': [ids.healthAlarm, 'Arn'] },
        },
      ]),
    );
    expect(permissions).toHaveLength(2);
  });

  it('grants exactly the permissions docs/redrive.md lists, each on its one resource', () => {
    const { template, ids, resource } = synthRedrive();
    const logGroupId = resource(ids.redrive).Properties.LoggingConfig.LogGroup.Ref;
    const functionName = resource(ids.redrive).Properties.FunctionName;

    expect(roleStatements(template, ids.redrive)).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: `<${logGroupId}.Arn>` },
      {
        actions: [
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ListQueueTags',
          'sqs:TagQueue',
        ],
        resource: `<${ids.deadLetterQueue}.Arn>`,
      },
      {
        actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        resource: `<${ids.queue}.Arn>`,
      },
      { actions: ['sns:Publish'], resource: `<${ids.topic}>` },
      {
        actions: ['cloudwatch:DescribeAlarms'],
        resource: expect.stringMatching(
          /:cloudwatch:eu-west-1:111122223333:alarm:Test-Consumer-[0-9A-F]{8}-ConsumerHealth$/,
        ),
      },
      {
        actions: ['cloudwatch:DescribeAlarms'],
        resource: expect.stringMatching(
          /:cloudwatch:eu-west-1:111122223333:alarm:Test-Consumer-[0-9A-F]{8}-DeadLetterQueueNotEmpty$/,
        ),
      },
      {
        actions: ['lambda:InvokeFunction'],
        resource: `arn:<AWS::Partition>:lambda:eu-west-1:111122223333:function:${functionName}`,
      },
    ]);
  });

  it('never gets the native move task actions: the function always redrives with the manual strategy', () => {
    const { template, ids } = synthRedrive({ redrive: { parkingQueue: true } });
    const actions = roleStatements(template, ids.redrive).flatMap((statement) => statement.actions);
    expect(actions.filter((action) => /MessageMoveTask/.test(action))).toEqual([]);
  });

  it('writes the return breaker’s durations in seconds', () => {
    const { config } = synthRedrive({
      redrive: { returnBreaker: { window: Duration.minutes(30), openDuration: Duration.hours(2) } },
    });
    expect(config.circuitBreaker).toEqual({
      returnThreshold: 0.5,
      windowSeconds: 1_800,
      minRedriven: 10,
      openSeconds: 7_200,
    });
  });

  it('goes on by schedule instead of invoking itself with continuation "schedule"', () => {
    const { template, ids, config } = synthRedrive({
      redrive: { continuation: 'schedule', scheduleInterval: Duration.minutes(10) },
    });
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(10 minutes)',
      State: 'ENABLED',
      // No input: the function receives EventBridge's "Scheduled Event".
      Targets: [{ Arn: { 'Fn::GetAtt': [ids.redrive, 'Arn'] }, Id: 'Target0' }],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [ids.redrive, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [onlyLogicalId(template, 'AWS::Events::Rule'), 'Arn'] },
    });
    expect(config.continuation).toBe('schedule');
    expect(config.maxContinuations).toBeUndefined();
    const actions = roleStatements(template, ids.redrive).flatMap((statement) => statement.actions);
    expect(actions).not.toContain('lambda:InvokeFunction');
  });

  it('schedules every 5 minutes by default, with self-invoke too: a DLQ alarm skipped in the cooldown is looked at again', () => {
    for (const continuation of ['schedule', 'self-invoke'] as const) {
      const { template, ids, consumer } = synthRedrive({ redrive: { continuation } });
      template.resourceCountIs('AWS::Events::Rule', 1);
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(5 minutes)',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [ids.redrive, 'Arn'] } })],
      });
      expect(consumer.redriveSchedule).toBeDefined();
    }
    synthRedrive({ redrive: { scheduleInterval: Duration.minutes(30) } }).template.hasResourceProperties(
      'AWS::Events::Rule',
      { ScheduleExpression: 'rate(30 minutes)' },
    );
  });

  it('creates a parking queue of the DLQ’s type and sends capped messages there', () => {
    const { template, ids, config, consumer } = synthRedrive({ fifo: true, redrive: { parkingQueue: true } });
    const parkingId = onlyLogicalId(template, 'AWS::SQS::Queue', {
      RedrivePolicy: Match.absent(),
      RedriveAllowPolicy: Match.absent(),
    });
    expect(template.toJSON().Resources[parkingId]).toMatchObject({
      Properties: { FifoQueue: true, MessageRetentionPeriod: 14 * 86_400, SqsManagedSseEnabled: true },
      // Kept on delete, like the DLQ: nothing else holds its messages.
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(Object.keys(template.toJSON().Resources[parkingId].Properties)).toHaveLength(3);
    expect(config.parkingQueueUrl).toBe(`<${parkingId}>`);
    expect(consumer.parkingQueue).toBeDefined();
    expect(roleStatements(template, ids.redrive)).toContainEqual({
      actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      resource: `<${parkingId}.Arn>`,
    });
    // TLS only, like the other queues.
    template.resourceCountIs('AWS::SQS::QueuePolicy', 3);
  });

  it('creates no parking queue by default', () => {
    const { template, config } = synthRedrive();
    template.resourceCountIs('AWS::SQS::Queue', 2);
    expect(config.parkingQueueUrl).toBeUndefined();
  });

  it('uses the customer managed key: decrypt on the DLQ, encrypt to the queues and the topic', () => {
    const { stack } = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new FailsafeConsumer(stack, 'Consumer', {
      encryptionKey: key,
      circuitBreaker: false,
      redrive: { parkingQueue: true },
    });
    const template = Template.fromStack(stack);
    const keyId = onlyLogicalId(template, 'AWS::KMS::Key');
    const redriveId = functionWithVariable(template, REDRIVE_CONFIG_ENV_VAR);
    const keyStatements = roleStatements(template, redriveId).filter(
      (statement) => statement.resource === `<${keyId}.Arn>`,
    );

    expect(keyStatements).toEqual([
      { actions: ['kms:Decrypt'], resource: `<${keyId}.Arn>` },
      { actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resource: `<${keyId}.Arn>` },
    ]);
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.absent(),
      RedriveAllowPolicy: Match.absent(),
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });

  it('is not created with redrive: false', () => {
    const { template, consumer } = synthConsumer({ redrive: false, circuitBreaker: false });
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::Lambda::Permission', 0);
    expect(consumer.redriveFunction).toBeUndefined();
  });
});
