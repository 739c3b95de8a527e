import { readFileSync } from 'node:fs';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListRuleNamesByTargetCommand,
  type ListRuleNamesByTargetCommandInput,
} from '@aws-sdk/client-eventbridge';
import {
  type EventSourceMappingConfiguration,
  GetEventSourceMappingCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  type ListEventSourceMappingsCommandInput,
} from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BATCH_CONFIG_ENV_VAR } from '../../lib/config/batchConfig.js';
import { CONSUMER_BREAKER_CONFIG_ENV_VAR } from '../../lib/config/consumerBreakerConfig.js';
import { REDRIVE_CONFIG_ENV_VAR } from '../../lib/config/redriveConfig.js';
import {
  DOCTOR_IAM_ACTIONS,
  diagnoseConsumers,
  type LiveConsumerClients,
} from '../../lib/liveSetup/liveConsumers.js';
import { SETUP_RULES } from '../../lib/setupRules/setupRules.js';
import { type LocalAws, startLocalAws } from '../helpers/localAws.js';

/**
 * `sqs-failsafe doctor` on the embedded SQS server: queues are real; the Lambda and CloudWatch APIs, which the
 * server does not have, are stubbed with what AWS answers. A sound consumer has no finding; each
 * misconfiguration a live account can show is reported by its rule, with both fixes. Every call is a read.
 */
describe('doctor on a live setup', () => {
  let aws: LocalAws;
  let sqs: SQSClient;
  const lambda = new LambdaClient({ region: 'eu-west-1' });
  const cloudWatch = new CloudWatchClient({ region: 'eu-west-1' });
  const lambdaMock = mockClient(lambda);
  const cloudWatchMock = mockClient(cloudWatch);
  const cloudFormation = new CloudFormationClient({ region: 'eu-west-1' });
  const cloudFormationMock = mockClient(cloudFormation);
  const eventBridge = new EventBridgeClient({ region: 'eu-west-1' });
  const eventBridgeMock = mockClient(eventBridge);
  const sqsCommands: string[] = [];
  /** ListDeadLetterSourceQueues' answers, by DLQ URL. */
  const deadLetterSources = new Map<string, string[]>();
  let clients: LiveConsumerClients;

  beforeAll(async () => {
    aws = await startLocalAws();
    // As the CLI's client with an endpoint override: the embedded server's queue URLs name a host of their own.
    sqs = new SQSClient({ region: aws.region, useQueueUrlAsEndpoint: false });
    // Read-only proven: any SQS call that is not a read fails the test's doctor run.
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        sqsCommands.push(String(context.commandName));
        if (!/^(Get|List)/.test(String(context.commandName))) {
          throw new Error(`doctor made a write call: ${context.commandName}`);
        }
        return next(args);
      },
      { step: 'initialize', name: 'readOnlyGuard' },
    );
    // The embedded server has no ListDeadLetterSourceQueues: answered here, as AWS would, from deadLetterSources.
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'ListDeadLetterSourceQueuesCommand') return next(args);
        const { QueueUrl } = args.input as { QueueUrl: string };
        return { output: { queueUrls: deadLetterSources.get(QueueUrl) ?? [], $metadata: {} }, response: {} };
      },
      { step: 'initialize', name: 'deadLetterSources', priority: 'low' },
    );
    clients = { sqs, lambda, cloudWatch, cloudFormation, eventBridge };
  });

  afterAll(async () => {
    // Every call doctor made, on every client, was a read, and is among the IAM actions docs/doctor.md lists.
    const actions = [...sqsCommands.map((name) => `sqs:${name}`), ...stubbedCalls].map((action) =>
      action.replace(/Command$/, ''),
    );
    for (const action of actions) expect(action).toMatch(/^\w+:(Get|List|Describe)\w+$/);
    expect(new Set(actions)).toEqual(new Set(DOCTOR_IAM_ACTIONS));
    const documented = readFileSync(new URL('../../docs/doctor.md', import.meta.url), 'utf8');
    for (const action of DOCTOR_IAM_ACTIONS) expect(documented).toContain(`"${action}"`);
    await aws.stop();
  });

  /** The calls the stubbed clients took, kept across their resets. */
  const stubbedCalls: string[] = [];
  afterEach(() => {
    for (const [service, mock] of [
      ['lambda', lambdaMock],
      ['cloudwatch', cloudWatchMock],
      ['cloudformation', cloudFormationMock],
      ['events', eventBridgeMock],
    ] as const) {
      stubbedCalls.push(...mock.calls().map((call) => `${service}:${call.args[0].constructor.name}`));
    }
  });

  beforeEach(() => {
    deadLetterSources.clear();
    lambdaMock.reset();
    cloudWatchMock.reset();
    cloudFormationMock.reset();
    eventBridgeMock.reset();
  });

  interface Consumer {
    readonly work?: Record<string, string>;
    readonly dlq?: Record<string, string>;
    readonly maxReceiveCount?: number;
    readonly mapping?: Partial<EventSourceMappingConfiguration>;
    readonly timeoutSeconds?: number;
    /** Merged into the consumer's SQS_FAILSAFE_CONFIG (deadLetter: into its deadLetter). */
    readonly runtimeConfig?: Record<string, unknown>;
    /** SQS_FAILSAFE_CONFIG as written, instead of the JSON above; null: no such variable (not sqs-failsafe). */
    readonly configText?: string | null;
    /** Merged into the breaker controller's SQS_FAILSAFE_BREAKER_CONFIG. */
    readonly breakerConfig?: Record<string, unknown>;
    /** Merged into the redrive function's SQS_FAILSAFE_REDRIVE_CONFIG. */
    readonly redriveConfig?: Record<string, unknown>;
    readonly reservedConcurrency?: number;
    /**
     * The alarms; by default one on the DLQ that pages through SNS, one on the parking queue, and those whose
     * actions are the redrive function (DLQ) and the breaker controller (transient failures), as the construct
     * wires them.
     */
    readonly alarms?: (names: AlarmNames) => MetricAlarm[];
    /**
     * The EventBridge rules that invoke the redrive function; by default one enabled schedule, as the construct
     * creates it (redrive.scheduleInterval).
     */
    readonly redriveRules?: readonly RedriveRule[];
  }

  interface RedriveRule {
    readonly name: string;
    readonly scheduleExpression?: string;
    readonly eventPattern?: string;
    readonly state?: 'ENABLED' | 'DISABLED';
  }

  interface AlarmNames {
    readonly queue: string;
    readonly dlq: string;
    readonly parking: string;
  }

  const MAPPING_UUID = '0f4c5d1e-7a2b-4c3d-9e8f-1a2b3c4d5e6f';
  const ACCOUNT = 'arn:aws:lambda:eu-west-1:111122223333:function';
  const REDRIVE_ARN = `${ACCOUNT}:orders-redrive`;
  const BREAKER_ARN = `${ACCOUNT}:orders-breaker`;

  /** A consumer as a team runs it: sound, with the changes given. Returns the work queue's URL. */
  async function consumer(
    spec: Consumer = {},
  ): Promise<{ url: string; name: string; dlqUrl: string; parkingName: string }> {
    const dlq = await aws.createQueue('orders-dlq', { MessageRetentionPeriod: '1209600', ...spec.dlq });
    const parking = await aws.createQueue('orders-parked', { MessageRetentionPeriod: '1209600' });
    const queue = await aws.createQueue('orders', {
      VisibilityTimeout: '180',
      MessageRetentionPeriod: '345600',
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: spec.maxReceiveCount ?? 5,
      }),
      ...spec.work,
    });
    const mapping: EventSourceMappingConfiguration = {
      UUID: MAPPING_UUID,
      EventSourceArn: queue.arn,
      FunctionArn: `${ACCOUNT}:orders-consumer`,
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ...spec.mapping,
    };
    stubMappings([mapping]);
    const { deadLetter, ...runtimeConfig } = spec.runtimeConfig ?? {};
    const consumerConfig = JSON.stringify({
      version: 1,
      deadLetter: { queueUrl: dlq.url, maxAttempts: 4, ...(deadLetter as object | undefined) },
      ...runtimeConfig,
    });
    const functions: Record<string, { Timeout: number; Variables: Record<string, string> }> = {
      'orders-consumer': {
        Timeout: spec.timeoutSeconds ?? 30,
        Variables:
          spec.configText === null ? {} : { [BATCH_CONFIG_ENV_VAR]: spec.configText ?? consumerConfig },
      },
      'orders-redrive': {
        Timeout: 900,
        Variables: {
          [REDRIVE_CONFIG_ENV_VAR]: JSON.stringify({
            dlqUrl: dlq.url,
            sourceQueueUrl: queue.url,
            parkingQueueUrl: parking.url,
            ...spec.redriveConfig,
          }),
        },
      },
      'orders-breaker': {
        Timeout: 30,
        Variables: {
          [CONSUMER_BREAKER_CONFIG_ENV_VAR]: JSON.stringify({
            mappingUuid: MAPPING_UUID,
            alarmName: 'orders-transient-failures',
            ...spec.breakerConfig,
          }),
        },
      },
    };
    lambdaMock.on(GetFunctionConfigurationCommand).callsFake(({ FunctionName }: { FunctionName: string }) => {
      const name = FunctionName.split(':').at(-1) ?? FunctionName;
      const fn = functions[name];
      if (fn === undefined)
        throw Object.assign(new Error(`Function not found: ${FunctionName}`), {
          name: 'ResourceNotFoundException',
        });
      return { FunctionName: name, Timeout: fn.Timeout, Environment: { Variables: fn.Variables } };
    });
    lambdaMock
      .on(GetFunctionConcurrencyCommand)
      .resolves(
        spec.reservedConcurrency === undefined
          ? {}
          : { ReservedConcurrentExecutions: spec.reservedConcurrency },
      );
    stubRedriveRules(
      spec.redriveRules ?? [{ name: 'orders-redrive-schedule', scheduleExpression: 'rate(5 minutes)' }],
    );
    const alarms = (spec.alarms ?? wiredAlarms)({ queue: queue.name, dlq: dlq.name, parking: parking.name });
    cloudWatchMock.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => ({
      MetricAlarms: input.AlarmTypes?.includes('MetricAlarm') === false ? [] : alarms,
    }));
    return { url: queue.url, name: queue.name, dlqUrl: dlq.url, parkingName: parking.name };
  }

  /** The rules whose target is the redrive function, one per ListRuleNamesByTarget page as AWS may page them. */
  function stubRedriveRules(rules: readonly RedriveRule[]) {
    eventBridgeMock
      .on(ListRuleNamesByTargetCommand)
      .callsFake(({ TargetArn, NextToken }: ListRuleNamesByTargetCommandInput) => {
        if (TargetArn !== REDRIVE_ARN) return { RuleNames: [] };
        const index = NextToken === undefined ? 0 : Number(NextToken);
        const rule = rules[index];
        return {
          RuleNames: rule === undefined ? [] : [rule.name],
          NextToken: index + 1 < rules.length ? String(index + 1) : undefined,
        };
      });
    eventBridgeMock.on(DescribeRuleCommand).callsFake(({ Name }: { Name: string }) => {
      const rule = rules.find((each) => each.name === Name);
      if (rule === undefined)
        throw Object.assign(new Error(`Rule ${Name} does not exist.`), { name: 'ResourceNotFoundException' });
      return {
        Name,
        Arn: `arn:aws:events:eu-west-1:111122223333:rule/${Name}`,
        State: rule.state ?? 'ENABLED',
        ScheduleExpression: rule.scheduleExpression,
        EventPattern: rule.eventPattern,
      };
    });
  }

  /** ListEventSourceMappings as AWS filters it, by source or function. */
  function stubMappings(mappings: readonly EventSourceMappingConfiguration[]) {
    lambdaMock.on(ListEventSourceMappingsCommand).callsFake((input: ListEventSourceMappingsCommandInput) => ({
      EventSourceMappings: mappings.filter(
        (mapping) =>
          (input.EventSourceArn === undefined || mapping.EventSourceArn === input.EventSourceArn) &&
          (input.FunctionName === undefined || mapping.FunctionArn?.endsWith(`:${input.FunctionName}`)),
      ),
    }));
  }

  const SNS_ACTION = 'arn:aws:sns:eu-west-1:111122223333:ops';
  const queueAlarm = (name: string, queue: string, actions: string[]): MetricAlarm => ({
    AlarmName: name,
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: queue }],
    AlarmActions: actions,
  });

  const soundAlarms = ({ dlq }: { dlq: string }): MetricAlarm[] => [
    queueAlarm('orders-dlq-not-empty', dlq, [SNS_ACTION]),
  ];

  /** The alarms as the construct wires them: the redrive function and the breaker controller are actions. */
  const wiredAlarms = ({ dlq, parking }: AlarmNames): MetricAlarm[] => [
    queueAlarm('orders-dlq-not-empty', dlq, [REDRIVE_ARN, SNS_ACTION]),
    queueAlarm('orders-parked', parking, [SNS_ACTION]),
    {
      AlarmName: 'orders-transient-failures',
      Namespace: 'sqs-failsafe',
      MetricName: 'TransientFailures',
      Dimensions: [{ Name: 'FunctionName', Value: 'orders-consumer' }],
      AlarmActions: [BREAKER_ARN],
      OKActions: [BREAKER_ARN],
    },
  ];

  it('finds nothing wrong with a sound consumer', async () => {
    const { url } = await consumer();
    const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);
    expect(diagnosis).toMatchObject({
      functionName: 'orders-consumer',
      mappingUuid: MAPPING_UUID,
      unread: [],
    });
    expect(diagnosis?.findings).toEqual([]);
  });

  // One misconfiguration per rule a live account can show, each with the prop its construct fix names and its
  // AWS fix. skipped-dead-letter-alarm-looked-at-again is not among them: its schedule is an EventBridge rule,
  // which doctor does not read.
  const misconfigurations: readonly [
    rule: string,
    severity: 'error' | 'warning',
    prop: string,
    spec: Consumer,
    awsFix: RegExp,
  ][] = [
    [
      'runtime-configuration-valid',
      'error',
      'failsafe',
      { configText: '{"deadLetter": {"maxAttempts": 4' },
      /correct SQS_FAILSAFE_CONFIG \(is not valid JSON .*--function-name orders-consumer/,
    ],
    [
      'dead-letter-queue-configured',
      'error',
      'maxReceiveCount',
      // A consumer that does not run sqs-failsafe: judged on the rules that make sense without it.
      { work: { RedrivePolicy: '' }, configText: null, alarms: soundAlarms },
      /aws sqs create-queue --queue-name \S+-dlq /,
    ],
    [
      'reports-batch-item-failures',
      'error',
      'consumerFunction',
      { mapping: { FunctionResponseTypes: [] } },
      new RegExp(
        `aws lambda update-event-source-mapping --uuid ${MAPPING_UUID} --function-response-types ReportBatchItemFailures`,
      ),
    ],
    [
      'visibility-timeout-covers-invocations',
      'error',
      'visibilityTimeout',
      { work: { VisibilityTimeout: '30' } },
      /--attributes VisibilityTimeout=180$/,
    ],
    // Copies (the default redelivery) restart the receive count: 1 reported receive + 4 for crashes.
    [
      'max-receive-count-safety-net',
      'error',
      'maxReceiveCount',
      { maxReceiveCount: 1 },
      /"maxReceiveCount\\":\\"5\\"/,
    ],
    // Failed attempts that stay in the queue count as receives: maxAttempts 4 + 4 for crashes.
    [
      'max-receive-count-safety-net',
      'error',
      'maxReceiveCount',
      {
        runtimeConfig: { redelivery: 'visibility', attemptLedger: { tableName: 'orders-attempts' } },
      },
      /"maxReceiveCount\\":\\"8\\"/,
    ],
    // A consumer that does not count attempts: SQS's count is the only one, and throttles spend it.
    [
      'max-receive-count-survives-throttles',
      'warning',
      'maxReceiveCount',
      { maxReceiveCount: 2, configText: null, alarms: soundAlarms },
      /"maxReceiveCount\\":\\"5\\"/,
    ],
    [
      'mapping-filters-delete-messages',
      'warning',
      'consumerFunction',
      { mapping: { FilterCriteria: { Filters: [{ Pattern: '{"body":{"type":["order"]}}' }] } } },
      new RegExp(`--uuid ${MAPPING_UUID} --filter-criteria '\\{"Filters":\\[\\]\\}'`),
    ],
    [
      'retention-outlasts-retry-horizon',
      'error',
      'retentionPeriod',
      // The horizon: 3 backoff waits 30 + 60 + 120 s, 4 crashes × 180 s, 8 receives × 30 s = 19 min 30 s.
      { work: { MessageRetentionPeriod: '900' } },
      /--attributes MessageRetentionPeriod=1171$/,
    ],
    // Without sqs-failsafe SQS's count bounds the retries: 10 receives, each then waiting out what the 12 h
    // visibility timeout leaves after the 30 s invocation (9 × 43,170 s + 10 × 30 s = 4 days 12 h), over 4 days.
    [
      'retention-outlasts-retry-horizon',
      'error',
      'retentionPeriod',
      {
        configText: null,
        maxReceiveCount: 10,
        work: { VisibilityTimeout: '43200' },
        alarms: soundAlarms,
      },
      /--attributes MessageRetentionPeriod=388831$/,
    ],
    [
      'dead-letter-retention-outlasts-source',
      'error',
      'deadLetterRetentionPeriod',
      { dlq: { MessageRetentionPeriod: '86400' } },
      /-dlq\S* --attributes MessageRetentionPeriod=1209600$/,
    ],
    // Hand-wired after docs/migrating.md: the runtime dead-letters to one queue, the redrive policy to another.
    [
      'runtime-dead-letters-to-redrive-target',
      'error',
      'existingQueue.deadLetterQueue',
      {
        runtimeConfig: {
          deadLetter: { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/orders-failed' },
        },
      },
      /SQS_FAILSAFE_CONFIG, set it to http\S+\/orders-dlq\S*, the DLQ of the queue's redrive policy \(deadLetter\.queueUrl\)/,
    ],
    [
      'breaker-pause-within-retention',
      'error',
      'circuitBreaker.cooldown',
      {
        work: { MessageRetentionPeriod: '172800' },
        breakerConfig: { coolDownSeconds: 86_400, probeSeconds: 86_400 },
      },
      /MessageRetentionPeriod=173971, or shorten coolDownSeconds in SQS_FAILSAFE_BREAKER_CONFIG of the breaker controller orders-breaker$/,
    ],
    [
      'reserved-concurrency-covers-mapping',
      'error',
      'maxConcurrency',
      { reservedConcurrency: 5, mapping: { ScalingConfig: { MaximumConcurrency: 10 } } },
      /--scaling-config MaximumConcurrency=5/,
    ],
    [
      'provisioned-mode-without-maximum-concurrency',
      'error',
      'provisionedPollers',
      {
        mapping: {
          ScalingConfig: { MaximumConcurrency: 10 },
          ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 2 },
        },
        alarms: soundAlarms,
      },
      /--scaling-config '\{\}'/,
    ],
    [
      'consumer-breaker-needs-on-demand-mode',
      'error',
      'provisionedPollers',
      { mapping: { ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 2 } } },
      /Provisioned mode\), or take the breaker controller off the transient-failure alarm/,
    ],
    [
      'idempotency-outlasts-retry-horizon',
      'error',
      'idempotency.expiresAfter',
      { runtimeConfig: { idempotency: { tableName: 'orders-idempotency', expiresAfterSeconds: 600 } } },
      /SQS_FAILSAFE_CONFIG, set at least 1170 \(idempotency\.expiresAfterSeconds\)/,
    ],
    [
      'attempt-ledger-outlasts-retry-horizon',
      'error',
      'failsafe.deadLetter.maxAttempts',
      { runtimeConfig: { attemptLedger: { tableName: 'orders-attempts', expiresAfterSeconds: 600 } } },
      /SQS_FAILSAFE_CONFIG, set at least 1170 \(attemptLedger\.expiresAfterSeconds\)/,
    ],
    [
      'callback-topics-in-region',
      'warning',
      'failsafe.notifications.callbackTopicAllowList',
      {
        runtimeConfig: {
          notifications: {
            topicArn: 'arn:aws:sns:eu-west-1:111122223333:events',
            callbackTopicAllowList: ['arn:aws:sns:us-west-2:111122223333:cb'],
          },
        },
      },
      /notifications\.callbackTopicAllowList/,
    ],
    [
      'dead-letter-queue-alarmed',
      'warning',
      'alarms.deadLetterQueueNotEmpty',
      {
        alarms: ({ queue }) => [queueAlarm('orders-age', queue, [SNS_ACTION])],
      },
      /aws cloudwatch put-metric-alarm --alarm-name \S+-dlq\S*-not-empty/,
    ],
    [
      'parking-queue-alarmed',
      'warning',
      'redrive.parkingQueue',
      { alarms: (names) => wiredAlarms(names).filter((alarm) => alarm.AlarmName !== 'orders-parked') },
      /aws cloudwatch put-metric-alarm --alarm-name orders-parked\S*-not-empty .*Value=orders-parked/,
    ],
    [
      'skipped-dead-letter-alarm-looked-at-again',
      'warning',
      'redrive.scheduleInterval',
      { redriveRules: [] },
      /aws events put-rule --name \S+ --schedule-expression 'rate\(5 minutes\)'.*Arn=arn:aws:lambda:eu-west-1:111122223333:function:orders-redrive/,
    ],
    [
      'someone-hears-of-trouble',
      'warning',
      'alarmActions',
      {
        alarms: ({ dlq }) => [
          {
            AlarmName: 'orders-dlq-redrive',
            Metrics: [
              {
                Id: 'm',
                MetricStat: {
                  Metric: { Dimensions: [{ Name: 'QueueName', Value: dlq }] },
                  Period: 60,
                  Stat: 'Maximum',
                },
              },
            ],
            // Automation only (a function that is no sqs-failsafe redrive function).
            AlarmActions: [`${ACCOUNT}:redrive-by-hand`],
          },
        ],
      },
      /--alarm-actions arn:aws:sns:/,
    ],
  ];

  it('judges at least 15 rules on a live setup, each in the rules module', () => {
    const rules = new Set(misconfigurations.map(([rule]) => rule));
    expect(rules.size).toBeGreaterThanOrEqual(15);
    for (const rule of rules) expect(SETUP_RULES.map((each) => each.id)).toContain(rule);
  });

  it.each(misconfigurations)(
    'reports %s (%s, %s) with both fixes',
    async (rule, severity, prop, spec, awsFix) => {
      // Arrange
      const { url, name } = await consumer(spec);

      // Act
      const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);

      // Assess: that rule and only it
      expect(diagnosis?.findings.map((finding) => finding.rule)).toEqual([rule]);
      expect(diagnosis?.unread).toEqual([]);
      const [finding] = diagnosis?.findings ?? [];
      expect(finding).toMatchObject({ subject: `${name} → orders-consumer`, severity, prop });
      expect(finding?.fix.length).toBeGreaterThan(10);
      expect(finding?.why.length).toBeGreaterThan(10);
      expect(finding?.reference).toMatch(/^docs\/aws-semantics\.md#/);
      expect(finding?.awsFix).toMatch(awsFix);
    },
  );

  it('points a queue without a redrive policy at the DLQ its function already dead-letters to, not at a new one', async () => {
    // Arrange: SQS_FAILSAFE_CONFIG names the DLQ (deadLetter.queueUrl); the queue has no redrive policy
    const { url, dlqUrl } = await consumer({ work: { RedrivePolicy: '' }, alarms: soundAlarms });
    const dlqName = dlqUrl.split('/').at(-1);

    // Act
    const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);

    // Assess
    const finding = diagnosis?.findings.find(({ rule }) => rule === 'dead-letter-queue-configured');
    expect(finding?.awsFix).toMatch(new RegExp(`^point the queue's redrive policy at ${dlqName}, `));
    // The work queue's account (the embedded server's), since a DLQ is in its source queue's account.
    const account = url.split('/').at(-2);
    expect(finding?.awsFix).toContain(
      `\\"deadLetterTargetArn\\":\\"arn:aws:sqs:eu-west-1:${account}:${dlqName}\\"`,
    );
    expect(finding?.awsFix).not.toContain('create-queue');
  });

  it('judges a consumer that does not run sqs-failsafe without the rules only sqs-failsafe needs', async () => {
    // Arrange: no SQS_FAILSAFE_CONFIG; a retention too short for any retry horizon, provisioned pollers, and
    // alarms whose actions are an sqs-failsafe breaker and redrive function of another consumer
    const { url } = await consumer({
      configText: null,
      work: { MessageRetentionPeriod: '900' },
      mapping: { ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 2 } },
      breakerConfig: { mappingUuid: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b' },
      redriveConfig: {
        dlqUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/payments-dlq',
        sourceQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/payments',
        parkingQueueUrl: undefined,
      },
    });

    // Act
    const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);

    // Assess
    expect(diagnosis?.findings).toEqual([]);
    expect(diagnosis?.unread).toEqual([]);
  });

  it('tells a consumer without sqs-failsafe whose DLQ alarm pages nobody why, in words true of its setup', async () => {
    // An alarm on the DLQ without actions: there is no redrive function or breaker controller to speak of.
    const { url } = await consumer({
      configText: null,
      alarms: ({ dlq }) => [queueAlarm('orders-dlq-not-empty', dlq, [])],
    });
    const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);
    const [finding] = diagnosis?.findings ?? [];
    expect(finding).toMatchObject({
      rule: 'someone-hears-of-trouble',
      problem: 'none of the 1 alarms notifies anyone',
    });
    expect(finding?.why).not.toMatch(/redrive function|breaker controller/);
    expect(finding?.why).toMatch(/DLQ until its retention deletes them/);
  });

  describe('a configuration its runtime would refuse: a finding, never a crash', () => {
    it.each([
      [
        'the consumer: not JSON',
        { configText: 'deadLetter.maxAttempts=4' },
        'SQS_FAILSAFE_CONFIG of orders-consumer',
        /^is not valid JSON/,
      ],
      [
        'the consumer: a value out of range',
        { runtimeConfig: { deadLetter: { maxAttempts: 0 } } },
        'SQS_FAILSAFE_CONFIG of orders-consumer',
        /^deadLetter\.maxAttempts: /,
      ],
      [
        'the consumer: not an object',
        { configText: '[1, 2]' },
        'SQS_FAILSAFE_CONFIG of orders-consumer',
        /^options: must be an object/,
      ],
      [
        'its breaker controller',
        { breakerConfig: { coolDownSeconds: 0 } },
        'SQS_FAILSAFE_BREAKER_CONFIG of orders-breaker',
        /^coolDownSeconds: /,
      ],
      [
        'its redrive function',
        { redriveConfig: { cooldownSeconds: -1 } },
        'SQS_FAILSAFE_REDRIVE_CONFIG of orders-redrive',
        /^cooldownSeconds: /,
      ],
    ] as const)('%s', async (_case, spec, value, problem) => {
      const { url } = await consumer(spec);
      const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);
      const findings = diagnosis?.findings.filter(
        (finding) => finding.rule === 'runtime-configuration-valid',
      );
      expect(findings).toHaveLength(1);
      expect(findings?.[0]).toMatchObject({ severity: 'error', value });
      expect(findings?.[0]?.problem).toMatch(problem);
      expect(findings?.[0]?.awsFix).toContain(`--function-name ${value.split(' of ')[1]}`);
    });
  });

  it('checks a queue nothing consumes, saying so', async () => {
    const { url } = await consumer({ work: { RedrivePolicy: '' } });
    stubMappings([]);
    const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);
    expect(diagnosis).toMatchObject({ functionName: undefined });
    expect(diagnosis?.findings.map((finding) => finding.rule)).toEqual(['dead-letter-queue-configured']);
  });

  it("refuses a DLQ given as the queue, naming the queue it is the DLQ of (not 'the DLQ has no DLQ')", async () => {
    const { url, dlqUrl } = await consumer();
    deadLetterSources.set(dlqUrl, [url]);
    await expect(diagnoseConsumers({ queue: dlqUrl }, clients)).rejects.toThrow(
      `the queue ${dlqUrl.split('/').at(-1)} (--queue) is the DLQ of ${url}, and nothing consumes it: doctor judges a work queue ` +
        `with its consumer. Give --queue ${url}`,
    );
  });

  it("checks every SQS consumer of a function, and every one in the account across ListEventSourceMappings' pages", async () => {
    // Arrange: two consumers, on two pages; a DynamoDB stream mapping is not an SQS consumer
    // One function consumes both, without sqs-failsafe: no runtime DLQ of its own to disagree with either queue's.
    const first = await consumer({ configText: null });
    const second = await consumer({ configText: null, work: { VisibilityTimeout: '30' } });
    const mapping = (url: string, uuid: string): EventSourceMappingConfiguration => ({
      UUID: uuid,
      EventSourceArn: `arn:aws:sqs:${aws.region}:000000000000:${url.split('/').at(-1)}`,
      FunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:orders-consumer',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    lambdaMock
      .on(ListEventSourceMappingsCommand, { Marker: undefined })
      .resolves({ EventSourceMappings: [mapping(first.url, 'one')], NextMarker: 'page-2' })
      .on(ListEventSourceMappingsCommand, { Marker: 'page-2' })
      .resolves({
        EventSourceMappings: [
          mapping(second.url, 'two'),
          { UUID: 'stream', EventSourceArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/t/stream/x' },
        ],
      });
    const dlqName = (url: string) => url.split('/').at(-1) ?? url;
    cloudWatchMock.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [first, second].flatMap(({ dlqUrl }) => soundAlarms({ dlq: dlqName(dlqUrl) })),
    });
    const progress: string[] = [];

    // Act
    const diagnoses = await diagnoseConsumers({}, clients, (done, total) =>
      progress.push(`${done}/${total}`),
    );

    // Assess
    expect(diagnoses.map((diagnosis) => diagnosis.mappingUuid)).toEqual(['one', 'two']);
    expect(diagnoses.map((diagnosis) => diagnosis.findings.map((finding) => finding.rule))).toEqual([
      [],
      ['visibility-timeout-covers-invocations'],
    ]);
    expect(progress).toEqual(['0/2', '1/2', '2/2']);
    // The function consuming both was read once.
    expect(lambdaMock.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(1);
  });

  it("checks the rest of an account scan when one mapping's queue cannot be read, and says which", async () => {
    // Arrange: a sound consumer, and a mapping whose queue was deleted (or is another account's, unshared)
    const sound = await consumer();
    const goneArn = `arn:aws:sqs:${aws.region}:444455556666:partner-orders`;
    stubMappings([
      {
        UUID: 'gone',
        EventSourceArn: goneArn,
        FunctionArn: `${ACCOUNT}:orders-consumer`,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
      {
        UUID: MAPPING_UUID,
        EventSourceArn: `arn:aws:sqs:${aws.region}:000000000000:${sound.name}`,
        FunctionArn: `${ACCOUNT}:orders-consumer`,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
    ]);

    // Act
    const diagnoses = await diagnoseConsumers({}, clients);

    // Assess: the readable consumer is judged; the other is listed with what could not be read, no finding
    expect(diagnoses.map((diagnosis) => [diagnosis.mappingUuid, diagnosis.findings])).toEqual([
      ['gone', []],
      [MAPPING_UUID, []],
    ]);
    expect(diagnoses[0]).toMatchObject({ queueName: 'partner-orders', functionName: 'orders-consumer' });
    expect(diagnoses[0]?.unread).toEqual([
      expect.stringMatching(
        new RegExp(`^the queue ${goneArn} \\(sqs:GetQueueUrl, sqs:GetQueueAttributes\\): \\S+: `),
      ),
    ]);
  });

  it("checks the SQS consumers of a deployed stack, across ListStackResources' pages", async () => {
    // Arrange: a stack with a sound consumer (page 1), a broken one and a stream mapping (page 2)
    // One function consumes both, without sqs-failsafe: no runtime DLQ of its own to disagree with either queue's.
    const sound = await consumer({ configText: null });
    const broken = await consumer({ configText: null, mapping: { FunctionResponseTypes: [] } });
    const arnOf = (url: string) => `arn:aws:sqs:${aws.region}:000000000000:${url.split('/').at(-1)}`;
    const mappings: Record<string, EventSourceMappingConfiguration> = {
      one: {
        UUID: 'one',
        EventSourceArn: arnOf(sound.url),
        FunctionArn: 'arn:aws:lambda:eu-west-1:1:function:orders-consumer',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
      two: {
        UUID: 'two',
        EventSourceArn: arnOf(broken.url),
        FunctionArn: 'arn:aws:lambda:eu-west-1:1:function:orders-consumer',
      },
      stream: { UUID: 'stream', EventSourceArn: 'arn:aws:dynamodb:eu-west-1:1:table/t/stream/x' },
    };
    lambdaMock.on(GetEventSourceMappingCommand).callsFake(({ UUID }: { UUID: string }) => mappings[UUID]);
    cloudWatchMock.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [sound, broken].flatMap(({ dlqUrl }) =>
        soundAlarms({ dlq: dlqUrl.split('/').at(-1) ?? '' }),
      ),
    });
    const resource = (type: string, id: string) => ({
      ResourceType: type,
      PhysicalResourceId: id,
      LogicalResourceId: id,
      ResourceStatus: 'CREATE_COMPLETE' as const,
      LastUpdatedTimestamp: new Date(),
    });
    cloudFormationMock
      .on(ListStackResourcesCommand, { StackName: 'Orders', NextToken: undefined })
      .resolves({
        StackResourceSummaries: [
          resource('AWS::Lambda::EventSourceMapping', 'one'),
          resource('AWS::SQS::Queue', sound.url),
        ],
        NextToken: 'p2',
      })
      .on(ListStackResourcesCommand, { StackName: 'Orders', NextToken: 'p2' })
      .resolves({
        StackResourceSummaries: [
          resource('AWS::Lambda::EventSourceMapping', 'two'),
          resource('AWS::Lambda::EventSourceMapping', 'stream'),
        ],
      });

    // Act
    const diagnoses = await diagnoseConsumers({ stack: 'Orders' }, clients);

    // Assess
    expect(
      diagnoses.map((diagnosis) => [
        diagnosis.mappingUuid,
        diagnosis.findings.map((finding) => finding.rule),
      ]),
    ).toEqual([
      ['one', []],
      ['two', ['reports-batch-item-failures']],
    ]);
  });

  it('checks what it could read, and says what it could not', async () => {
    const { url } = await consumer();
    lambdaMock.on(GetFunctionConfigurationCommand).rejects(
      Object.assign(new Error('not authorized to perform lambda:GetFunctionConfiguration'), {
        name: 'AccessDeniedException',
      }),
    );
    cloudWatchMock
      .on(DescribeAlarmsCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);
    expect(diagnosis?.findings).toEqual([]);
    expect(diagnosis?.unread).toEqual([
      'the function orders-consumer: AccessDeniedException: not authorized to perform lambda:GetFunctionConfiguration',
      'the alarms: cloudwatch:DescribeAlarms: AccessDenied: denied',
    ]);
  });

  it("lists a denied reserved-concurrency read under 'not read' (it was taken for no reservation)", async () => {
    const { url } = await consumer({ reservedConcurrency: 1 });
    lambdaMock
      .on(GetFunctionConcurrencyCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);
    expect(diagnosis?.findings).toEqual([]);
    expect(diagnosis?.unread).toEqual([
      'the reserved concurrency of orders-consumer (lambda:GetFunctionConcurrency): AccessDeniedException: not authorized',
    ]);
  });

  describe("the redrive function's schedule", () => {
    const ruleIds = async (redriveRules: readonly RedriveRule[]) => {
      const { url } = await consumer({ redriveRules });
      const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);
      expect(diagnosis?.unread).toEqual([]);
      return diagnosis?.findings.map((finding) => finding.rule);
    };

    it('counts an enabled schedule found on a later page, after rules that are no schedule', async () => {
      const ids = await ruleIds([
        { name: 'orders-redrive-on-deploy', eventPattern: '{"source":["aws.cloudformation"]}' },
        { name: 'orders-redrive-paused', scheduleExpression: 'rate(5 minutes)', state: 'DISABLED' },
        { name: 'orders-redrive-nightly', scheduleExpression: 'cron(0 3 * * ? *)' },
      ]);
      expect(ids).toEqual([]);
    });

    it('reports rules that invoke it but never on a schedule: an event pattern, a disabled schedule', async () => {
      const ids = await ruleIds([
        { name: 'orders-redrive-on-deploy', eventPattern: '{"source":["aws.cloudformation"]}' },
        { name: 'orders-redrive-paused', scheduleExpression: 'rate(5 minutes)', state: 'DISABLED' },
      ]);
      expect(ids).toEqual(['skipped-dead-letter-alarm-looked-at-again']);
    });

    it('says nothing on it when EventBridge cannot be read, and says what was not read', async () => {
      const { url } = await consumer({ redriveRules: [] });
      eventBridgeMock.on(ListRuleNamesByTargetCommand).rejects(
        Object.assign(new Error('not authorized to perform events:ListRuleNamesByTarget'), {
          name: 'AccessDeniedException',
        }),
      );
      const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);
      expect(diagnosis?.findings).toEqual([]);
      expect(diagnosis?.unread).toEqual([
        'the schedules that invoke orders-redrive (events:ListRuleNamesByTarget, events:DescribeRule): AccessDeniedException: not authorized to perform events:ListRuleNamesByTarget',
      ]);
    });
  });

  describe('bad input', () => {
    it('a queue URL of another region: says which region to give', async () => {
      await expect(
        diagnoseConsumers({ queue: 'https://sqs.ap-south-1.amazonaws.com/111122223333/orders' }, clients),
      ).rejects.toThrow(
        `the queue https://sqs.ap-south-1.amazonaws.com/111122223333/orders is in ap-south-1, but doctor reads ${aws.region}: give --region ap-south-1`,
      );
    });

    it('a function SQS does not trigger: says so, and what to give instead', async () => {
      lambdaMock.on(ListEventSourceMappingsCommand).resolves({
        EventSourceMappings: [
          { UUID: 's', EventSourceArn: 'arn:aws:kinesis:eu-west-1:111122223333:stream/s' },
        ],
      });
      await expect(diagnoseConsumers({ functionName: 'thumbnails' }, clients)).rejects.toThrow(
        'the function thumbnails is not consumed by SQS: it has no SQS event source mapping (its 1 mapping(s) read other sources). Give the queue instead (--queue)',
      );
    });

    it('a stack without SQS consumers: says so', async () => {
      cloudFormationMock.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
      await expect(diagnoseConsumers({ stack: 'Website' }, clients)).rejects.toThrow(
        'the stack Website has no SQS event source mapping (nested stacks are not followed',
      );
    });

    it('a queue that does not exist: names it, the flag and the region, before anything else is read', async () => {
      await expect(diagnoseConsumers({ queue: 'no-such-queue-anywhere' }, clients)).rejects.toThrow(
        `the queue no-such-queue-anywhere (--queue) does not exist in ${aws.region}: check its name, URL or ARN, and --region`,
      );
      expect(lambdaMock.calls()).toHaveLength(0);
    });

    it('a function that does not exist: says so rather than "not consumed by SQS"', async () => {
      stubMappings([]);
      lambdaMock.on(GetFunctionConfigurationCommand).rejects(
        Object.assign(new Error('Function not found: orders-consumr'), {
          name: 'ResourceNotFoundException',
        }),
      );
      await expect(diagnoseConsumers({ functionName: 'orders-consumr' }, clients)).rejects.toThrow(
        `there is no function orders-consumr (--function) in ${aws.region}: check its name, and --region`,
      );
    });

    it.each([
      [
        'a stack that does not exist',
        Object.assign(new Error('Stack with id Webshop does not exist'), { name: 'ValidationError' }),
        /^the stack Webshop \(--stack\) does not exist in [a-z]+-[a-z]+-\d: check its name, and --region\.$/,
      ],
      [
        'an endpoint without CloudFormation (the local runtime)',
        Object.assign(new Error('Unknown action: ListStackResources'), { name: 'InvalidAction' }),
        'could not list the resources of the stack Webshop (--stack; cloudformation:ListStackResources): InvalidAction: Unknown action: ListStackResources. Give --queue or --function instead',
      ],
    ])('%s: names the stack and the flag', async (_what, error, message) => {
      cloudFormationMock.on(ListStackResourcesCommand).rejects(error);
      await expect(diagnoseConsumers({ stack: 'Webshop' }, clients)).rejects.toThrow(message);
    });
  });
});
