import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import cdkJson from '../../cdk.json' with { type: 'json' };
import { EFFECTS_TABLE_ENV_VAR } from '../../functions/worker/effects.js';
import { createExampleApp } from '../../infra/example/createExampleApp.js';
import { CONTEXT_PREFIX, EXAMPLE_DEFAULTS, readExampleContext } from '../../infra/example/exampleContext.js';
import { BATCH_CONFIG_ENV_VAR } from '../../lib/config/batchConfig.js';
import { CONSUMER_BREAKER_CONFIG_ENV_VAR } from '../../lib/config/consumerBreakerConfig.js';
import { REDRIVE_CONFIG_ENV_VAR } from '../../lib/config/redriveConfig.js';
import {
  functionWithVariable,
  roleStatements,
  SKIP_BUNDLING,
  variableText,
} from './helpers/consumerStack.js';

/** Context keys as `-c key=value` gives them: every value a string. */
function commandLine(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [CONTEXT_PREFIX + key, value]));
}

describe('example app', () => {
  it('synthesizes the example stack (snapshot)', () => {
    // Prepare
    const { app, stack } = createExampleApp({ context: { ...cdkJson.context, ...SKIP_BUNDLING } });

    // Act: synthesis also runs cdk-nag, which throws here on any unacknowledged error
    app.synth();

    // Assess
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  it('outputs the queue URLs, the topic ARN, the dashboard, the retry horizon, the redrive and the breaker', () => {
    const { stack } = createExampleApp({ context: SKIP_BUNDLING });
    const outputs = Template.fromStack(stack).findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'BreakerControllerName',
      'DashboardUrl',
      'DeadLetterQueueUrl',
      'QueueUrl',
      'RedriveFunctionName',
      'RetryHorizon',
      'TopicArn',
      'TransientFailuresAlarmName',
    ]);
    expect(outputs.RetryHorizon?.Value).toBe('37 min 40 s');
  });

  it('outputs the transient-failure alarm without the breaker: it still holds back redrives', () => {
    const context = commandLine({ circuitBreaker: 'false' });
    const { stack } = createExampleApp({ context: { ...SKIP_BUNDLING, ...context } });
    const outputs = Object.keys(Template.fromStack(stack).findOutputs('*'));
    expect(outputs).toContain('TransientFailuresAlarmName');
    expect(outputs).not.toContain('BreakerControllerName');
  });

  it('mails the consumer-health and DLQ alarms to alarmEmails through an alert topic', () => {
    const context = commandLine({ alarmEmails: 'ops@example.com,oncall@example.com' });
    const { stack } = createExampleApp({ context: { ...SKIP_BUNDLING, ...context } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    const alertTopic = Object.keys(template.findResources('AWS::SNS::Topic')).find((id) =>
      id.startsWith('Alerts'),
    );
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmActions: [{ Ref: alertTopic }],
    });
    expect(Object.keys(template.findOutputs('*'))).toContain('AlertTopicArn');
  });

  it('creates no alert topic without alarmEmails, and refuses a malformed address', () => {
    const { stack } = createExampleApp({ context: SKIP_BUNDLING });
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::SNS::Topic'))).toHaveLength(1);
    expect(() =>
      createExampleApp({
        context: { ...SKIP_BUNDLING, ...commandLine({ alarmEmails: 'ops-at-example.com' }) },
      }),
    ).toThrow(
      '  - sqs-failsafe:alarmEmails = "ops-at-example.com": expected each an email address, such as ops@example.com',
    );
  });

  it('outputs the parking queue and the tables when they are asked for', () => {
    const context = commandLine({ redriveParkingQueue: 'true', idempotency: 'true', effectsTable: 'true' });
    const { stack } = createExampleApp({ context: { ...SKIP_BUNDLING, ...context } });
    const outputs = Object.keys(Template.fromStack(stack).findOutputs('*'));
    expect(outputs).toEqual(
      expect.arrayContaining(['ParkingQueueUrl', 'IdempotencyTableName', 'EffectsTableName']),
    );
  });

  it('enables fault injection for demos only when asked', () => {
    const off = Template.fromStack(createExampleApp({ context: SKIP_BUNDLING }).stack);
    const on = Template.fromStack(
      createExampleApp({ context: { ...SKIP_BUNDLING, ...commandLine({ faultInjection: 'true' }) } }).stack,
    );
    const variables = (template: Template) =>
      template.toJSON().Resources[functionWithVariable(template, BATCH_CONFIG_ENV_VAR)].Properties.Environment
        .Variables;
    expect(variables(off).WORKER_FAULT_INJECTION).toBeUndefined();
    expect(variables(on).WORKER_FAULT_INJECTION).toBe('enabled');
  });

  it('deploys the redrive function and the circuit breaker by default, configured from context', () => {
    const context = commandLine({
      redriveCooldownSeconds: '60',
      redriveRatePerSecond: '20',
      redriveContinuation: 'schedule',
      breakerThreshold: '3',
      breakerFailureRatePercent: '75',
      breakerProbeSeconds: '600',
    });
    const template = Template.fromStack(
      createExampleApp({ context: { ...SKIP_BUNDLING, ...context } }).stack,
    );
    const redrive = JSON.parse(
      variableText(template, functionWithVariable(template, REDRIVE_CONFIG_ENV_VAR), REDRIVE_CONFIG_ENV_VAR),
    );
    expect(redrive).toMatchObject({ cooldownSeconds: 60, ratePerSecond: 20, continuation: 'schedule' });
    const breaker = JSON.parse(
      variableText(
        template,
        functionWithVariable(template, CONSUMER_BREAKER_CONFIG_ENV_VAR),
        CONSUMER_BREAKER_CONFIG_ENV_VAR,
      ),
    );
    expect(breaker).toMatchObject({ probeSeconds: 600, fullConcurrency: EXAMPLE_DEFAULTS.maxConcurrency });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('^IF\\(transient >= 3,') }),
      ]),
      Threshold: 75,
    });
  });

  it('leaves the redrive function and the breaker out when switched off', () => {
    const context = commandLine({ redrive: 'false', circuitBreaker: 'false' });
    const template = Template.fromStack(
      createExampleApp({ context: { ...SKIP_BUNDLING, ...context } }).stack,
    );
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::Events::Rule', 0);
  });

  it('keys idempotency by task id when switched on', () => {
    const context = commandLine({ idempotency: 'true', idempotencyExpiresAfterSeconds: '3600' });
    const template = Template.fromStack(
      createExampleApp({ context: { ...SKIP_BUNDLING, ...context } }).stack,
    );
    const config = JSON.parse(
      variableText(template, functionWithVariable(template, BATCH_CONFIG_ENV_VAR), BATCH_CONFIG_ENV_VAR),
    );
    expect(config.idempotency).toEqual({
      tableName: `<${tableWhoseIdIncludes(template, 'IdempotencyTable')}>`,
      keyPath: 'taskId',
      expiresAfterSeconds: 3_600,
    });
  });

  it('counts the worker’s effects in a table of its own only when asked, with UpdateItem and GetItem', () => {
    const off = Template.fromStack(createExampleApp({ context: SKIP_BUNDLING }).stack);
    // The attempt ledger only.
    off.resourceCountIs('AWS::DynamoDB::Table', 1);

    const on = Template.fromStack(
      createExampleApp({ context: { ...SKIP_BUNDLING, ...commandLine({ effectsTable: 'true' }) } }).stack,
    );
    const tableId = tableWhoseIdIncludes(on, 'Effects');
    on.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    const workerId = functionWithVariable(on, BATCH_CONFIG_ENV_VAR);
    expect(variableText(on, workerId, EFFECTS_TABLE_ENV_VAR)).toBe(`<${tableId}>`);
    expect(roleStatements(on, workerId)).toContainEqual({
      actions: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
      resource: `<${tableId}.Arn>`,
    });
  });
});

describe('example context', () => {
  it('lists every key in cdk.json with its default', () => {
    const keys = Object.keys(cdkJson.context).map((key) => key.slice(CONTEXT_PREFIX.length));
    expect(keys.sort()).toEqual(Object.keys(EXAMPLE_DEFAULTS).sort());
    expect(readExampleContext(new App({ context: cdkJson.context }).node)).toEqual(EXAMPLE_DEFAULTS);
  });

  it('reads -c strings: booleans, numbers, comma lists and null', () => {
    const app = new App({
      context: commandLine({
        fifo: 'true',
        batchSize: '5',
        redeliveryScheduleSeconds: '5,30',
        notificationEvents: 'message.succeeded,message.failed',
        maxConcurrency: 'null',
        redrive: 'false',
        redriveContinuation: 'schedule',
        idempotencyKeyPath: 'null',
      }),
    });
    expect(readExampleContext(app.node)).toMatchObject({
      fifo: true,
      batchSize: 5,
      redeliveryScheduleSeconds: [5, 30],
      notificationEvents: ['message.succeeded', 'message.failed'],
      maxConcurrency: undefined,
      redrive: false,
      redriveContinuation: 'schedule',
      idempotencyKeyPath: undefined,
    });
  });

  it('still reads a key under the name it had before (breakerCoolDownSeconds)', () => {
    const app = new App({ context: commandLine({ breakerCoolDownSeconds: '120' }) });
    expect(readExampleContext(app.node).breakerCooldownSeconds).toBe(120);
    const both = new App({
      context: commandLine({ breakerCoolDownSeconds: '120', breakerCooldownSeconds: '60' }),
    });
    expect(readExampleContext(both.node).breakerCooldownSeconds).toBe(60);
  });

  it('refuses a negative length of time by its key, before it becomes a Duration', () => {
    const app = new App({
      context: commandLine({ retentionDays: '-1', breakerCooldownSeconds: '-5' }),
    });
    expect(() => readExampleContext(app.node)).toThrow(
      [
        'sqs-failsafe example: 2 malformed context value(s)',
        '  - sqs-failsafe:retentionDays = "-1": expected a number of days, 0 or more',
        '  - sqs-failsafe:breakerCooldownSeconds = "-5": expected a number of seconds, 0 or more',
      ].join('\n'),
    );
  });

  it('refuses a key it does not know, suggesting the one meant', () => {
    const app = new App({ context: commandLine({ batchsize: '5', retries: '3' }) });
    expect(() => readExampleContext(app.node)).toThrow(
      [
        'sqs-failsafe example: 2 malformed context value(s)',
        '  - sqs-failsafe:batchsize = "5": not a context key of the example; did you mean sqs-failsafe:batchSize?',
        '  - sqs-failsafe:retries = "3": not a context key of the example (docs/deploy.md lists them)',
      ].join('\n'),
    );
  });

  it('names the context key of a value the construct refuses', () => {
    expect(() =>
      createExampleApp({ context: { ...SKIP_BUNDLING, ...commandLine({ fifo: 'true', batchSize: '20' }) } }),
    ).toThrow(
      [
        'sqs-failsafe example: 1 invalid context value(s); fix them in cdk.json or with -c',
        '  - sqs-failsafe:batchSize (prop batchSize) = 20: an integer from 1 to 10 for FIFO queues',
      ].join('\n'),
    );
  });

  it('lists every malformed value in one error', () => {
    const app = new App({
      context: commandLine({
        fifo: 'maybe',
        batchSize: 'ten',
        notificationEvents: 'message.lost',
        redriveContinuation: 'later',
        circuitBreaker: 'on',
      }),
    });
    expect(() => readExampleContext(app.node)).toThrow(
      [
        'sqs-failsafe example: 5 malformed context value(s)',
        '  - sqs-failsafe:notificationEvents = "message.lost": expected each one of message.succeeded, ' +
          'message.failed, message.retry-scheduled, message.dead-lettered, batch.completed',
        '  - sqs-failsafe:fifo = "maybe": expected true or false',
        '  - sqs-failsafe:batchSize = "ten": expected a number',
        '  - sqs-failsafe:redriveContinuation = "later": expected "self-invoke" or "schedule"',
        '  - sqs-failsafe:circuitBreaker = "on": expected true or false',
      ].join('\n'),
    );
  });
});

/** One of the stack's DynamoDB tables, told apart by its logical id (every consumer has an attempt ledger). */
function tableWhoseIdIncludes(template: Template, part: string): string {
  const ids = Object.keys(template.findResources('AWS::DynamoDB::Table')).filter((id) => id.includes(part));
  if (ids.length !== 1) throw new Error(`expected one table whose id includes ${part}, found ${ids.length}`);
  return ids[0] as string;
}
