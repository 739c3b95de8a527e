import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import type { FailsafeConsumerProps } from '../../infra/consumer/failsafeConsumerProps.js';
import {
  InvalidConsumerSettingsError,
  type SettingProblem,
} from '../../infra/consumer/settings/InvalidConsumerSettingsError.js';
import { BATCH_CONFIG_ENV_VAR } from '../../lib/config/batchConfig.js';
import {
  dependencyCycle,
  functionWithVariable,
  joinedText,
  onlyLogicalId,
  synthConsumer,
  testStack,
} from './helpers/consumerStack.js';

const OTHER_ACCOUNT_TOPIC = 'arn:aws:sns:eu-west-1:444455556666:orders';
const OTHER_REGION_TOPIC = 'arn:aws:sns:us-east-1:111122223333:audit';

/** The consumer's SQS_FAILSAFE_CONFIG, parsed (references written as `<LogicalId>`). */
function consumerConfig(template: Template): Record<string, unknown> {
  const id = functionWithVariable(template, BATCH_CONFIG_ENV_VAR);
  const variables = template.toJSON().Resources[id].Properties.Environment.Variables;
  return JSON.parse(joinedText(variables[BATCH_CONFIG_ENV_VAR]));
}

/** The work queue's policy statements, resources and conditions as text. */
function workQueueStatements(template: Template) {
  const queueId = onlyLogicalId(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() });
  const policies = template.findResources('AWS::SQS::QueuePolicy', {
    Properties: { Queues: [{ Ref: queueId }] },
  });
  return Object.values(policies).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]).map((statement) => ({
      effect: statement.Effect,
      principal: JSON.stringify(statement.Principal),
      action: statement.Action,
      condition: JSON.parse(
        JSON.stringify(statement.Condition ?? {}, (_key, value) =>
          typeof value === 'object' && value !== null && ('Ref' in value || 'Fn::GetAtt' in value)
            ? joinedText(value)
            : value,
        ),
      ),
    })),
  );
}

type TestStack = ReturnType<typeof testStack>['stack'];

/** The problems the construct reports for the props made in its stack (none when it builds). */
function problemsOf(props: (stack: TestStack) => FailsafeConsumerProps): readonly SettingProblem[] {
  const { stack } = testStack();
  try {
    new FailsafeConsumer(stack, 'Consumer', props(stack));
    return [];
  } catch (error) {
    if (error instanceof InvalidConsumerSettingsError) return error.problems;
    throw error;
  }
}

describe('FailsafeConsumer: topics and rules as sources', () => {
  it('subscribes the work queue to a topic, raw delivery on, and tells the consumer there is no envelope', () => {
    // Arrange
    const { stack } = testStack();
    const topic = new sns.Topic(stack, 'Orders');

    // Act
    new FailsafeConsumer(stack, 'Consumer', {
      topicSubscriptions: [
        {
          topic,
          filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['order.created'] }) },
        },
      ],
    });

    // Assess
    const template = Template.fromStack(stack);
    const queueId = onlyLogicalId(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) },
      Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] },
      RawMessageDelivery: true,
      FilterPolicy: { kind: ['order.created'] },
    });
    expect(consumerConfig(template).envelope).toBe('none');
  });

  it('admits exactly its topics and rules in the queue policy, each by its ARN', () => {
    // Arrange
    const { stack } = testStack();
    const topic = new sns.Topic(stack, 'Orders');
    const rule = new events.Rule(stack, 'Shipped', { eventPattern: { source: ['shipping'] } });

    // Act
    new FailsafeConsumer(stack, 'Consumer', {
      topicSubscriptions: [
        { topic },
        { topic: sns.Topic.fromTopicArn(stack, 'Partner', OTHER_ACCOUNT_TOPIC) },
      ],
      eventRules: [{ rule }],
    });

    // Assess
    const template = Template.fromStack(stack);
    const ordersId = stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic);
    const ruleId = onlyLogicalId(template, 'AWS::Events::Rule', { EventPattern: Match.anyValue() });
    const allow = (service: string, source: string) => ({
      effect: 'Allow',
      principal: JSON.stringify({ Service: `${service}.amazonaws.com` }),
      action: 'sqs:SendMessage',
      condition: { ArnEquals: { 'aws:SourceArn': source } },
    });
    expect(workQueueStatements(template)).toEqual([
      expect.objectContaining({ effect: 'Deny', condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      allow('sns', `<${ordersId}>`),
      allow('sns', OTHER_ACCOUNT_TOPIC),
      allow('events', `<${ruleId}.Arn>`),
    ]);
  });

  it('keeps the SNS envelope when raw delivery is off, and the consumer unwraps it', () => {
    const { stack } = testStack();
    new FailsafeConsumer(stack, 'Consumer', {
      topicSubscriptions: [
        { topic: sns.Topic.fromTopicArn(stack, 'Partner', OTHER_ACCOUNT_TOPIC), rawMessageDelivery: false },
      ],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', { RawMessageDelivery: false });
    expect(consumerConfig(template).envelope).toBe('sns');
  });

  it('says at synth what a topic of another account must allow, before a deployment fails on it', () => {
    // Arrange
    const { stack } = testStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Partner', OTHER_ACCOUNT_TOPIC);

    // Act
    new FailsafeConsumer(stack, 'Consumer', { topicSubscriptions: [{ topic }] });

    // Assess
    Annotations.fromStack(stack).hasWarning(
      '/Test/Consumer',
      Match.stringLikeRegexp(
        `topicSubscriptions\\[0\\]: the topic ${OTHER_ACCOUNT_TOPIC} is in account 444455556666, this stack in 111122223333. ` +
          'Its topic policy must allow account 111122223333 sns:Subscribe on it, or the deployment fails',
      ),
    );
    const { stack: same } = testStack();
    new FailsafeConsumer(same, 'Consumer', {
      topicSubscriptions: [{ topic: sns.Topic.fromTopicArn(same, 'Own', OTHER_REGION_TOPIC) }],
    });
    Annotations.fromStack(same).hasNoWarning('/Test/Consumer', Match.stringLikeRegexp('topicSubscriptions'));
  });

  it('subscribes a topic of another region in that region', () => {
    const { stack } = testStack();
    new FailsafeConsumer(stack, 'Consumer', {
      topicSubscriptions: [{ topic: sns.Topic.fromTopicArn(stack, 'Audit', OTHER_REGION_TOPIC) }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: OTHER_REGION_TOPIC,
      Region: 'us-east-1',
    });
  });

  it('makes the queue a rule target, with a message group on a FIFO queue', () => {
    // Arrange
    const { stack } = testStack();
    const rule = new events.Rule(stack, 'Shipped', { eventPattern: { source: ['shipping'] } });

    // Act
    new FailsafeConsumer(stack, 'Consumer', {
      fifo: true,
      eventRules: [
        { rule, messageGroupId: 'shipments', message: events.RuleTargetInput.fromEventPath('$.detail') },
      ],
    });

    // Assess
    const template = Template.fromStack(stack);
    const queueId = onlyLogicalId(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() });
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          InputPath: '$.detail',
          SqsParameters: { MessageGroupId: 'shipments' },
        }),
      ],
    });
    expect(consumerConfig(template).envelope).toBe('none');
  });

  it("lets each source's service use a customer managed key, the topic by its ARN", () => {
    // Arrange
    const { stack } = testStack();
    const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const rule = new events.Rule(stack, 'Shipped', { eventPattern: { source: ['shipping'] } });

    // Act
    new FailsafeConsumer(stack, 'Consumer', {
      encryptionKey,
      topicSubscriptions: [{ topic: sns.Topic.fromTopicArn(stack, 'Partner', OTHER_ACCOUNT_TOPIC) }],
      eventRules: [{ rule }],
    });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'sns.amazonaws.com' },
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Condition: { ArnEquals: { 'aws:SourceArn': OTHER_ACCOUNT_TOPIC } },
          }),
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
          }),
        ]),
      },
    });
  });

  it('makes no dependency cycle when a topic of the stack is encrypted with the same key', () => {
    // Arrange
    const { stack } = testStack();
    const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'Orders', { masterKey: encryptionKey });
    const rule = new events.Rule(stack, 'Shipped', { eventPattern: { source: ['shipping'] } });

    // Act
    new FailsafeConsumer(stack, 'Consumer', {
      encryptionKey,
      topicSubscriptions: [{ topic }],
      eventRules: [{ rule }],
    });

    // Assess
    expect(dependencyCycle(Template.fromStack(stack))).toBeUndefined();
  });

  it('writes no envelope without sources, leaving it to the code', () => {
    expect(consumerConfig(synthConsumer().template).envelope).toBeUndefined();
  });

  it.each<[string, (stack: TestStack) => FailsafeConsumerProps, SettingProblem]>([
    [
      'subscriptions that disagree on raw delivery',
      (stack) => ({
        topicSubscriptions: [
          { topic: new sns.Topic(stack, 'A') },
          { topic: new sns.Topic(stack, 'B'), rawMessageDelivery: false },
        ],
      }),
      {
        prop: 'topicSubscriptions[1].rawMessageDelivery',
        value: 'false',
        allowed:
          'the same on every subscription: the consumer decodes one shape of body, and topicSubscriptions[0] ' +
          'delivers raw (the default)',
      },
    ],
    [
      'an SNS envelope beside EventBridge events',
      (stack) => ({
        topicSubscriptions: [{ topic: new sns.Topic(stack, 'A'), rawMessageDelivery: false }],
        eventRules: [{ rule: new events.Rule(stack, 'R', { eventPattern: { source: ['x'] } }) }],
      }),
      {
        prop: 'topicSubscriptions[0].rawMessageDelivery',
        value: 'false',
        allowed:
          'true with eventRules: EventBridge delivers events without an SNS envelope, and the consumer decodes one ' +
          'shape of body',
      },
    ],
    [
      'an envelope in failsafe that the subscriptions contradict',
      (stack) => ({
        topicSubscriptions: [{ topic: new sns.Topic(stack, 'A') }],
        failsafe: { envelope: 'sns' },
      }),
      {
        prop: 'failsafe.envelope',
        value: 'sns',
        allowed:
          "'none', what the sources deliver (rawMessageDelivery on); leave it unset, the construct writes it",
      },
    ],
    [
      'a standard topic for a FIFO queue',
      (stack) => ({
        fifo: true,
        topicSubscriptions: [{ topic: sns.Topic.fromTopicArn(stack, 'T', OTHER_ACCOUNT_TOPIC) }],
      }),
      {
        prop: 'topicSubscriptions[0].topic',
        value: OTHER_ACCOUNT_TOPIC,
        allowed:
          'a FIFO topic: SNS delivers only FIFO topics to a FIFO queue (fifo is true); use a FIFO topic, or a ' +
          'standard queue',
      },
    ],
    [
      'two filter policies on one subscription',
      (stack) => ({
        topicSubscriptions: [
          {
            topic: new sns.Topic(stack, 'A'),
            filterPolicy: { kind: sns.SubscriptionFilter.existsFilter() },
            filterPolicyWithMessageBody: {
              kind: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.existsFilter()),
            },
          },
        ],
      }),
      {
        prop: 'topicSubscriptions[0].filterPolicyWithMessageBody',
        value: 'given with filterPolicy',
        allowed:
          'one filter policy per subscription: on the attributes (filterPolicy) or on the body, not both',
      },
    ],
    [
      'the same topic twice',
      (stack) => {
        const topic = sns.Topic.fromTopicArn(stack, 'T', OTHER_ACCOUNT_TOPIC);
        return { topicSubscriptions: [{ topic }, { topic }] };
      },
      {
        prop: 'topicSubscriptions[1].topic',
        value: OTHER_ACCOUNT_TOPIC,
        allowed: 'a topic once: topicSubscriptions[0] subscribes the queue to it already',
      },
    ],
    [
      'a rule without a message group for a FIFO queue',
      (stack) => ({
        fifo: true,
        eventRules: [{ rule: new events.Rule(stack, 'R', { eventPattern: { source: ['x'] } }) }],
      }),
      {
        prop: 'eventRules[0].messageGroupId',
        value: 'unset',
        allowed: 'a message group id: EventBridge needs one to send to a FIFO queue (fifo is true)',
      },
    ],
    [
      'a message group for a standard queue',
      (stack) => ({
        eventRules: [
          { rule: new events.Rule(stack, 'R', { eventPattern: { source: ['x'] } }), messageGroupId: 'g' },
        ],
      }),
      {
        prop: 'eventRules[0].messageGroupId',
        value: 'g',
        allowed: 'unset: message groups are for FIFO queues (fifo is false)',
      },
    ],
    [
      'more sources than the queue policy holds',
      (stack) => ({
        topicSubscriptions: Array.from({ length: 20 }, (_, index) => ({
          topic: sns.Topic.fromTopicArn(stack, `T${index}`, `${OTHER_ACCOUNT_TOPIC}-${index}`),
        })),
      }),
      {
        prop: 'topicSubscriptions',
        value: '20 topics and 0 rules',
        allowed:
          'at most 19 sources together: each takes one statement of the queue policy, which SQS caps at 20; ' +
          'publish through fewer topics',
      },
    ],
  ])('refuses %s, naming the prop', (_case, props, problem) => {
    expect(problemsOf(props)).toEqual([problem]);
  });

  it('accepts a FIFO topic for a FIFO queue', () => {
    expect(
      problemsOf((stack) => ({
        fifo: true,
        topicSubscriptions: [
          { topic: sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:eu-west-1:444455556666:orders.fifo') },
        ],
      })),
    ).toEqual([]);
  });
});
