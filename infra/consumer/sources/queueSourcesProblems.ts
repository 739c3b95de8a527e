import { Token } from 'aws-cdk-lib';
import { MAX_QUEUE_POLICY_STATEMENTS } from '../../../lib/aws/serviceLimits.js';
import type { Envelope } from '../../../lib/config/batchConfig.js';
import type { FailsafeConsumerProps } from '../failsafeConsumerProps.js';
import type { SettingProblem } from '../settings/InvalidConsumerSettingsError.js';

/** The queue policy's own statement (requests without TLS are denied), which sources share the limit with. */
const OWN_QUEUE_POLICY_STATEMENTS = 1;

/**
 * The runtime's `envelope` for what the sources deliver: `none` when every subscription delivers raw (or
 * there are only rules), `sns` when none does; undefined without sources (the configuration then says
 * nothing, and code decides) or when they disagree (a problem below).
 */
export function sourcesEnvelope(props: FailsafeConsumerProps): Envelope | undefined {
  const raw = new Set((props.topicSubscriptions ?? []).map((each) => each.rawMessageDelivery ?? true));
  if (raw.size > 1) return undefined;
  if (raw.has(false)) return (props.eventRules ?? []).length > 0 ? undefined : 'sns';
  return raw.has(true) || (props.eventRules ?? []).length > 0 ? 'none' : undefined;
}

/**
 * What SNS, EventBridge or SQS would refuse about the sources, and where the runtime could not decode what they
 * deliver: every problem, each naming the prop (docs/aws-semantics.md#sns-to-sqs-subscriptions,
 * docs/aws-semantics.md#eventbridge-to-sqs, docs/aws-semantics.md#queue-policy-statements).
 */
export function queueSourcesProblems(props: FailsafeConsumerProps, fifo: boolean): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const add = (prop: string, value: string, allowed: string) => problems.push({ prop, value, allowed });
  const subscriptions = props.topicSubscriptions ?? [];
  const rules = props.eventRules ?? [];

  const seen = new Map<string, number>();
  subscriptions.forEach((subscription, index) => {
    const prop = `topicSubscriptions[${index}]`;
    const { topic } = subscription;
    const arn = Token.isUnresolved(topic.topicArn) ? topic.node.path : topic.topicArn;
    const earlier = seen.get(arn);
    if (earlier !== undefined) {
      add(
        `${prop}.topic`,
        arn,
        `a topic once: topicSubscriptions[${earlier}] subscribes the queue to it already`,
      );
    }
    seen.set(arn, index);
    if (fifo && !topic.fifo) {
      add(
        `${prop}.topic`,
        arn,
        'a FIFO topic: SNS delivers only FIFO topics to a FIFO queue (fifo is true); use a FIFO topic, or a standard queue',
      );
    }
    if (subscription.filterPolicy !== undefined && subscription.filterPolicyWithMessageBody !== undefined) {
      add(
        `${prop}.filterPolicyWithMessageBody`,
        'given with filterPolicy',
        'one filter policy per subscription: on the attributes (filterPolicy) or on the body, not both',
      );
    }
  });

  const raw = subscriptions.map((each) => each.rawMessageDelivery ?? true);
  const wrapped = raw.indexOf(false);
  if (raw.includes(true) && wrapped >= 0) {
    add(
      `topicSubscriptions[${wrapped}].rawMessageDelivery`,
      'false',
      `the same on every subscription: the consumer decodes one shape of body, and topicSubscriptions[${raw.indexOf(true)}] ` +
        'delivers raw (the default)',
    );
  } else if (wrapped >= 0 && rules.length > 0) {
    add(
      `topicSubscriptions[${wrapped}].rawMessageDelivery`,
      'false',
      'true with eventRules: EventBridge delivers events without an SNS envelope, and the consumer decodes one shape of body',
    );
  }
  const derived = sourcesEnvelope(props);
  const given = props.failsafe?.envelope;
  if (given !== undefined && derived !== undefined && given !== derived) {
    add(
      'failsafe.envelope',
      given,
      `'${derived}', what the sources deliver (rawMessageDelivery ${derived === 'none' ? 'on' : 'off'}); leave it unset, ` +
        'the construct writes it',
    );
  }

  rules.forEach((source, index) => {
    const prop = `eventRules[${index}].messageGroupId`;
    if (fifo && source.messageGroupId === undefined) {
      add(prop, 'unset', 'a message group id: EventBridge needs one to send to a FIFO queue (fifo is true)');
    } else if (!fifo && source.messageGroupId !== undefined) {
      add(prop, source.messageGroupId, 'unset: message groups are for FIFO queues (fifo is false)');
    }
  });

  const statements = OWN_QUEUE_POLICY_STATEMENTS + subscriptions.length + rules.length;
  if (statements > MAX_QUEUE_POLICY_STATEMENTS) {
    add(
      subscriptions.length > 0 ? 'topicSubscriptions' : 'eventRules',
      `${subscriptions.length} topics and ${rules.length} rules`,
      `at most ${MAX_QUEUE_POLICY_STATEMENTS - OWN_QUEUE_POLICY_STATEMENTS} sources together: each takes one statement ` +
        `of the queue policy, which SQS caps at ${MAX_QUEUE_POLICY_STATEMENTS}; publish through fewer topics`,
    );
  }
  return problems;
}
