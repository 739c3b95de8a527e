import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import {
  CONSUMER_BREAKER_CONFIG_ENV_VAR,
  type ConsumerBreakerConfig,
  consumerBreakerConfigProblems,
} from '../../../lib/config/consumerBreakerConfig.js';
import { InvalidOptionsError } from '../../../lib/errors.js';

/** Valid stand-ins for values that are tokens at synth time (the mapping's UUID is only known on deploy). */
const TOKEN_STAND_INS = {
  mappingUuid: '00000000-0000-4000-8000-000000000000',
  alarmName: 'alarm',
  topicArn: 'arn:aws:sns:us-east-1:111122223333:topic',
} as const;

/**
 * The same entry as the runtime's `consumerBreakerConfigEnvironment(config)` (one key, `{ version: 1, ...config }`,
 * validated first), for a configuration that holds CDK tokens such as the event source mapping's UUID: the
 * runtime's version refuses tokens, since their placeholder text is no UUID. Tokens are validated as valid
 * stand-ins and rendered by Stack.toJsonString into the deployed value; every other field is checked as the
 * controller will check it at cold start.
 *
 * @example
 * new lambda.Function(this, 'ConsumerBreakerController', {
 *   environment: consumerBreakerConfigEnvironment(this, {
 *     mappingUuid: eventSource.eventSourceMappingId,
 *     alarmName: 'orders-transient-failures',
 *   }),
 *   ...
 * });
 */
export function consumerBreakerConfigEnvironment(
  scope: IConstruct,
  config: ConsumerBreakerConfig,
): Record<string, string> {
  const checked: Record<string, unknown> = { ...config };
  for (const [key, standIn] of Object.entries(TOKEN_STAND_INS)) {
    if (typeof checked[key] === 'string' && Token.isUnresolved(checked[key])) checked[key] = standIn;
  }
  const problems = consumerBreakerConfigProblems(checked);
  if (problems.length > 0) throw new InvalidOptionsError('breaker configuration', problems);
  return { [CONSUMER_BREAKER_CONFIG_ENV_VAR]: Stack.of(scope).toJsonString({ version: 1, ...config }) };
}
