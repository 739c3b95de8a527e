import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import cdkJson from '../../cdk.json' with { type: 'json' };
import { createExampleApp } from '../../infra/example/createExampleApp.js';
import { CONTEXT_PREFIX, EXAMPLE_DEFAULTS, readExampleContext } from '../../infra/example/exampleContext.js';
import { CONFIG_ENV_VAR } from '../../lib/config/failsafeConfig.js';
import { functionWithVariable, SKIP_BUNDLING } from './helpers/consumerStack.js';

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

  it('outputs the queue URLs, the topic ARN, the dashboard and the retry horizon', () => {
    const { stack } = createExampleApp({ context: SKIP_BUNDLING });
    const outputs = Template.fromStack(stack).findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'DashboardUrl',
      'DeadLetterQueueUrl',
      'QueueUrl',
      'RetryHorizon',
      'TopicArn',
    ]);
    expect(outputs.RetryHorizon?.Value).toBe('27 min 10 s');
  });

  it('enables fault injection for demos only when asked', () => {
    const off = Template.fromStack(createExampleApp({ context: SKIP_BUNDLING }).stack);
    const on = Template.fromStack(
      createExampleApp({ context: { ...SKIP_BUNDLING, ...commandLine({ faultInjection: 'true' }) } }).stack,
    );
    const variables = (template: Template) =>
      template.toJSON().Resources[functionWithVariable(template, CONFIG_ENV_VAR)].Properties.Environment
        .Variables;
    expect(variables(off).WORKER_FAULT_INJECTION).toBeUndefined();
    expect(variables(on).WORKER_FAULT_INJECTION).toBe('enabled');
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
      }),
    });
    expect(readExampleContext(app.node)).toMatchObject({
      fifo: true,
      batchSize: 5,
      redeliveryScheduleSeconds: [5, 30],
      notificationEvents: ['message.succeeded', 'message.failed'],
      maxConcurrency: undefined,
    });
  });

  it('lists every malformed value in one error', () => {
    const app = new App({
      context: commandLine({ fifo: 'maybe', batchSize: 'ten', notificationEvents: 'message.lost' }),
    });
    expect(() => readExampleContext(app.node)).toThrow(
      [
        'sqs-failsafe example: 3 malformed context value(s)',
        '  - sqs-failsafe:notificationEvents = "message.lost": expected each one of message.succeeded, ' +
          'message.failed, message.retry-scheduled, message.dead-lettered, batch.completed',
        '  - sqs-failsafe:fifo = "maybe": expected true or false',
        '  - sqs-failsafe:batchSize = "ten": expected a number',
      ].join('\n'),
    );
  });
});
