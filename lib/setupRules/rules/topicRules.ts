import type { SetupRule } from '../setupRule.js';

/** The region part of an SNS topic ARN; undefined when it is no literal topic ARN. */
function topicRegion(arn: string): string | undefined {
  const [prefix, , service, region] = arn.split(':');
  return prefix === 'arn' && service === 'sns' && region !== undefined && /^[a-z0-9-]+$/.test(region)
    ? region
    : undefined;
}

export const CALLBACK_TOPICS_IN_REGION: SetupRule = {
  id: 'callback-topics-in-region',
  severity: 'warning',
  summary: "Callback topics are in the consumer's region.",
  why:
    "the runtime publishes with a client in the function's region, so a callback to a topic in another region " +
    'fails at publish time, after the message was processed, and the producer never hears of it',
  reference: 'docs/aws-semantics.md#topics-are-regional',
  check({ region, callbackTopicArns }) {
    if (region === undefined || callbackTopicArns === undefined) return [];
    return callbackTopicArns.flatMap((arn) => {
      const topic = topicRegion(arn);
      if (topic === undefined || topic === region) return [];
      return [
        {
          prop: 'failsafe.notifications.callbackTopicAllowList',
          value: arn,
          problem: `the topic is in ${topic}, the consumer in ${region}`,
          fix: `list only topics in ${region}, or relay callbacks through a topic in ${region}`,
        },
      ];
    });
  },
};
