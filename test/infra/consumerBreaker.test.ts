import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import type { FailsafeConsumerProps } from '../../infra/consumer/failsafeConsumerProps.js';
import {
  CONSUMER_BREAKER_CONFIG_ENV_VAR,
  resolveConsumerBreakerConfig,
} from '../../lib/config/consumerBreakerConfig.js';
import { CONSUMER_BREAKER_PROBE_EVENT } from '../../lib/consumerBreaker/consumerBreakerTrigger.js';
import { METRIC, METRICS_NAMESPACE, QUEUE_DIMENSION } from '../../lib/metrics/metricNames.js';
import {
  functionWithVariable,
  joinedText,
  onlyLogicalId,
  roleStatements,
  synthConsumer,
  testStack,
  variableText,
} from './helpers/consumerStack.js';

const ALARM = 'AWS::CloudWatch::Alarm';
const ALARM_NAME = /^Test-Consumer-[0-9A-F]{8}-TransientFailures$/;

/** The consumer with its circuit breaker, the redrive function off so that only the breaker's resources are added. */
function synthBreaker(props: FailsafeConsumerProps = {}) {
  const synthesized = synthConsumer({ redrive: false, ...props });
  const { template } = synthesized;
  const ids = {
    controller: functionWithVariable(template, CONSUMER_BREAKER_CONFIG_ENV_VAR),
    alarm: onlyLogicalId(template, ALARM, { AlarmName: Match.stringLikeRegexp('-TransientFailures$') }),
    mapping: onlyLogicalId(template, 'AWS::Lambda::EventSourceMapping'),
    queue: onlyLogicalId(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() }),
    topic: onlyLogicalId(template, 'AWS::SNS::Topic'),
    rule: onlyLogicalId(template, 'AWS::Events::Rule'),
  };
  const config = JSON.parse(variableText(template, ids.controller, CONSUMER_BREAKER_CONFIG_ENV_VAR));
  const resource = (id: string) => template.toJSON().Resources[id];
  return { ...synthesized, ids, config, resource };
}

describe('FailsafeConsumer: the consumer circuit breaker', () => {
  it('alarms on the share of this queue’s records failing transiently, once there are enough of them', () => {
    const { ids, resource, consumer } = synthBreaker();
    const records = (metricName: string) => ({
      MetricStat: {
        Metric: {
          Namespace: METRICS_NAMESPACE,
          MetricName: metricName,
          Dimensions: [{ Name: QUEUE_DIMENSION, Value: { 'Fn::GetAtt': [ids.queue, 'QueueName'] } }],
        },
        Period: 60,
        Stat: 'Sum',
      },
      ReturnData: false,
    });
    expect(resource(ids.alarm).Properties).toEqual({
      AlarmName: expect.stringMatching(ALARM_NAME),
      AlarmDescription: expect.stringContaining('a dependency is down'),
      Metrics: [
        {
          Id: 'expr_1',
          Label: 'Transient failure rate (%)',
          Expression: 'IF(transient >= 10, 100 * transient / (transient + FILL(succeeded, 0)), 0)',
          ReturnData: true,
        },
        { Id: 'transient', ...records(METRIC.transientFailures) },
        { Id: 'succeeded', ...records(METRIC.succeeded) },
      ],
      Threshold: 50,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ 'Fn::GetAtt': [ids.controller, 'Arn'] }],
      OKActions: [{ 'Fn::GetAtt': [ids.controller, 'Arn'] }],
    });
    expect(consumer.transientFailuresAlarm).toBeDefined();
    expect(consumer.breakerController).toBeDefined();
  });

  it('takes the alarm’s thresholds', () => {
    const { ids, resource } = synthBreaker({
      circuitBreaker: {
        threshold: 25,
        failureRatePercent: 80,
        period: Duration.minutes(2),
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        probeInterval: Duration.minutes(10),
      },
    });
    const properties = resource(ids.alarm).Properties;
    expect(properties).toMatchObject({ Threshold: 80, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    expect(properties.Metrics[0].Expression).toContain('IF(transient >= 25,');
    expect(properties.Metrics[1].MetricStat.Period).toBe(120);
  });

  it('lets CloudWatch invoke the controller from this alarm only', () => {
    const { template, ids } = synthBreaker();
    const permissions = template.findResources('AWS::Lambda::Permission', {
      Properties: { Principal: 'lambda.alarms.cloudwatch.amazonaws.com' },
    });
    expect(Object.values(permissions).map((permission) => permission.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [ids.controller, 'Arn'] },
        Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
        SourceAccount: '111122223333',
        SourceArn: { 'Fn::GetAtt': [ids.alarm, 'Arn'] },
      },
    ]);
  });

  it('runs the controller on Node.js 24, arm64, with reserved concurrency 1', () => {
    const { template } = synthBreaker();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [CONSUMER_BREAKER_CONFIG_ENV_VAR]: Match.anyValue() }) },
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 30,
      ReservedConcurrentExecutions: 1,
      LoggingConfig: { LogGroup: Match.anyValue() },
    });
  });

  it('configures the controller in SQS_FAILSAFE_BREAKER_CONFIG: this mapping, this alarm, the topic', () => {
    const { config, ids, resource } = synthBreaker({ maxConcurrency: 20 });
    expect(config).toEqual({
      version: 1,
      mappingUuid: `<${ids.mapping}>`,
      alarmName: resource(ids.alarm).Properties.AlarmName,
      topicArn: `<${ids.topic}>`,
      coolDownSeconds: 300,
      halfOpenConcurrency: 2,
      fullConcurrency: 20,
      probeSeconds: 300,
    });
    // Deployed, with a real UUID and topic, the controller accepts it at cold start.
    expect(() =>
      resolveConsumerBreakerConfig({
        ...config,
        mappingUuid: '3f8d9a52-1b7c-4e0a-9c6d-2f1e0b7a4c55',
        topicArn: 'arn:aws:sns:eu-west-1:111122223333:outcomes',
      }),
    ).not.toThrow();
  });

  it('restores no maximum when the mapping has none', () => {
    const { config } = synthBreaker();
    expect(config.fullConcurrency).toBeUndefined();
  });

  it('takes the controller’s settings', () => {
    const { config } = synthBreaker({
      maxConcurrency: 10,
      circuitBreaker: {
        cooldown: Duration.minutes(2),
        halfOpenConcurrency: 3,
        fullConcurrency: 10,
        probeInterval: Duration.minutes(4),
      },
    });
    expect(config).toMatchObject({
      coolDownSeconds: 120,
      halfOpenConcurrency: 3,
      fullConcurrency: 10,
      probeSeconds: 240,
    });
  });

  it('grants the controller this mapping, this alarm and the topic, nothing else', () => {
    const { template, ids, resource } = synthBreaker();
    const logGroupId = resource(ids.controller).Properties.LoggingConfig.LogGroup.Ref;
    const alarmName = resource(ids.alarm).Properties.AlarmName;
    expect(roleStatements(template, ids.controller)).toEqual([
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: `<${logGroupId}.Arn>` },
      {
        actions: ['lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping'],
        resource: `arn:<AWS::Partition>:lambda:eu-west-1:111122223333:event-source-mapping:<${ids.mapping}>`,
      },
      {
        actions: ['cloudwatch:DescribeAlarms'],
        resource: `arn:<AWS::Partition>:cloudwatch:eu-west-1:111122223333:alarm:${alarmName}`,
      },
      { actions: ['sns:Publish'], resource: `<${ids.topic}>` },
    ]);
  });

  it('adds the key actions for publishing to a topic with a customer managed key', () => {
    const { stack } = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new FailsafeConsumer(stack, 'Consumer', { encryptionKey: key, redrive: false });
    const template = Template.fromStack(stack);
    const keyId = onlyLogicalId(template, 'AWS::KMS::Key');
    const controllerId = functionWithVariable(template, CONSUMER_BREAKER_CONFIG_ENV_VAR);
    expect(roleStatements(template, controllerId)).toContainEqual({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resource: `<${keyId}.Arn>`,
    });
  });

  it('probes every probeInterval with CONSUMER_BREAKER_PROBE_EVENT', () => {
    const { template, ids, resource } = synthBreaker({
      circuitBreaker: { probeInterval: Duration.minutes(10) },
    });
    const rule = resource(ids.rule).Properties;
    expect(rule).toMatchObject({
      ScheduleExpression: 'rate(10 minutes)',
      State: 'ENABLED',
      Targets: [{ Arn: { 'Fn::GetAtt': [ids.controller, 'Arn'] }, Id: 'Target0', Input: expect.any(String) }],
    });
    expect(JSON.parse(rule.Targets[0].Input)).toEqual(CONSUMER_BREAKER_PROBE_EVENT);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [ids.controller, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ids.rule, 'Arn'] },
    });
  });

  it('shows the alarm on the dashboard with the transient failures', () => {
    const { stack, template, ids } = synthBreaker();
    const body = JSON.stringify(
      stack.resolve(
        Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
      ),
    );
    expect(body).toContain(ids.alarm);
    expect(body).toContain(METRIC.transientFailures);
  });

  it('is not created with circuitBreaker: false, which keeps the transient-failure alarm with no action', () => {
    const { template, consumer } = synthConsumer({ circuitBreaker: false, redrive: false });
    template.resourceCountIs('AWS::Events::Rule', 0);
    expect(
      template.findResources('AWS::Lambda::Function', {
        Properties: {
          Environment: {
            Variables: Match.objectLike({ [CONSUMER_BREAKER_CONFIG_ENV_VAR]: Match.anyValue() }),
          },
        },
      }),
    ).toEqual({});
    const alarm =
      template.toJSON().Resources[
        onlyLogicalId(template, ALARM, { AlarmName: Match.stringLikeRegexp('-TransientFailures$') })
      ].Properties;
    expect(alarm.AlarmActions).toBeUndefined();
    expect(alarm.OKActions).toBeUndefined();
    expect(alarm.AlarmDescription).not.toContain('circuit breaker');
    expect(alarm.Threshold).toBe(50);
    expect(consumer.transientFailuresAlarm).toBeDefined();
    expect(consumer.breakerController).toBeUndefined();
  });

  it('warns when messages can be dead-lettered before the alarm has reacted', () => {
    const { stack } = synthConsumer({ failsafe: { redeliveryBackoff: { scheduleSeconds: [10, 20] } } });
    Annotations.fromStack(stack).hasWarning(
      '/Test/Consumer',
      Match.stringLikeRegexp(
        'redelivery waits .* add up to at most 30 s, less than the transient-failure alarm.s 3 min',
      ),
    );
    const quiet = synthConsumer();
    Annotations.fromStack(quiet.stack).hasNoWarning(
      '/Test/Consumer',
      Match.stringLikeRegexp('redelivery waits'),
    );
  });

  it('names its alarm in the statement’s ARN as in the alarm itself', () => {
    const { template, ids, resource } = synthBreaker();
    const statement = roleStatements(template, ids.controller).find((s) =>
      s.actions.includes('cloudwatch:DescribeAlarms'),
    );
    expect(statement?.resource.endsWith(`:alarm:${resource(ids.alarm).Properties.AlarmName}`)).toBe(true);
    expect(joinedText(resource(ids.alarm).Properties.AlarmName)).toMatch(ALARM_NAME);
  });
});
