import { Annotations, Stack, Token } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EventRuleSettings, TopicSubscriptionSettings } from './queueSourceSettings.js';

export interface QueueSourcesProps {
  readonly queue: sqs.IQueue;
  /** The queue's customer managed key, which each source must be able to use to send to it. */
  readonly encryptionKey?: kms.IKey | undefined;
  readonly topicSubscriptions: readonly TopicSubscriptionSettings[];
  readonly eventRules: readonly EventRuleSettings[];
}

/** What the construct created for its sources. */
export interface QueueSources {
  readonly subscriptions: readonly sns.Subscription[];
}

/**
 * Subscribes the work queue to its topics and makes it the target of its rules. The queue policy admits each
 * source by its ARN and nothing else (one statement each, docs/aws-semantics.md#sns-to-sqs-subscriptions,
 * docs/aws-semantics.md#eventbridge-to-sqs); with a customer managed key, the key policy lets each source's
 * service use the key for that queue only. A subscription waits for the policy, so no first delivery is denied.
 */
export function createQueueSources(scope: Construct, props: QueueSourcesProps): QueueSources {
  if (props.topicSubscriptions.length === 0 && props.eventRules.length === 0) return { subscriptions: [] };
  const sources = new Construct(scope, 'Sources');
  const { queue } = props;
  const subscriptions = props.topicSubscriptions.map((subscription, index) => {
    const { topic } = subscription;
    const sendFromTopic = { ArnEquals: { 'aws:SourceArn': topic.topicArn } };
    const { policyDependable } = queue.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: sendFromTopic,
      }),
    );
    // A topic encrypted with this very key refers to it: naming the topic in the key policy would be a cycle.
    const sameKey = props.encryptionKey !== undefined && topic.masterKey === props.encryptionKey;
    props.encryptionKey?.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: sameKey
          ? { StringEquals: { 'aws:SourceAccount': Stack.of(queue).account } }
          : sendFromTopic,
      }),
    );
    const created = new sns.Subscription(sources, `Topic${index}`, {
      topic,
      protocol: sns.SubscriptionProtocol.SQS,
      endpoint: queue.queueArn,
      rawMessageDelivery: subscription.rawMessageDelivery ?? true,
      filterPolicy: subscription.filterPolicy,
      filterPolicyWithMessageBody: subscription.filterPolicyWithMessageBody,
      region: topicRegionIfElsewhere(topic, scope),
    });
    if (policyDependable !== undefined) created.node.addDependency(policyDependable);
    warnIfTopicOfAnotherAccount(scope, topic, index);
    return created;
  });
  for (const source of props.eventRules) addRuleTarget(source, props);
  return { subscriptions };
}

function addRuleTarget(source: EventRuleSettings, props: QueueSourcesProps): void {
  const { queue } = props;
  const { rule } = source;
  queue.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
    }),
  );
  // By account, not by rule: the key policy naming the rule would make key -> rule -> queue -> key a cycle.
  props.encryptionKey?.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(queue).account } },
    }),
  );
  rule.addTarget({
    bind: (): events.RuleTargetConfig => ({
      arn: queue.queueArn,
      targetResource: queue,
      ...(source.message === undefined ? {} : { input: source.message }),
      ...(source.messageGroupId === undefined
        ? {}
        : { sqsParameters: { messageGroupId: source.messageGroupId } }),
    }),
  });
}

/** A topic in another region is subscribed in its own region (the subscription's `Region`). */
function topicRegionIfElsewhere(topic: sns.ITopic, scope: Construct): string | undefined {
  const here = Stack.of(scope).region;
  const there = topic.env.region;
  if (Token.isUnresolved(here) || Token.isUnresolved(there) || here === there) return undefined;
  return there;
}

/**
 * A topic of another account can be subscribed only when its topic policy lets this account `sns:Subscribe`
 * (docs/aws-semantics.md#sns-to-sqs-subscriptions), which the stack cannot see: said at synth, so a deployment
 * that fails on it is explained before it starts.
 */
function warnIfTopicOfAnotherAccount(scope: Construct, topic: sns.ITopic, index: number): void {
  const here = Stack.of(scope).account;
  const there = topic.env.account;
  if (Token.isUnresolved(here) || Token.isUnresolved(there) || here === there) return;
  Annotations.of(scope).addWarningV2(
    'sqs-failsafe:topicOfAnotherAccount',
    `topicSubscriptions[${index}]: the topic ${topic.topicArn} is in account ${there}, this stack in ${here}. ` +
      `Its topic policy must allow account ${here} sns:Subscribe on it, or the deployment fails creating the ` +
      'subscription (AuthorizationError); ask its owner to add that statement before deploying.',
  );
}
