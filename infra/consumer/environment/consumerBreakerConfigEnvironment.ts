import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import {
  CONSUMER_BREAKER_CONFIG_ENV_VAR,
  type ConsumerBreakerConfig,
  consumerBreakerConfigProblems,
} from '../../../lib/config/consumerBreakerConfig.js';
import { InvalidOptionsError } from '../../../lib/errors.js';
import { isNotAboutAToken, withTokenStandIns } from '../settings/tokenStandIns.js';

/**
 * The same entry as the runtime's `consumerBreakerConfigEnvironment(config)` (one key, `{ version: 1, ...config }`,
 * validated first), for a configuration that holds CDK tokens such as the event source mapping's UUID: the
 * runtime's version refuses tokens, since their placeholder text is no UUID. Tokens are rendered by
 * Stack.toJsonString into the deployed value; every other field is checked as the controller will check it at
 * cold start.
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
  const problems = consumerBreakerConfigProblems(withTokenStandIns(config)).filter(isNotAboutAToken);
  if (problems.length > 0) throw new InvalidOptionsError('breaker configuration', problems);
  return { [CONSUMER_BREAKER_CONFIG_ENV_VAR]: Stack.of(scope).toJsonString({ version: 1, ...config }) };
}
