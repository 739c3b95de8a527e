import { readFileSync } from 'node:fs';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
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
import {
  DOCTOR_IAM_ACTIONS,
  diagnoseConsumers,
  type LiveConsumerClients,
} from '../../lib/liveSetup/liveConsumers.js';
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
  const sqsCommands: string[] = [];
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
    clients = { sqs, lambda, cloudWatch, cloudFormation };
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
    ] as const) {
      stubbedCalls.push(...mock.calls().map((call) => `${service}:${call.args[0].constructor.name}`));
    }
  });

  beforeEach(() => {
    lambdaMock.reset();
    cloudWatchMock.reset();
    cloudFormationMock.reset();
  });

  interface Consumer {
    readonly work?: Record<string, string>;
    readonly dlq?: Record<string, string>;
    readonly maxReceiveCount?: number;
    readonly mapping?: Partial<EventSourceMappingConfiguration>;
    readonly timeoutSeconds?: number;
    readonly runtimeConfig?: object;
    readonly reservedConcurrency?: number;
    /** The alarms; by default one on the DLQ that pages through SNS. */
    readonly alarms?: (names: { queue: string; dlq: string }) => MetricAlarm[];
  }

  /** A consumer as a team runs it: sound, with the changes given. Returns the work queue's URL. */
  async function consumer(spec: Consumer = {}): Promise<{ url: string; name: string; dlqUrl: string }> {
    const dlq = await aws.createQueue('orders-dlq', { MessageRetentionPeriod: '1209600', ...spec.dlq });
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
      UUID: 'mapping-1',
      EventSourceArn: queue.arn,
      FunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:orders-consumer',
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ...spec.mapping,
    };
    stubMappings([mapping]);
    lambdaMock.on(GetFunctionConfigurationCommand).resolves({
      FunctionName: 'orders-consumer',
      Timeout: spec.timeoutSeconds ?? 30,
      Environment: {
        Variables: {
          [BATCH_CONFIG_ENV_VAR]: JSON.stringify({
            version: 1,
            deadLetter: { maxAttempts: 4 },
            ...spec.runtimeConfig,
          }),
        },
      },
    });
    lambdaMock
      .on(GetFunctionConcurrencyCommand)
      .resolves(
        spec.reservedConcurrency === undefined
          ? {}
          : { ReservedConcurrentExecutions: spec.reservedConcurrency },
      );
    const alarms = (spec.alarms ?? soundAlarms)({ queue: queue.name, dlq: dlq.name });
    cloudWatchMock.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => ({
      MetricAlarms: input.AlarmTypes?.includes('MetricAlarm') === false ? [] : alarms,
    }));
    return { url: queue.url, name: queue.name, dlqUrl: dlq.url };
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

  const soundAlarms = ({ dlq }: { dlq: string }): MetricAlarm[] => [
    {
      AlarmName: 'orders-dlq-not-empty',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: dlq }],
      AlarmActions: ['arn:aws:sns:eu-west-1:111122223333:ops'],
    },
  ];

  it('finds nothing wrong with a sound consumer', async () => {
    const { url } = await consumer();
    const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);
    expect(diagnosis).toMatchObject({
      functionName: 'orders-consumer',
      mappingUuid: 'mapping-1',
      unread: [],
    });
    expect(diagnosis?.findings).toEqual([]);
  });

  // One misconfiguration per rule a live account can show (the others judge parts only the construct has: its
  // retry horizon, breaker, idempotency table, attempt ledger, parking queue and redrive schedule).
  const misconfigurations: readonly [rule: string, spec: Consumer, awsFix: RegExp][] = [
    [
      'dead-letter-queue-configured',
      { work: { RedrivePolicy: '' } },
      /aws sqs create-queue --queue-name \S+-dlq /,
    ],
    [
      'reports-batch-item-failures',
      { mapping: { FunctionResponseTypes: [] } },
      /aws lambda update-event-source-mapping --uuid mapping-1 --function-response-types ReportBatchItemFailures/,
    ],
    [
      'visibility-timeout-covers-invocations',
      { work: { VisibilityTimeout: '30' } },
      /--attributes VisibilityTimeout=180$/,
    ],
    // Copies (the default redelivery) restart the receive count: 1 reported receive + 4 for crashes.
    ['max-receive-count-safety-net', { maxReceiveCount: 1 }, /"maxReceiveCount\\":\\"5\\"/],
    // Failed attempts that stay in the queue count as receives: maxAttempts 4 + 4 for crashes.
    [
      'max-receive-count-safety-net',
      { runtimeConfig: { deadLetter: { maxAttempts: 4 }, redelivery: 'visibility' } },
      /"maxReceiveCount\\":\\"8\\"/,
    ],
    [
      'dead-letter-retention-outlasts-source',
      { dlq: { MessageRetentionPeriod: '86400' } },
      /-dlq\S* --attributes MessageRetentionPeriod=1209600$/,
    ],
    [
      'reserved-concurrency-covers-mapping',
      { reservedConcurrency: 5, mapping: { ScalingConfig: { MaximumConcurrency: 10 } } },
      /--scaling-config MaximumConcurrency=5/,
    ],
    [
      'provisioned-mode-without-maximum-concurrency',
      {
        mapping: {
          ScalingConfig: { MaximumConcurrency: 10 },
          ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 2 },
        },
      },
      /--scaling-config '\{\}'/,
    ],
    [
      'callback-topics-in-region',
      {
        runtimeConfig: {
          notifications: { callbackTopicAllowList: ['arn:aws:sns:us-west-2:111122223333:cb'] },
        },
      },
      /notifications\.callbackTopicAllowList/,
    ],
    [
      'dead-letter-queue-alarmed',
      {
        alarms: ({ queue }) => [
          {
            AlarmName: 'orders-age',
            Namespace: 'AWS/SQS',
            Dimensions: [{ Name: 'QueueName', Value: queue }],
            AlarmActions: ['arn:aws:sns:eu-west-1:111122223333:ops'],
          },
        ],
      },
      /aws cloudwatch put-metric-alarm --alarm-name \S+-dlq\S*-not-empty/,
    ],
    [
      'someone-hears-of-trouble',
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
            AlarmActions: ['arn:aws:lambda:eu-west-1:111122223333:function:redrive'],
          },
        ],
      },
      /--alarm-actions arn:aws:sns:/,
    ],
  ];

  it.each(misconfigurations)('reports %s with both fixes', async (rule, spec, awsFix) => {
    // Arrange
    const { url, name } = await consumer(spec);

    // Act
    const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);

    // Assess: that rule and only it
    expect(diagnosis?.findings.map((finding) => finding.rule)).toEqual([rule]);
    const [finding] = diagnosis?.findings ?? [];
    expect(finding).toMatchObject({ subject: `${name} → orders-consumer` });
    expect(finding?.fix.length).toBeGreaterThan(10);
    expect(finding?.why.length).toBeGreaterThan(10);
    expect(finding?.reference).toMatch(/^docs\/aws-semantics\.md#/);
    expect(finding?.awsFix).toMatch(awsFix);
  });

  it('checks a queue nothing consumes, saying so', async () => {
    const { url } = await consumer({ work: { RedrivePolicy: '' } });
    stubMappings([]);
    const [diagnosis] = await diagnoseConsumers({ queue: url }, clients);
    expect(diagnosis).toMatchObject({ functionName: undefined });
    expect(diagnosis?.findings.map((finding) => finding.rule)).toEqual(['dead-letter-queue-configured']);
  });

  it("checks every SQS consumer of a function, and every one in the account across ListEventSourceMappings' pages", async () => {
    // Arrange: two consumers, on two pages; a DynamoDB stream mapping is not an SQS consumer
    const first = await consumer();
    const second = await consumer({ work: { VisibilityTimeout: '30' } });
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
    expect(progress).toEqual(['1/2', '2/2']);
    // The function consuming both was read once.
    expect(lambdaMock.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(1);
  });

  it("checks the SQS consumers of a deployed stack, across ListStackResources' pages", async () => {
    // Arrange: a stack with a sound consumer (page 1), a broken one and a stream mapping (page 2)
    const sound = await consumer();
    const broken = await consumer({ mapping: { FunctionResponseTypes: [] } });
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

    it('a queue that does not exist: the SQS error, before anything else is read', async () => {
      await expect(diagnoseConsumers({ queue: 'no-such-queue-anywhere' }, clients)).rejects.toThrow(
        /NonExistentQueue|does not exist/i,
      );
      expect(lambdaMock.calls()).toHaveLength(0);
    });
  });
});
