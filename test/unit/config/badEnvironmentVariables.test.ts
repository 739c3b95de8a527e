import { describe, expect, it } from 'vitest';
import { BATCH_CONFIG_ENV_VAR } from '../../../lib/config/batchConfig.js';
import { readBatchConfig } from '../../../lib/config/batchConfigCheck.js';
import {
  CONSUMER_BREAKER_CONFIG_ENV_VAR,
  readConsumerBreakerConfig,
} from '../../../lib/config/consumerBreakerConfig.js';
import { REDRIVE_CONFIG_ENV_VAR, readRedriveConfig } from '../../../lib/config/redriveConfig.js';
import { InvalidOptionsError } from '../../../lib/errors.js';
import { ENVIRONMENT_VARIABLE_CASES } from '../../badInputs/environmentVariables.js';

/** What each function reads at cold start: the consumer, the redrive function, the breaker controller. */
const COLD_START: Readonly<Record<string, (env: NodeJS.ProcessEnv) => unknown>> = {
  [BATCH_CONFIG_ENV_VAR]: readBatchConfig,
  [REDRIVE_CONFIG_ENV_VAR]: readRedriveConfig,
  [CONSUMER_BREAKER_CONFIG_ENV_VAR]: readConsumerBreakerConfig,
};

describe('bad configuration variables: a clear error at cold start, naming the variable and the key', () => {
  it.each(ENVIRONMENT_VARIABLE_CASES)('$input.variable: $tried -> $names', ({ input, names }) => {
    const read = COLD_START[input.variable] as (env: NodeJS.ProcessEnv) => unknown;
    const env = input.value === undefined ? {} : { [input.variable]: input.value };
    let caught: unknown;
    try {
      read(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidOptionsError);
    const error = caught as InvalidOptionsError;
    expect(error.message).toMatch(new RegExp(`^Invalid ${input.variable} environment variable:\\n`));
    if (names !== input.variable)
      expect(error.problems.some((problem) => problem.startsWith(`${names}: `))).toBe(true);
    expect(error.message).not.toMatch(/^\s+at /m);
  });
});
