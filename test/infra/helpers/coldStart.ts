import type { Template } from 'aws-cdk-lib/assertions';
import { BATCH_CONFIG_ENV_VAR } from '../../../lib/config/batchConfig.js';
import { readBatchConfig } from '../../../lib/config/batchConfigCheck.js';
import {
  CONSUMER_BREAKER_CONFIG_ENV_VAR,
  readConsumerBreakerConfig,
} from '../../../lib/config/consumerBreakerConfig.js';
import { REDRIVE_CONFIG_ENV_VAR, readRedriveConfig } from '../../../lib/config/redriveConfig.js';
import { type IntrinsicScope, resolveString } from '../../../local/assembly/resolveIntrinsics.js';
import { ACCOUNT, REGION } from './consumerStack.js';

/** What each function reads at cold start, and with what: the runtime's own readers. */
const READERS: Readonly<Record<string, (env: NodeJS.ProcessEnv) => unknown>> = {
  [BATCH_CONFIG_ENV_VAR]: readBatchConfig,
  [REDRIVE_CONFIG_ENV_VAR]: readRedriveConfig,
  [CONSUMER_BREAKER_CONFIG_ENV_VAR]: readConsumerBreakerConfig,
};

/**
 * The references of a template as a deployment would fill them in: a queue's URL and ARN, a topic's ARN, a
 * table's name, a mapping's UUID, each of the right shape for its resource (FIFO queues end in `.fifo`).
 */
function deployedScope(template: Template): IntrinsicScope {
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties?: Record<string, unknown> }
  >;
  const typeOf = (id: string) => resources[id]?.Type;
  const queueName = (id: string) => `${id}${resources[id]?.Properties?.FifoQueue === true ? '.fifo' : ''}`;
  const ref = (id: string): string | undefined => {
    switch (typeOf(id)) {
      case 'AWS::SQS::Queue':
        return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queueName(id)}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${REGION}:${ACCOUNT}:${id}`;
      case 'AWS::DynamoDB::Table':
        return `${id}-table`;
      case 'AWS::Lambda::EventSourceMapping':
        return '6f1e0c3a-2b4d-4e5f-8a9b-0c1d2e3f4a5b';
      default:
        return id;
    }
  };
  return {
    ref,
    getAtt(id, attribute) {
      if (typeOf(id) === 'AWS::SQS::Queue')
        return attribute === 'Arn' ? `arn:aws:sqs:${REGION}:${ACCOUNT}:${queueName(id)}` : ref(id);
      if (typeOf(id) === 'AWS::SNS::Topic' && attribute === 'TopicArn') return ref(id);
      return `arn:aws:${id}:${attribute}`;
    },
    pseudo: {
      'AWS::Partition': 'aws',
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': 'Test',
    },
  };
}

/**
 * What the functions of a synthesized template would refuse at their cold start: each configuration variable
 * the construct wrote, with its references filled in as deployed, read by the runtime's own reader. Empty when
 * every function would start.
 */
export function coldStartRefusals(template: Template): string[] {
  const scope = deployedScope(template);
  const functions = template.findResources('AWS::Lambda::Function');
  const refusals: string[] = [];
  for (const [id, resource] of Object.entries(functions)) {
    const variables = (resource.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
    for (const [variable, read] of Object.entries(READERS)) {
      if (variables[variable] === undefined) continue;
      const env = { [variable]: resolveString(variables[variable], scope) };
      try {
        read(env);
      } catch (error) {
        refusals.push(`${id} ${variable}: ${(error as Error).message}`);
      }
    }
  }
  return refusals;
}
