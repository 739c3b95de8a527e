import type * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';

/**
 * One SNS topic the work queue is subscribed to (`topicSubscriptions`). The construct creates the subscription,
 * admits the topic in the queue policy (and the key policy with `encryptionKey`), and writes the runtime's
 * `envelope` to match `rawMessageDelivery`, so the consumer decodes what the subscription delivers.
 *
 * @example
 * const orders: TopicSubscriptionSettings = {
 *   topic: sns.Topic.fromTopicArn(this, 'Orders', 'arn:aws:sns:eu-west-1:444455556666:orders'),
 *   filterPolicy: { kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['order.created'] }) },
 * };
 */
export interface TopicSubscriptionSettings {
  /**
   * The topic: one of this app, or an existing one (`sns.Topic.fromTopicArn`), in any account or region. A
   * topic in another account must let this account subscribe (its topic policy allows `sns:Subscribe`).
   */
  readonly topic: sns.ITopic;
  /**
   * Deliver each message as it was published (`true`), or wrapped in SNS's JSON notification envelope
   * (`false`). The construct writes the matching `envelope` into the consumer's configuration (`none` or
   * `sns`); every subscription must agree.
   * @default true
   */
  readonly rawMessageDelivery?: boolean;
  /**
   * Only messages whose attributes match reach the queue (at most 5 attribute names).
   * @default every message
   */
  readonly filterPolicy?: { readonly [attribute: string]: sns.SubscriptionFilter };
  /**
   * Filter on the message body instead of its attributes (FilterPolicyScope `MessageBody`); not with
   * `filterPolicy`.
   * @default every message
   */
  readonly filterPolicyWithMessageBody?: { readonly [attribute: string]: sns.FilterOrPolicy };
}

/**
 * One EventBridge rule whose target is the work queue (`eventRules`). The construct adds the target and admits
 * the rule in the queue policy; the consumer receives the event as JSON (or `message`), never in an SNS
 * envelope.
 *
 * @example
 * const shipped: EventRuleSettings = {
 *   rule: new events.Rule(this, 'Shipped', { eventPattern: { source: ['shipping'], detailType: ['shipped'] } }),
 * };
 */
export interface EventRuleSettings {
  /** The rule (created in this app, in the stack's account and region). */
  readonly rule: events.Rule;
  /**
   * What the queue receives.
   * @default the whole event, as JSON
   */
  readonly message?: events.RuleTargetInput;
  /**
   * FIFO queues only, and required there: the message group of the events this rule delivers.
   * @default none
   */
  readonly messageGroupId?: string;
}
