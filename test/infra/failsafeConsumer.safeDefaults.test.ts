import { RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import { existingFunction } from '../badInputs/constructProps.js';
import { onlyLogicalId, roleStatements, synthConsumer, testStack } from './helpers/consumerStack.js';

const WARNING_OF = (rule: string) => Match.stringLikeRegexp(`.*\\[ack: sqs-failsafe:${rule}\\]`);

describe('FailsafeConsumer: safe by default', () => {
  it('keeps the DLQ and the parking queue, with their messages, when they leave the stack; the work queue goes', () => {
    const { template } = synthConsumer({ redrive: { parkingQueue: true } });
    const queues = template.findResources('AWS::SQS::Queue');
    const policies = Object.values(queues).map((queue) => [
      queue.Properties.RedrivePolicy === undefined ? 'kept' : 'work',
      queue.DeletionPolicy,
      queue.UpdateReplacePolicy,
    ]);
    expect(policies.sort()).toEqual([
      ['kept', 'Retain', 'Retain'],
      ['kept', 'Retain', 'Retain'],
      ['work', 'Delete', 'Delete'],
    ]);
  });

  it('deletes them with deadLetterRemovalPolicy: DESTROY', () => {
    const { template } = synthConsumer({
      deadLetterRemovalPolicy: RemovalPolicy.DESTROY,
      redrive: { parkingQueue: true },
    });
    for (const queue of Object.values(template.findResources('AWS::SQS::Queue')))
      expect(queue.DeletionPolicy).toBe('Delete');
  });

  it('alarms on the parking queue, and pages alarmActions for it like for the DLQ and the consumer health', () => {
    const { stack } = testStack();
    const ops = new sns.Topic(stack, 'Ops');
    const consumer = new FailsafeConsumer(stack, 'Consumer', {
      redrive: { parkingQueue: true },
      alarmActions: [new cloudwatchActions.SnsAction(ops)],
    });
    const template = Template.fromStack(stack);
    const parkingQueue = onlyLogicalId(template, 'AWS::SQS::Queue', {
      RedrivePolicy: Match.absent(),
      RedriveAllowPolicy: Match.absent(),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: consumer.alarmNames.parkingQueueNotEmpty,
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [parkingQueue, 'QueueName'] } }],
      Threshold: 0,
      AlarmActions: [{ Ref: stack.resolve((ops.node.defaultChild as sns.CfnTopic).logicalId) }],
      OKActions: Match.anyValue(),
    });
    expect(consumer.alarms.parkingQueueNotEmpty).toBeDefined();
    expect(consumer.alarmNames.parkingQueueNotEmpty).toMatch(/-ParkingQueueNotEmpty$/);
    expect(synthConsumer().consumer.alarms.parkingQueueNotEmpty).toBeUndefined();
  });

  it('warns, naming alarmActions, when no alarm has an action that reaches a person', () => {
    const { stack } = synthConsumer();
    Annotations.fromStack(stack).hasWarning('/Test/Consumer', WARNING_OF('someone-hears-of-trouble'));
    expect(
      Annotations.fromStack(stack).findWarning('/Test/Consumer', WARNING_OF('someone-hears-of-trouble'))[0]
        ?.entry.data,
    ).toMatch(
      /^alarmActions = none that reaches a person: none of the 6 alarms notifies anyone; give alarmActions an SNS action/,
    );
  });

  it('does not warn once an alarm pages someone, whether through alarmActions or an action added afterwards', () => {
    const withProp = testStack();
    new FailsafeConsumer(withProp.stack, 'Consumer', {
      alarmActions: [new cloudwatchActions.SnsAction(new sns.Topic(withProp.stack, 'Ops'))],
    });
    Annotations.fromStack(withProp.stack).hasNoWarning(
      '/Test/Consumer',
      WARNING_OF('someone-hears-of-trouble'),
    );

    const later = testStack();
    const consumer = new FailsafeConsumer(later.stack, 'Consumer');
    consumer.alarms.oldestMessageAge.addAlarmAction(
      new cloudwatchActions.SnsAction(
        sns.Topic.fromTopicArn(later.stack, 'Ops', 'arn:aws:sns:eu-west-1:111122223333:ops'),
      ),
    );
    Annotations.fromStack(later.stack).hasNoWarning('/Test/Consumer', WARNING_OF('someone-hears-of-trouble'));

    // A Lambda action added by hand is automation, not a person: still warned.
    const automation = testStack();
    const other = new FailsafeConsumer(automation.stack, 'Consumer');
    other.alarms.consumerErrors.addAlarmAction(
      new cloudwatchActions.LambdaAction(existingFunction(automation.stack)),
    );
    Annotations.fromStack(automation.stack).hasWarning(
      '/Test/Consumer',
      WARNING_OF('someone-hears-of-trouble'),
    );
  });

  it('traces nothing by default; with tracing, every function it creates traces actively and may write to X-Ray', () => {
    const quiet = synthConsumer();
    for (const fn of Object.values(quiet.template.findResources('AWS::Lambda::Function')))
      expect(fn.Properties.TracingConfig).toBeUndefined();

    const { template } = synthConsumer({ tracing: true });
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(3);
    for (const [id, fn] of Object.entries(functions)) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(roleStatements(template, id)).toContainEqual({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        resource: '*',
      });
    }
  });

  it('warns that a consumerFunction keeps its own tracing when tracing is asked for', () => {
    const { stack } = testStack();
    new FailsafeConsumer(stack, 'Consumer', { tracing: true, consumerFunction: existingFunction(stack) });
    Annotations.fromStack(stack).hasWarning('/Test/Consumer', WARNING_OF('consumerTracing'));
    const active = testStack();
    new FailsafeConsumer(active.stack, 'Consumer', {
      tracing: true,
      consumerFunction: existingFunction(active.stack, { tracing: lambda.Tracing.ACTIVE }),
    });
    Annotations.fromStack(active.stack).hasNoWarning('/Test/Consumer', WARNING_OF('consumerTracing'));
  });

  it('leaves the mapping in its default mode without metrics; provisionedPollers and mappingMetrics set them', () => {
    synthConsumer().template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ProvisionedPollerConfig: Match.absent(),
      MetricsConfig: Match.absent(),
    });
    synthConsumer({
      circuitBreaker: false,
      provisionedPollers: {},
      mappingMetrics: true,
    }).template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ProvisionedPollerConfig: { MinimumPollers: 2, MaximumPollers: 200 },
      MetricsConfig: { Metrics: ['EventCount'] },
      ScalingConfig: Match.absent(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    synthConsumer({
      circuitBreaker: false,
      provisionedPollers: { minimum: 5, maximum: 50 },
    }).template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ProvisionedPollerConfig: { MinimumPollers: 5, MaximumPollers: 50 },
    });
  });
});
