import { join } from 'node:path';
import {
  GetEventSourceMappingCommand,
  InvokeCommand,
  LambdaClient,
  UpdateEventSourceMappingCommand,
  type UpdateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda';
import { PublishCommand } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { LambdaAction, SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../local/localRuntime.js';
import { FIXTURE_FUNCTIONS, startRuntime, synthesizeFixtureApp } from '../../helpers/localRuntimeHarness.js';

/**
 * The parts of a stack the local runtime emulates besides the mapping: alarms on observed metrics (with
 * their direct Lambda and SNS actions, in AWS's payload shapes), composite alarms, schedules, SNS -> Lambda
 * subscriptions, and the Lambda API functions call. A recorder function writes every event it receives to a
 * queue the test reads.
 */
let runtime: LocalRuntime;
let cleanup: () => void;
let recordingsUrl: string;

interface Recording {
  functionName: string;
  event: Record<string, unknown>;
}

beforeAll(async () => {
  const fixture = synthesizeFixtureApp((stack) => {
    const recordings = new sqs.Queue(stack, 'Recordings');
    const watched = new sqs.Queue(stack, 'Watched');
    const consumed = new sqs.Queue(stack, 'Consumed', { visibilityTimeout: Duration.seconds(5) });
    const recorder = new lambda.Function(stack, 'Recorder', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(join(FIXTURE_FUNCTIONS, 'recorder')),
      environment: { RECORDINGS_QUEUE_URL: recordings.queueUrl },
    });
    const responder = new lambda.Function(stack, 'Responder', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(join(FIXTURE_FUNCTIONS, 'responder')),
    });
    responder.addEventSource(new SqsEventSource(consumed, { reportBatchItemFailures: true }));
    // A filtered mapping nothing sends to: filtering is not emulated, and the runtime says so.
    responder.addEventSource(
      new SqsEventSource(new sqs.Queue(stack, 'Filtered'), {
        filters: [lambda.FilterCriteria.filter({ body: { kind: lambda.FilterRule.isEqual('a') } })],
      }),
    );
    const topic = new sns.Topic(stack, 'Alarms');
    topic.addSubscription(new LambdaSubscription(recorder));
    const depth = new cloudwatch.Alarm(stack, 'Depth', {
      alarmName: 'watched-depth',
      metric: watched.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    depth.addAlarmAction(new LambdaAction(recorder, { useUniquePermissionId: true }));
    depth.addAlarmAction(new SnsAction(topic));
    const composite = new cloudwatch.CompositeAlarm(stack, 'Composite', {
      compositeAlarmName: 'any-trouble',
      alarmRule: cloudwatch.AlarmRule.anyOf(
        cloudwatch.AlarmRule.fromAlarm(depth, cloudwatch.AlarmState.ALARM),
      ),
    });
    composite.addAlarmAction(new LambdaAction(recorder, { useUniquePermissionId: true }));
    new events.Rule(stack, 'Every5Minutes', {
      schedule: events.Schedule.rate(Duration.minutes(5)),
      targets: [
        new targets.LambdaFunction(recorder, {
          event: events.RuleTargetInput.fromObject({ kind: 'scheduled' }),
        }),
      ],
    });
  });
  cleanup = fixture.cleanup;
  runtime = await startRuntime(fixture.assemblyDirectory, { timeScale: 60 });
  recordingsUrl =
    [...runtime.resources.queues.values()].find((queue) => queue.logicalId.startsWith('Recordings'))?.url ??
    '';
});

afterAll(async () => {
  await runtime?.stop();
  cleanup?.();
});

async function recordingsUntil(
  found: (recordings: Recording[]) => boolean,
  seconds = 15,
): Promise<Recording[]> {
  const recordings: Recording[] = [];
  const deadline = Date.now() + seconds * 1_000;
  while (!found(recordings) && Date.now() < deadline) {
    const { Messages = [] } = await runtime.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: recordingsUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 300,
      }),
    );
    recordings.push(...Messages.map((message) => JSON.parse(message.Body ?? '{}') as Recording));
  }
  return recordings;
}

describe('local alarms, schedules, SNS -> Lambda and the Lambda API', () => {
  it('fires an alarm on queue depth and performs its actions with AWS payloads: direct, SNS, composite', async () => {
    // Act
    const watched = [...runtime.resources.queues.values()].find((queue) =>
      queue.logicalId.startsWith('Watched'),
    );
    await runtime.sqs.send(new SendMessageCommand({ QueueUrl: watched?.url, MessageBody: 'pile up' }));
    const hasAll = (recordings: Recording[]) =>
      recordings.some(
        (r) => (r.event.alarmData as { alarmName?: string } | undefined)?.alarmName === 'watched-depth',
      ) &&
      recordings.some((r) => Array.isArray(r.event.Records)) &&
      recordings.some(
        (r) => (r.event.alarmData as { alarmName?: string } | undefined)?.alarmName === 'any-trouble',
      );
    const recordings = await recordingsUntil(hasAll);
    // Assess: the direct alarm action payload
    const direct = recordings.find(
      (r) => (r.event.alarmData as { alarmName?: string } | undefined)?.alarmName === 'watched-depth',
    );
    expect(direct?.event).toMatchObject({
      source: 'aws.cloudwatch',
      alarmArn: expect.stringMatching(/^arn:aws:cloudwatch:us-east-1:000000000000:alarm:watched-depth$/),
      region: 'us-east-1',
      alarmData: {
        state: { value: 'ALARM' },
        previousState: { value: expect.stringMatching(/^(OK|INSUFFICIENT_DATA)$/) },
        configuration: {
          metrics: [
            { metricStat: { metric: { namespace: 'AWS/SQS', name: 'ApproximateNumberOfMessagesVisible' } } },
          ],
        },
      },
    });
    // ...the SNS payload, delivered to the Lambda subscription as an SNS event
    const viaSns = recordings.find((r) => Array.isArray(r.event.Records));
    const record = (
      (viaSns?.event.Records ?? []) as { EventSource: string; Sns: { Message: string; Subject: string } }[]
    )[0];
    expect(record?.EventSource).toBe('aws:sns');
    expect(JSON.parse(record?.Sns.Message ?? '{}')).toMatchObject({
      AlarmName: 'watched-depth',
      NewStateValue: 'ALARM',
      OldStateValue: expect.stringMatching(/^(OK|INSUFFICIENT_DATA)$/),
      Region: 'US East (N. Virginia)',
      Trigger: {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ name: 'QueueName' }],
      },
    });
    expect(record?.Sns.Subject).toMatch(/^ALARM: "watched-depth"/);
    // ...and the composite alarm built on it
    expect(runtime.alarmStates.get('any-trouble')).toBe('ALARM');
  });

  it('runs schedules, compressed in time', async () => {
    const recordings = await recordingsUntil((found) => found.some((r) => r.event.kind === 'scheduled'), 15);
    expect(recordings.some((r) => r.event.kind === 'scheduled')).toBe(true);
  });

  it('delivers a plain SNS publish to the Lambda subscription as an SNS event', async () => {
    const topic = [...runtime.resources.topics.values()][0];
    await runtime.sns.send(
      new PublishCommand({
        TopicArn: topic?.arn,
        Message: 'hello',
        Subject: 'greeting',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'demo' } },
      }),
    );
    const recordings = await recordingsUntil((found) =>
      found.some(
        (r) =>
          (r.event.Records as { Sns?: { Message?: string } }[] | undefined)?.[0]?.Sns?.Message === 'hello',
      ),
    );
    const event = recordings.find(
      (r) => (r.event.Records as { Sns?: { Message?: string } }[] | undefined)?.[0]?.Sns?.Message === 'hello',
    );
    expect(((event?.event.Records ?? []) as { Sns: unknown }[])[0]?.Sns).toMatchObject({
      Type: 'Notification',
      TopicArn: topic?.arn,
      Subject: 'greeting',
      MessageAttributes: { kind: { Type: 'String', Value: 'demo' } },
    });
  });

  it("lists a mapping's FilterCriteria as not emulated: every message would reach the function", () => {
    expect([...runtime.resources.notEmulated]).toContainEqual([
      'AWS::Lambda::EventSourceMapping FilterCriteria (every message reaches the function)',
      1,
    ]);
  });

  it.each([
    // BatchSize 0 once left five pollers receiving nothing in a loop without a pause, which froze the runtime.
    [{ BatchSize: 0 }, /BatchSize: must be an integer from 1 to 10000 \(got 0\)/],
    [
      { BatchSize: 50, MaximumBatchingWindowInSeconds: 0 },
      /BatchSize: above 10 needs MaximumBatchingWindowInSeconds of at least 1/,
    ],
    [
      { MaximumBatchingWindowInSeconds: 900 },
      /MaximumBatchingWindowInSeconds: must be an integer from 0 to 300/,
    ],
    [
      { ScalingConfig: { MaximumConcurrency: 1 } },
      /ScalingConfig\.MaximumConcurrency: must be an integer from 2 to 1000/,
    ],
    [
      { FunctionResponseTypes: ['Bogus'] },
      /FunctionResponseTypes: must be \[\] or \["ReportBatchItemFailures"\]/,
    ],
  ] as const)(
    'refuses an UpdateEventSourceMapping Lambda would refuse, changing nothing: %j',
    async (update, message) => {
      // Prepare
      const client = new LambdaClient({
        region: 'us-east-1',
        endpoint: runtime.lambdaEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      const mapping = runtime.mappings[0];
      const before = { ...mapping?.spec, concurrency: mapping?.concurrency };

      // Act
      const act = client.send(
        new UpdateEventSourceMappingCommand({
          UUID: mapping?.spec.uuid,
          ...update,
        } as UpdateEventSourceMappingCommandInput),
      );

      // Assess
      await expect(act).rejects.toThrow(message);
      expect({ ...mapping?.spec, concurrency: mapping?.concurrency }).toEqual(before);
      client.destroy();
    },
  );

  it('serves Invoke and Get/UpdateEventSourceMapping to SDK clients', async () => {
    const client = new LambdaClient({
      region: 'us-east-1',
      endpoint: runtime.lambdaEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const responder = [...runtime.functions.values()].find((fn) => fn.spec.logicalId.startsWith('Responder'));
    const invoked = await client.send(
      new InvokeCommand({
        FunctionName: responder?.spec.name,
        Payload: Buffer.from(
          JSON.stringify({ Records: [{ body: JSON.stringify({ respond: { pong: true } }) }] }),
        ),
      }),
    );
    expect(JSON.parse(Buffer.from(invoked.Payload ?? []).toString())).toEqual({ pong: true });

    const mapping = runtime.mappings[0];
    const uuid = mapping?.spec.uuid;
    const updated = await client.send(
      new UpdateEventSourceMappingCommand({
        UUID: uuid,
        Enabled: false,
        ScalingConfig: { MaximumConcurrency: 2 },
      }),
    );
    expect(updated).toMatchObject({
      UUID: uuid,
      State: 'Disabled',
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    expect(mapping?.enabled).toBe(false);
    const read = await client.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    expect(read.State).toBe('Disabled');
    expect(read.LastModified).toBeInstanceOf(Date);

    // The changes doctor's fixes make take effect (batch size, window, partial batch responses)...
    const reshaped = await client.send(
      new UpdateEventSourceMappingCommand({
        UUID: uuid,
        BatchSize: 5,
        MaximumBatchingWindowInSeconds: 2,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    );
    expect(reshaped).toMatchObject({
      BatchSize: 5,
      MaximumBatchingWindowInSeconds: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(mapping?.spec).toMatchObject({
      batchSize: 5,
      batchingWindowSeconds: 2,
      reportBatchItemFailures: true,
    });
    // ...and one the local runtime does not emulate is refused, never silently ignored.
    await expect(
      client.send(
        new UpdateEventSourceMappingCommand({
          UUID: uuid,
          FilterCriteria: { Filters: [{ Pattern: '{"body":{"kind":["a"]}}' }] },
        }),
      ),
    ).rejects.toThrow(/FilterCriteria is not emulated locally/);
    client.destroy();
  });
});
