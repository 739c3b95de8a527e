import type { Stack } from 'aws-cdk-lib';
import { Annotations, Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { REDRIVE_ADDRESS_VARIABLES } from '../../infra/consumer/environment/redriveAddressVariables.js';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import { joinedText, onlyLogicalId, testStack } from './helpers/consumerStack.js';

/** A small stand-in for a redrive function the user brings. */
function inlineRedrive(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Redrive', {
    runtime: lambda.Runtime.NODEJS_24_X,
    code: lambda.Code.fromInline('export const handler = async () => {};'),
    handler: 'index.handler',
  });
}

function synthWithRedrive() {
  const { stack } = testStack();
  const redriveFunction = inlineRedrive(stack);
  // Without the circuit breaker, so that the only alarm-invoked function is the one brought here.
  const consumer = new FailsafeConsumer(stack, 'Consumer', { redriveFunction, circuitBreaker: false });
  const template = Template.fromStack(stack);
  const redriveId = onlyLogicalId(template, 'AWS::Lambda::Function', {
    Handler: 'index.handler',
    Code: { ZipFile: Match.anyValue() },
  });
  return { stack, consumer, template, redriveId };
}

describe('FailsafeConsumer: a redrive function the user brings', () => {
  it('invokes the redrive function directly when the DLQ alarm fires', () => {
    const { template, redriveId } = synthWithRedrive();
    const actions = new Capture();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      AlarmActions: actions,
    });
    expect(actions.asArray()).toEqual([{ 'Fn::GetAtt': [redriveId, 'Arn'] }]);
  });

  it('invokes it when the consumer-health alarm returns to OK', () => {
    const { template, redriveId } = synthWithRedrive();
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      OKActions: [{ 'Fn::GetAtt': [redriveId, 'Arn'] }],
    });
  });

  it('lets CloudWatch invoke it only from those two alarms', () => {
    const { template, redriveId } = synthWithRedrive();
    const permissions = template.findResources('AWS::Lambda::Permission');
    const sources = Object.values(permissions).map((permission) => {
      expect(permission.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [redriveId, 'Arn'] },
        Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
        SourceAccount: '111122223333',
      });
      return permission.Properties.SourceArn;
    });
    const deadLetterAlarmId = onlyLogicalId(template, 'AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
    const healthAlarmId = onlyLogicalId(template, 'AWS::CloudWatch::CompositeAlarm');
    expect(sources).toHaveLength(2);
    expect(sources).toEqual(
      expect.arrayContaining([
        { 'Fn::GetAtt': [deadLetterAlarmId, 'Arn'] },
        { 'Fn::GetAtt': [healthAlarmId, 'Arn'] },
      ]),
    );
  });

  it('grants it consume on the DLQ, send on the work queue, publish on the topic and a read of the health alarm', () => {
    const { template, redriveId } = synthWithRedrive();
    const roleRef = new Capture();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Code: { ZipFile: Match.anyValue() },
      Role: { 'Fn::GetAtt': [roleRef, 'Arn'] },
    });
    const queueId = onlyLogicalId(template, 'AWS::SQS::Queue', { VisibilityTimeout: 180 });
    const deadLetterQueueId = onlyLogicalId(template, 'AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 86_400,
    });
    const topicId = onlyLogicalId(template, 'AWS::SNS::Topic');
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: roleRef.asString() }] },
    });
    const [policy] = Object.values(policies);
    const statements = policy?.Properties.PolicyDocument.Statement.map(
      (statement: { Action: string | string[]; Resource: unknown }) => ({
        actions: [statement.Action].flat(),
        resource: joinedText(statement.Resource),
      }),
    );

    expect(redriveId).toBeDefined();
    expect(statements).toEqual([
      {
        actions: [
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueAttributes',
        ],
        resource: `<${deadLetterQueueId}.Arn>`,
      },
      { actions: ['sqs:SendMessage'], resource: `<${queueId}.Arn>` },
      { actions: ['sns:Publish'], resource: `<${topicId}>` },
      {
        actions: ['cloudwatch:DescribeAlarms'],
        resource: expect.stringMatching(
          /:cloudwatch:eu-west-1:111122223333:alarm:Test-Consumer-[0-9A-F]{8}-ConsumerHealth$/,
        ),
      },
    ]);
  });

  it('gives it the queue URLs and ARNs and the topic ARN in its environment', () => {
    const { template } = synthWithRedrive();
    const variables = new Capture();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Code: { ZipFile: Match.anyValue() },
      Environment: { Variables: variables },
    });
    const queueId = onlyLogicalId(template, 'AWS::SQS::Queue', { VisibilityTimeout: 180 });
    const deadLetterQueueId = onlyLogicalId(template, 'AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 86_400,
    });
    const topicId = onlyLogicalId(template, 'AWS::SNS::Topic');

    expect(variables.asObject()).toEqual({
      [REDRIVE_ADDRESS_VARIABLES.sourceQueueUrl]: { Ref: queueId },
      [REDRIVE_ADDRESS_VARIABLES.sourceQueueArn]: { 'Fn::GetAtt': [queueId, 'Arn'] },
      [REDRIVE_ADDRESS_VARIABLES.deadLetterQueueUrl]: { Ref: deadLetterQueueId },
      [REDRIVE_ADDRESS_VARIABLES.deadLetterQueueArn]: { 'Fn::GetAtt': [deadLetterQueueId, 'Arn'] },
      [REDRIVE_ADDRESS_VARIABLES.topicArn]: { Ref: topicId },
    });
  });

  it('warns that an imported redrive function needs its environment set by hand', () => {
    const { stack } = testStack();
    const redriveFunction = lambda.Function.fromFunctionArn(
      stack,
      'ImportedRedrive',
      'arn:aws:lambda:eu-west-1:111122223333:function:redrive',
    );
    new FailsafeConsumer(stack, 'Consumer', { redriveFunction });
    Annotations.fromStack(stack).hasWarning(
      '/Test/Consumer',
      Match.stringLikeRegexp('set SQS_FAILSAFE_SOURCE_QUEUE_URL, .* on it yourself'),
    );
  });

  it('creates no redrive function of its own', () => {
    const { template } = synthWithRedrive();
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.resourceCountIs('AWS::Events::Rule', 0);
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect(Object.keys(fn.Properties.Environment.Variables)).not.toContain('SQS_FAILSAFE_REDRIVE_CONFIG');
    }
  });

  it('adds no alarm action with the redrive function and the breaker off', () => {
    const { stack } = testStack();
    new FailsafeConsumer(stack, 'Consumer', { redrive: false, circuitBreaker: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 0);
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });
});
