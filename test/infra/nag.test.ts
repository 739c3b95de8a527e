import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import type { FailsafeConsumerProps } from '../../infra/consumer/failsafeConsumerProps.js';
import { createExampleApp } from '../../infra/example/createExampleApp.js';
import { CONTEXT_PREFIX } from '../../infra/example/exampleContext.js';
import { SKIP_BUNDLING, testStack } from './helpers/consumerStack.js';

/** Every unacknowledged AwsSolutions finding (errors and warnings) as `rule at path`. */
function findings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing in the construct with its defaults', () => {
    const { app, stack } = testStack();
    new FailsafeConsumer(stack, 'Consumer');
    expect(findings(app)).toEqual([]);
  });

  it('finds nothing with a customer managed key on FIFO queues', () => {
    const { app, stack } = testStack();
    const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new FailsafeConsumer(stack, 'Consumer', { fifo: true, encryptionKey });
    expect(findings(app)).toEqual([]);
  });

  it.each<[string, FailsafeConsumerProps]>([
    ['the breaker and the redrive function off', { redrive: false, circuitBreaker: false }],
    ['the breaker on, the redrive function off', { redrive: false, maxConcurrency: 10 }],
    ['the redrive function on, the breaker off', { circuitBreaker: false }],
    [
      'a redrive on schedule with a parking queue',
      { redrive: { continuation: 'schedule', parkingQueue: true } },
    ],
    ['idempotency on', { idempotency: { keyPath: 'order.id' } }],
    [
      'provisioned pollers, mapping metrics and the DLQ destroyed on delete',
      {
        circuitBreaker: false,
        provisionedPollers: { minimum: 2, maximum: 20 },
        mappingMetrics: true,
        deadLetterRemovalPolicy: RemovalPolicy.DESTROY,
        redrive: { parkingQueue: true },
      },
    ],
  ])('finds nothing with %s', (_case, props) => {
    const { app, stack } = testStack();
    new FailsafeConsumer(stack, 'Consumer', props);
    expect(findings(app)).toEqual([]);
  });

  it('finds nothing with topic subscriptions and a rule as sources, with and without a customer managed key', () => {
    for (const customerManagedKey of [false, true]) {
      const { app, stack } = testStack();
      const encryptionKey = customerManagedKey
        ? new kms.Key(stack, 'Key', { enableKeyRotation: true })
        : undefined;
      const upstream = new sns.Topic(stack, 'Upstream', { enforceSSL: true, masterKey: encryptionKey });
      const rule = new events.Rule(stack, 'Shipped', { eventPattern: { source: ['shipping'] } });
      new FailsafeConsumer(stack, 'Consumer', {
        encryptionKey,
        topicSubscriptions: [
          { topic: upstream },
          { topic: sns.Topic.fromTopicArn(stack, 'Partner', 'arn:aws:sns:us-east-1:444455556666:orders') },
        ],
        eventRules: [{ rule }],
      });
      expect(findings(app), `customer managed key: ${customerManagedKey}`).toEqual([]);
    }
  });

  it('finds nothing with everything on and a customer managed key', () => {
    const { app, stack } = testStack();
    const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new FailsafeConsumer(stack, 'Consumer', {
      fifo: true,
      encryptionKey,
      maxConcurrency: 10,
      redrive: { parkingQueue: true },
      idempotency: {},
    });
    expect(findings(app)).toEqual([]);
  });

  it('finds nothing in the example app, which runs the pack at synthesis', () => {
    for (const context of [
      { customerManagedKey: 'false' },
      { customerManagedKey: 'true' },
      {
        customerManagedKey: 'true',
        idempotency: 'true',
        effectsTable: 'true',
        redriveParkingQueue: 'true',
        redriveContinuation: 'schedule',
      },
      { idempotency: 'true', effectsTable: 'true', fifo: 'true', batchSize: '10' },
      { redrive: 'false', circuitBreaker: 'false' },
      { alarmEmails: 'ops@example.com' },
      { topology: 'fanout' },
      { topology: 'fanout', customerManagedKey: 'true' },
    ]) {
      const { app } = createExampleApp({
        context: {
          ...SKIP_BUNDLING,
          ...Object.fromEntries(Object.entries(context).map(([key, value]) => [CONTEXT_PREFIX + key, value])),
        },
      });
      expect(findings(app), JSON.stringify(context)).toEqual([]);
      expect(() => app.synth()).not.toThrow();
    }
  });

  it('with tracing, reports only the X-Ray statement each role needs on * (the user acknowledges it, documented)', () => {
    const { app, stack } = testStack();
    new FailsafeConsumer(stack, 'Consumer', { tracing: true });
    expect(findings(app).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*] at Test/Consumer/CircuitBreaker/ControllerRole/DefaultPolicy/Resource',
      'AwsSolutions-IAM5[Resource::*] at Test/Consumer/ConsumerRole/DefaultPolicy/Resource',
      'AwsSolutions-IAM5[Resource::*] at Test/Consumer/Redrive/FunctionRole/DefaultPolicy/Resource',
    ]);
  });

  it('reports what a user adds, until it is acknowledged with a reason', () => {
    // Prepare: a redrive stand-in with CDK's default role, which carries a managed policy
    const { app, stack } = testStack();
    const redriveFunction = new lambda.Function(stack, 'Redrive', {
      runtime: lambda.Runtime.NODEJS_24_X,
      code: lambda.Code.fromInline('export const handler = async () => {};'),
      handler: 'index.handler',
    });
    new FailsafeConsumer(stack, 'Consumer', { redriveFunction });

    // Act + Assess
    expect(findings(app)).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] at Test/Redrive/ServiceRole/Resource',
    ]);
    Validations.of(redriveFunction).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'Test stand-in for the redrive function: it only needs to exist for the wiring to be checked.',
    });
    expect(findings(app)).toEqual([]);
  });
});
