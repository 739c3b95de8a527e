import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetEventSourceMappingCommand,
  LambdaClient,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CONSUMER_BREAKER_CONFIG_ENV_VAR,
  CONSUMER_BREAKER_PROBE_EVENT,
  type ConsumerBreakerConfig,
  type ConsumerBreakerReport,
  consumerBreakerConfigEnvironment,
  createConsumerBreakerController,
  type EventSourceMappingStatus,
  resolveConsumerBreakerConfig,
} from '../../../lib/consumerBreaker/index.js';
import { type AlarmState, type ConsumerEvent, parseFailsafeEvent } from '../../../lib/events/index.js';
import { ALARM_DELIVERIES, alarmPayload } from '../../helpers/alarmEvents.js';
import { lambdaContext } from '../../helpers/lambdaContext.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';

/**
 * The breaker controller function end to end over mocked AWS APIs: a fake event source mapping behind
 * Get/UpdateEventSourceMapping (so the controller reads back what it wrote), the alarm state behind
 * DescribeAlarms, and the events published on SNS.
 */
const lambda = mockClient(LambdaClient);
const cloudWatch = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);

const UUID = '3f8d9a52-1b7c-4e0a-9c6d-2f1e0b7a4c55';
const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:111122223333:orders';
const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:orders-worker';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:failsafe-events';
const START = Date.parse('2026-11-24T20:00:00.000Z');
const S = 1_000;

const CONFIG: ConsumerBreakerConfig = {
  mappingUuid: UUID,
  alarmName: 'orders-transient-failures',
  topicArn: TOPIC_ARN,
  coolDownSeconds: 300,
  probeSeconds: 120,
  halfOpenConcurrency: 2,
  fullConcurrency: 50,
};

interface MappingState {
  state: string;
  maximumConcurrency: number | undefined;
  lastModified: number;
}

let mapping: MappingState;
let alarmState: AlarmState | undefined;
let published: ConsumerEvent[];

function fakeAws(initial: Partial<MappingState> = {}) {
  mapping = { state: 'Enabled', maximumConcurrency: 50, lastModified: START - 3_600 * S, ...initial };
  alarmState = 'OK';
  published = [];
  lambda.on(GetEventSourceMappingCommand).callsFake(() => ({
    UUID,
    State: mapping.state,
    ScalingConfig:
      mapping.maximumConcurrency === undefined ? {} : { MaximumConcurrency: mapping.maximumConcurrency },
    LastModified: new Date(mapping.lastModified),
    EventSourceArn: QUEUE_ARN,
    FunctionArn: FUNCTION_ARN,
  }));
  lambda.on(UpdateEventSourceMappingCommand).callsFake((input) => {
    mapping = {
      state: input.Enabled ? 'Enabled' : 'Disabled',
      maximumConcurrency: input.ScalingConfig?.MaximumConcurrency,
      lastModified: Date.now(),
    };
    return { UUID, State: input.Enabled ? 'Enabling' : 'Disabling' };
  });
  cloudWatch.on(DescribeAlarmsCommand).callsFake(() => ({
    MetricAlarms: alarmState === undefined ? [] : [{ AlarmName: CONFIG.alarmName, StateValue: alarmState }],
  }));
  sns.on(PublishBatchCommand).callsFake((input) => {
    for (const entry of input.PublishBatchRequestEntries) {
      published.push(parseFailsafeEvent(JSON.parse(entry.Message)) as ConsumerEvent);
    }
    return {
      Successful: input.PublishBatchRequestEntries.map((entry: { Id: string }) => ({ Id: entry.Id })),
    };
  });
}

async function loadController(config: ConsumerBreakerConfig = CONFIG) {
  vi.resetModules();
  vi.stubEnv(
    CONSUMER_BREAKER_CONFIG_ENV_VAR,
    consumerBreakerConfigEnvironment(config)[CONSUMER_BREAKER_CONFIG_ENV_VAR] ?? '',
  );
  const { handler } = await import('../../../functions/breakerController/handler.js');
  return (event: unknown) => handler(event, lambdaContext(30_000, 'orders-breaker'));
}

const at = (ms: number) => vi.setSystemTime(START + ms);
const alarm = (delivery: (typeof ALARM_DELIVERIES)[number], state: AlarmState, changedAt = Date.now()) =>
  alarmPayload(delivery, { state, changedAt });
const updates = () => lambda.commandCalls(UpdateEventSourceMappingCommand).map((call) => call.args[0].input);

beforeEach(() => {
  lambda.reset();
  cloudWatch.reset();
  sns.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  at(0);
  fakeAws();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('consumer breaker controller', () => {
  describe.each(ALARM_DELIVERIES)('on an alarm delivered via %s', (delivery) => {
    it('pauses the consumer on ALARM: disables the mapping at the half-open concurrency, publishes consumer.paused', async () => {
      // Prepare
      const controller = await loadController();
      // Act
      const reports = await controller(alarm(delivery, 'ALARM'));
      // Assess
      expect(updates()).toEqual([{ UUID, Enabled: false, ScalingConfig: { MaximumConcurrency: 2 } }]);
      expect(reports).toEqual([
        expect.objectContaining({
          trigger: 'alarm',
          before: 'closed',
          action: 'pause',
          after: 'open',
          alarmState: 'ALARM',
        }),
      ]);
      expect(published).toEqual([
        expect.objectContaining({
          type: 'consumer.paused',
          source: expect.objectContaining({
            queueArn: QUEUE_ARN,
            queueName: 'orders',
            functionName: 'orders-worker',
          }),
          consumer: {
            mappingUuid: UUID,
            alarmName: 'orders-transient-failures',
            trigger: 'alarm',
            previousState: 'closed',
            reason: 'the transient-failure alarm went to ALARM',
            probeAfter: new Date(START + 300 * S).toISOString(),
          },
        }),
      ]);
    });

    it('restores the configured concurrency when the alarm returns to OK while half-open', async () => {
      fakeAws({ state: 'Enabled', maximumConcurrency: 2, lastModified: START - 30 * S });
      const controller = await loadController();
      const reports = await controller(alarm(delivery, 'OK'));
      expect(updates()).toEqual([{ UUID, Enabled: true, ScalingConfig: { MaximumConcurrency: 50 } }]);
      expect(reports[0]).toMatchObject({ before: 'half-open', action: 'close', after: 'closed' });
      expect(published).toEqual([
        expect.objectContaining({
          type: 'consumer.resumed',
          consumer: expect.objectContaining({
            mode: 'full',
            maximumConcurrency: 50,
            previousState: 'half-open',
          }),
        }),
      ]);
    });

    it('pauses again when failures return while half-open', async () => {
      fakeAws({ state: 'Enabled', maximumConcurrency: 2, lastModified: START - 30 * S });
      const controller = await loadController();
      const reports = await controller(alarm(delivery, 'ALARM'));
      expect(updates()).toEqual([{ UUID, Enabled: false, ScalingConfig: { MaximumConcurrency: 2 } }]);
      expect(reports[0]).toMatchObject({ before: 'half-open', action: 'pause', after: 'open' });
    });

    it('does not resume a paused consumer on OK: only the half-open probe can', async () => {
      fakeAws({ state: 'Disabled', maximumConcurrency: 2, lastModified: START - 30 * S });
      const controller = await loadController();
      const reports = await controller(alarm(delivery, 'OK'));
      expect(updates()).toEqual([]);
      expect(reports[0]).toMatchObject({ before: 'open', action: 'none' });
      expect(published).toEqual([]);
    });
  });

  it('probes half-open once the cool-down has passed, not before', async () => {
    // Prepare: paused at START.
    fakeAws({ state: 'Disabled', maximumConcurrency: 2, lastModified: START });
    const controller = await loadController();
    // Act
    at(299 * S);
    const early = await controller(CONSUMER_BREAKER_PROBE_EVENT);
    at(300 * S);
    const due = await controller(CONSUMER_BREAKER_PROBE_EVENT);
    // Assess
    expect(early[0]).toMatchObject({ action: 'none', reason: 'cooling down: 1 s until the half-open probe' });
    expect(due[0]).toMatchObject({ before: 'open', action: 'half-open', after: 'half-open' });
    expect(updates()).toEqual([{ UUID, Enabled: true, ScalingConfig: { MaximumConcurrency: 2 } }]);
    expect(published).toEqual([
      expect.objectContaining({
        type: 'consumer.resumed',
        consumer: expect.objectContaining({ mode: 'half-open', maximumConcurrency: 2, trigger: 'probe' }),
      }),
    ]);
    // A paused consumer's probe needs the clock only.
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
  });

  it.each<[AlarmState | undefined, string]>([
    ['ALARM', 'open'],
    ['OK', 'closed'],
    ['INSUFFICIENT_DATA', 'closed'],
  ])('after the probe window, decides by the alarm state (%s -> %s)', async (state, after) => {
    fakeAws({ state: 'Enabled', maximumConcurrency: 2, lastModified: START });
    const controller = await loadController();
    alarmState = state;
    at(60 * S);
    const waiting = await controller(CONSUMER_BREAKER_PROBE_EVENT);
    at(120 * S);
    const decided = await controller(CONSUMER_BREAKER_PROBE_EVENT);
    expect(waiting[0]).toMatchObject({ action: 'none' });
    expect(decided[0]).toMatchObject({ before: 'half-open', after, alarmState: state });
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input).toEqual({
      AlarmNames: ['orders-transient-failures'],
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
  });

  it('pauses a running consumer whose alarm is in ALARM on the probe (the alarm event was lost)', async () => {
    const controller = await loadController();
    alarmState = 'ALARM';
    const reports = await controller({ source: 'aws.events', 'detail-type': 'Scheduled Event' });
    expect(reports[0]).toMatchObject({ before: 'closed', action: 'pause', after: 'open' });
  });

  it('removes the maximum concurrency on close when the mapping is deployed without one', async () => {
    fakeAws({ state: 'Enabled', maximumConcurrency: 2, lastModified: START - 30 * S });
    const { fullConcurrency: _full, ...withoutFull } = CONFIG;
    const controller = await loadController(withoutFull);
    await controller(alarm('eventbridge', 'OK'));
    expect(updates()).toEqual([{ UUID, Enabled: true, ScalingConfig: {} }]);
    expect(published[0]).toMatchObject({ consumer: { mode: 'full' } });
    expect(published[0] && 'consumer' in published[0] && 'maximumConcurrency' in published[0].consumer).toBe(
      false,
    );
  });

  it('leaves alone a mapping someone else disabled (at another concurrency than the half-open one)', async () => {
    fakeAws({ state: 'Disabled', maximumConcurrency: 50, lastModified: START - 3_600 * S });
    const controller = await loadController();
    alarmState = 'ALARM';
    const reports = [
      ...(await controller(alarm('sns', 'ALARM'))),
      ...(await controller(CONSUMER_BREAKER_PROBE_EVENT)),
      ...(await controller(alarm('sns', 'OK'))),
    ];
    expect(updates()).toEqual([]);
    expect(reports.map((report) => [report.before, report.action])).toEqual([
      ['stopped', 'none'],
      ['stopped', 'none'],
      ['stopped', 'none'],
    ]);
  });

  it('ignores a stale alarm event (older than the mapping’s last change) and events of other alarms', async () => {
    fakeAws({ state: 'Enabled', maximumConcurrency: 2, lastModified: START - 10 * S });
    const controller = await loadController();
    const stale = await controller(alarm('alarm-action', 'ALARM', START - 60 * S));
    const other = await controller(
      alarmPayload('eventbridge', { state: 'ALARM', changedAt: Date.now(), alarmName: 'payments-latency' }),
    );
    expect(updates()).toEqual([]);
    expect(stale[0]?.reason).toMatch(/stale alarm event/);
    expect(other[0]?.reason).toBe('an event of another alarm (payments-latency)');
  });

  it('runs the whole cycle: pause, half-open, pause again, half-open, resume', async () => {
    // Prepare
    const controller = await loadController();
    const reports: ConsumerBreakerReport[] = [];
    const step = async (ms: number, event: unknown) => {
      at(ms);
      reports.push(...(await controller(event)));
    };
    // Act
    await step(0, alarm('sns', 'ALARM'));
    await step(60 * S, CONSUMER_BREAKER_PROBE_EVENT); // cooling down
    alarmState = 'ALARM'; // no traffic while paused: the alarm keeps its state (treatMissingData ignore)
    await step(300 * S, CONSUMER_BREAKER_PROBE_EVENT); // half-open
    await step(420 * S, CONSUMER_BREAKER_PROBE_EVENT); // still failing: pause again
    alarmState = 'OK';
    await step(720 * S, CONSUMER_BREAKER_PROBE_EVENT); // half-open again
    await step(750 * S, alarm('eventbridge', 'OK', START + 749 * S)); // healthy: full concurrency
    await step(800 * S, CONSUMER_BREAKER_PROBE_EVENT); // nothing to do
    // Assess
    expect(reports.map((report) => `${report.before} -${report.action}-> ${report.after}`)).toEqual([
      'closed -pause-> open',
      'open -none-> open',
      'open -half-open-> half-open',
      'half-open -pause-> open',
      'open -half-open-> half-open',
      'half-open -close-> closed',
      'closed -none-> closed',
    ]);
    expect(
      published.map((event) => [event.type, 'mode' in event.consumer ? event.consumer.mode : '-']),
    ).toEqual([
      ['consumer.paused', '-'],
      ['consumer.resumed', 'half-open'],
      ['consumer.paused', '-'],
      ['consumer.resumed', 'half-open'],
      ['consumer.resumed', 'full'],
    ]);
    expect(mapping).toMatchObject({ state: 'Enabled', maximumConcurrency: 50 });
  });

  it('retries an update the mapping refuses while it settles from its last change', async () => {
    vi.useRealTimers();
    fakeAws();
    const busy = Object.assign(new Error('The resource you requested is currently in use.'), {
      name: 'ResourceInUseException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    let refusals = 0;
    lambda.on(UpdateEventSourceMappingCommand).callsFake(() => {
      refusals += 1;
      if (refusals <= 1) throw busy;
      mapping = { state: 'Disabled', maximumConcurrency: 2, lastModified: Date.now() };
      return {};
    });
    const controller = await loadController();
    const reports = await controller(alarm('sns', 'ALARM'));
    expect(refusals).toBe(2);
    expect(reports[0]).toMatchObject({ action: 'pause', after: 'open' });
  });

  it('keeps the transition when the event cannot be published', async () => {
    sns
      .on(PublishBatchCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' }));
    const controller = await loadController();
    const reports = await controller(alarm('sns', 'ALARM'));
    expect(reports[0]).toMatchObject({ action: 'pause', after: 'open' });
    expect(mapping.state).toBe('Disabled');
  });

  it('publishes nothing without a topic', async () => {
    const { topicArn: _topic, ...withoutTopic } = CONFIG;
    const controller = await loadController(withoutTopic);
    await controller(alarm('sns', 'ALARM'));
    expect(sns.commandCalls(PublishBatchCommand)).toHaveLength(0);
    expect(mapping.state).toBe('Disabled');
  });

  it('throws on a payload that is neither an alarm change nor its schedule (the async invoke retries, then gives up)', async () => {
    const controller = await loadController();
    // Matched by name: the handler module was loaded fresh, with its own copy of the error classes.
    await expect(controller({ hello: 'world' })).rejects.toMatchObject({ name: 'InvalidEventError' });
    expect(lambda.commandCalls(GetEventSourceMappingCommand)).toHaveLength(0);
  });

  it('fails its cold start on a bad configuration, before touching the mapping', async () => {
    vi.resetModules();
    vi.stubEnv(CONSUMER_BREAKER_CONFIG_ENV_VAR, JSON.stringify({ alarmName: 'orders', coolDownSeconds: -5 }));
    await expect(import('../../../functions/breakerController/handler.js')).rejects.toMatchObject({
      name: 'InvalidOptionsError',
      problems: [
        'mappingUuid: is required: the breaker needs an event source mapping to control',
        'coolDownSeconds: must be an integer from 1 to 86400 (got -5)',
      ],
    });
    expect(lambda.commandCalls(GetEventSourceMappingCommand)).toHaveLength(0);
  });

  it('runs over any ports: an emulated mapping, a fixed alarm, a publisher that fails and a logger', async () => {
    // Prepare: what the local runtime plugs in instead of the AWS APIs.
    const logger = recordingLogger();
    let emulated: EventSourceMappingStatus = {
      uuid: UUID,
      state: 'Enabled',
      maximumConcurrency: undefined,
      lastModified: START - 60 * S,
      eventSourceArn: QUEUE_ARN,
      functionArn: undefined,
    };
    const controller = createConsumerBreakerController(
      resolveConsumerBreakerConfig({ ...CONFIG, fullConcurrency: undefined }),
      {
        mappings: {
          get: async () => emulated,
          update: async (_uuid, change) => {
            emulated = {
              ...emulated,
              state: change.enabled ? 'Enabled' : 'Disabled',
              maximumConcurrency: change.maximumConcurrency,
              lastModified: Date.now(),
            };
          },
        },
        alarms: { stateOf: async () => 'ALARM' },
        events: {
          publish: async () => {
            throw new Error('topic gone');
          },
        },
        logger,
      },
    );
    // Act
    const report = await controller.handle({ kind: 'probe', at: Date.now() }, 'request-1');
    // Assess
    expect(report).toMatchObject({ before: 'closed', action: 'pause', after: 'open', alarmState: 'ALARM' });
    expect(emulated).toMatchObject({ state: 'Disabled', maximumConcurrency: 2 });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'Breaker event not published; the transition itself is done',
        extra: [expect.objectContaining({ eventType: 'consumer.paused' })],
      }),
    );
  });
});
