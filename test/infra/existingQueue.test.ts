import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import type { FailsafeConsumerProps } from '../../infra/consumer/failsafeConsumerProps.js';
import {
  InvalidConsumerSettingsError,
  type SettingProblem,
} from '../../infra/consumer/settings/InvalidConsumerSettingsError.js';
import type { AdoptedQueuesExpectation } from '../../lib/adoptedQueues/adoptedQueuesCheck.js';
import { BATCH_CONFIG_ENV_VAR } from '../../lib/config/batchConfig.js';
import {
  functionWithVariable,
  joinedText,
  onlyLogicalId,
  roleStatements,
  testStack,
  variableText,
} from './helpers/consumerStack.js';

const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:111122223333:orders';
const DLQ_ARN = 'arn:aws:sqs:eu-west-1:111122223333:orders-dlq';
const QUEUE_URL = 'https://sqs.eu-west-1.<URLSuffix>/111122223333/orders';

type TestStack = ReturnType<typeof testStack>['stack'];

/** The existing queues, imported by ARN into a stack (FIFO ones by their `.fifo` names). */
function existing(stack: TestStack, fifo = false) {
  const suffix = fifo ? '.fifo' : '';
  return {
    queue: sqs.Queue.fromQueueArn(stack, 'Orders', `${QUEUE_ARN}${suffix}`),
    deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'OrdersDlq', `${DLQ_ARN}${suffix}`),
  };
}

function synth(props: (stack: TestStack) => FailsafeConsumerProps) {
  const { app, stack } = testStack();
  const consumer = new FailsafeConsumer(stack, 'Consumer', props(stack));
  return { app, stack, consumer, template: Template.fromStack(stack) };
}

/** The deploy-time check's expectation, as the custom resource carries it (references as `<LogicalId>`). */
function expectation(template: Template): AdoptedQueuesExpectation {
  const id = onlyLogicalId(template, 'Custom::SqsFailsafeQueueCheck');
  return JSON.parse(joinedText(template.toJSON().Resources[id].Properties.Check));
}

function problemsOf(props: (stack: TestStack) => FailsafeConsumerProps): readonly SettingProblem[] {
  try {
    synth(props);
    return [];
  } catch (error) {
    if (error instanceof InvalidConsumerSettingsError) return error.problems;
    throw error;
  }
}

describe('FailsafeConsumer on existing queues', () => {
  it('consumes the existing queue and dead-letters into the existing DLQ, creating no queue of its own', () => {
    // Act
    const { template } = synth((stack) => ({ existingQueue: existing(stack), redrive: false }));

    // Assess
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.resourceCountIs('AWS::SQS::QueuePolicy', 0);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: QUEUE_ARN,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const consumerId = functionWithVariable(template, BATCH_CONFIG_ENV_VAR);
    const config = JSON.parse(variableText(template, consumerId, BATCH_CONFIG_ENV_VAR));
    expect(config.deadLetter.queueUrl).toBe('https://sqs.eu-west-1.<AWS::URLSuffix>/111122223333/orders-dlq');
    expect(roleStatements(template, consumerId)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actions: ['sqs:SendMessage'], resource: DLQ_ARN }),
        expect.objectContaining({
          actions: expect.arrayContaining(['sqs:ReceiveMessage']),
          resource: QUEUE_ARN,
        }),
      ]),
    );
  });

  it('counts attempts on the existing queue as on its own: the attempt ledger, maxAttempts, and copies sent back to the queue', () => {
    // Act
    const { template } = synth((stack) => ({ existingQueue: existing(stack), redrive: false }));

    // Assess
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    const ledgerId = onlyLogicalId(template, 'AWS::DynamoDB::Table');
    const consumerId = functionWithVariable(template, BATCH_CONFIG_ENV_VAR);
    const config = JSON.parse(variableText(template, consumerId, BATCH_CONFIG_ENV_VAR));
    expect(config.deadLetter.maxAttempts).toBe(4);
    expect(config.attemptLedger).toEqual({ tableName: `<${ledgerId}>` });
    expect(roleStatements(template, consumerId)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actions: ['sqs:SendMessage'], resource: QUEUE_ARN }),
      ]),
    );
  });

  it('watches the existing queues with its alarms', () => {
    const { template } = synth((stack) => ({ existingQueue: existing(stack) }));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: 'orders-dlq' }],
    });
  });

  it('checks the queues at deploy time, reading them only, before the consumer starts on them', () => {
    // Act
    const { template } = synth((stack) => ({
      existingQueue: existing(stack),
      visibilityTimeout: Duration.minutes(4),
      retentionPeriod: Duration.days(7),
    }));

    // Assess: what the check compares
    const check = expectation(template);
    expect(check).toMatchObject({
      version: 1,
      queueUrl: QUEUE_URL.replace('<URLSuffix>', '<AWS::URLSuffix>'),
      deadLetterQueueArn: DLQ_ARN,
      fifo: false,
    });
    expect(check.assumed).toEqual([
      { queue: 'work', attribute: 'VisibilityTimeout', value: 240, prop: 'visibilityTimeout', stated: true },
      { queue: 'work', attribute: 'maxReceiveCount', value: 5, prop: 'maxReceiveCount', stated: false },
      { queue: 'work', attribute: 'DelaySeconds', value: 0, prop: 'deliveryDelay', stated: false },
      {
        queue: 'work',
        attribute: 'MessageRetentionPeriod',
        value: 604_800,
        prop: 'retentionPeriod',
        stated: true,
      },
    ]);
    expect(check.setup).toMatchObject({
      attempts: { maxAttempts: 4, redelivery: 'copy' },
      consumer: { timeoutSeconds: 30 },
    });

    // Assess: the checker may read the two queues, nothing else
    const checkerId = onlyLogicalId(template, 'AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: Match.anyValue() }) },
      MemorySize: 128,
      Timeout: 60,
    });
    const role = template.toJSON().Resources[checkerId].Properties.Role['Fn::GetAtt'][0];
    const statements = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
    ).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements.filter((statement) => JSON.stringify(statement.Action).includes('sqs:'))).toEqual([
      { Effect: 'Allow', Action: 'sqs:GetQueueAttributes', Resource: [QUEUE_ARN, DLQ_ARN] },
    ]);

    // Assess: the mapping waits for the check
    const checkId = onlyLogicalId(template, 'Custom::SqsFailsafeQueueCheck');
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping');
    expect(Object.values(mappings).map((mapping) => mapping.DependsOn)).toEqual([[checkId]]);
  });

  it('leaves the check out with checkAtDeploy: false', () => {
    const { template } = synth((stack) => ({ existingQueue: { ...existing(stack), checkAtDeploy: false } }));
    template.resourceCountIs('Custom::SqsFailsafeQueueCheck', 0);
  });

  it('keeps an existing consumer function working: its environment, event source and grants', () => {
    // Act
    const { stack, template } = synth((stack) => ({
      existingQueue: existing(stack),
      consumerFunction: new lambda.Function(stack, 'Legacy', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
        timeout: Duration.seconds(20),
        environment: { TABLE: 'orders' },
      }),
      redrive: false,
      circuitBreaker: false,
    }));

    // Assess
    const legacyId = stack.getLogicalId(
      (stack.node.findChild('Legacy') as lambda.Function).node.defaultChild as lambda.CfnFunction,
    );
    template.resourceCountIs('AWS::Lambda::Function', 2); // the legacy consumer and the check
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { TABLE: 'orders', [BATCH_CONFIG_ENV_VAR]: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: legacyId },
      EventSourceArn: QUEUE_ARN,
    });
    // The retry math runs on the function's own timeout: 6 × 20 s is the visibility timeout assumed.
    expect(expectation(template).assumed[0]).toMatchObject({ attribute: 'VisibilityTimeout', value: 120 });
    expect(roleStatements(template, legacyId)).toEqual(
      expect.arrayContaining([expect.objectContaining({ actions: ['sqs:SendMessage'], resource: DLQ_ARN })]),
    );
  });

  it('takes FIFO from the existing queue', () => {
    const { template } = synth((stack) => ({ existingQueue: existing(stack, true) }));
    expect(expectation(template).fifo).toBe(true);
  });

  it.each([
    ['standard, copies', false, {}, 5],
    ['standard, visibility', false, { redelivery: 'visibility' as const }, 8],
    ['FIFO, batch size 10', true, {}, 53],
  ])(
    "expects an unstated maxReceiveCount to be the safety net for the consumer's attempts at deploy: %s",
    (_case, fifo, failsafe, maxReceiveCount) => {
      // Act
      const { template } = synth((stack) => ({ existingQueue: existing(stack, fifo), failsafe }));

      // Assess: the value compared with the queue's, and what the setup rules judge it by
      const check = expectation(template);
      expect(check.assumed).toContainEqual({
        queue: 'work',
        attribute: 'maxReceiveCount',
        value: maxReceiveCount,
        prop: 'maxReceiveCount',
        stated: false,
      });
      expect(check.setup).toMatchObject({
        attempts: { maxAttempts: 4 },
        mapping: { batchSize: 10 },
        attemptLedger: { expiresAfterSeconds: 1_209_600 },
      });
    },
  );

  it.each<[string, (stack: TestStack) => FailsafeConsumerProps, SettingProblem[]]>([
    [
      'props that only shape queues the construct creates',
      (stack) => ({ existingQueue: existing(stack), queueName: 'orders', deadLetterQueueName: 'orders-dlq' }),
      [
        {
          prop: 'queueName',
          value: 'orders',
          allowed:
            'applies only to queues the construct creates: an existing queue keeps its own (change it where the ' +
            'queue is defined)',
        },
        {
          prop: 'deadLetterQueueName',
          value: 'orders-dlq',
          allowed:
            'applies only to queues the construct creates: an existing queue keeps its own (change it where the ' +
            'queue is defined)',
        },
      ],
    ],
    [
      'a fifo prop the queue contradicts',
      (stack) => ({ existingQueue: existing(stack), fifo: true }),
      [
        {
          prop: 'fifo',
          value: 'true',
          allowed: 'false, what existingQueue.queue is (its name does not end in ".fifo"); or leave it unset',
        },
      ],
    ],
    [
      'a standard DLQ for a FIFO queue',
      (stack) => ({
        existingQueue: {
          queue: sqs.Queue.fromQueueArn(stack, 'Orders', `${QUEUE_ARN}.fifo`),
          deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'OrdersDlq', DLQ_ARN),
        },
      }),
      [
        {
          prop: 'existingQueue.deadLetterQueue',
          value: 'orders-dlq',
          allowed:
            'a FIFO queue like existingQueue.queue: SQS dead-letters only into a queue of the same type',
        },
      ],
    ],
    [
      'a queue of another region than the stack, and a DLQ of another account',
      (stack) => ({
        existingQueue: {
          queue: sqs.Queue.fromQueueArn(stack, 'Orders', QUEUE_ARN.replace('eu-west-1', 'us-east-1')),
          deadLetterQueue: sqs.Queue.fromQueueArn(
            stack,
            'OrdersDlq',
            DLQ_ARN.replace('111122223333', '444455556666'),
          ),
        },
      }),
      [
        {
          prop: 'existingQueue.queue',
          value: 'orders',
          allowed:
            "a queue in eu-west-1, the stack's region: its event source mapping reads only queues of the function's " +
            'region (this one is in us-east-1; deploy the consumer to a stack there)',
        },
        {
          prop: 'existingQueue.deadLetterQueue',
          value: 'orders-dlq',
          allowed:
            'a queue in the region of existingQueue.queue (us-east-1): SQS dead-letters only into a queue of the same ' +
            'account and region (this one is in eu-west-1)',
        },
        {
          prop: 'existingQueue.deadLetterQueue',
          value: 'orders-dlq',
          allowed:
            'a queue in the account of existingQueue.queue (111122223333): SQS dead-letters only into a queue of the ' +
            'same account and region (this one is in 444455556666)',
        },
      ],
    ],
    [
      'topic subscriptions, which would replace the queue policy',
      (stack) => ({
        existingQueue: existing(stack),
        topicSubscriptions: [
          { topic: sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:eu-west-1:111122223333:t') },
        ],
      }),
      [
        {
          prop: 'topicSubscriptions',
          value: '1 with existingQueue',
          allowed:
            'sources for a queue the construct creates: admitting them needs a queue policy, and CloudFormation ' +
            "would replace the existing queue's whole policy (docs/aws-semantics.md#queue-policy-statements); " +
            'subscribe the queue where it is defined',
        },
      ],
    ],
    [
      'a stated visibility timeout shorter than the function needs (checked like any other)',
      (stack) => ({ existingQueue: existing(stack), visibilityTimeout: Duration.seconds(30) }),
      [
        {
          prop: 'visibilityTimeout',
          value: '30 s',
          rule: 'visibility-timeout-covers-invocations',
          allowed: expect.stringContaining('set visibilityTimeout to at least 3 min (180 s) (at most 12 h)'),
        },
      ],
    ],
    [
      'a stated maxReceiveCount under the safety net for the attempts (checked like any other)',
      (stack) => ({
        existingQueue: existing(stack),
        maxReceiveCount: 5,
        failsafe: { redelivery: 'visibility' },
      }),
      [
        {
          prop: 'maxReceiveCount',
          value: '5',
          rule: 'max-receive-count-safety-net',
          allowed: expect.stringContaining('raise maxReceiveCount to at least 8 (maxAttempts + 4 = 4 + 4)'),
        },
      ],
    ],
  ])('refuses %s, naming the prop', (_case, props, problems) => {
    expect(problemsOf(props)).toEqual(problems);
  });

  it('passes cdk-nag', () => {
    const { app } = synth((stack) => ({ existingQueue: existing(stack) }));
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(
      report.violations.flatMap((violation) =>
        violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
      ),
    ).toEqual([]);
  });
});
