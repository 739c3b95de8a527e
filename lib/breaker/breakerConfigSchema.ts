import * as v from 'valibot';
import { topicArnSchema } from '../config/configSchemas.js';
import { envVarSubject, readJsonEnvVar } from '../config/readJsonEnvVar.js';
import { InvalidOptionsError } from '../errors.js';
import { integerIn, schemaProblems, unknownKey } from '../options/schemaProblems.js';
import {
  BREAKER_CONFIG_ENV_VAR,
  BREAKER_DEFAULTS,
  type BreakerConfig,
  type ResolvedBreakerConfig,
} from './breakerConfig.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** CloudWatch alarm names: 1..255 printable characters. */
const ALARM_NAME = /^[^\p{Cc}]{1,255}$/u;

/**
 * Built on first use: the controller is its only reader, and a schema built at import time would be built
 * (and bundled) in every consumer that imports the package's entry point too.
 */
let breakerConfigSchema: ReturnType<typeof buildBreakerConfigSchema> | undefined;

function buildBreakerConfigSchema() {
  return v.strictObject(
    {
      version: v.optional(v.literal(1, 'must be 1 (the only configuration version)')),
      mappingUuid: v.pipe(
        v.string('must be the UUID of the event source mapping the breaker pauses'),
        v.regex(UUID, 'must be the UUID of the event source mapping the breaker pauses'),
      ),
      alarmName: v.pipe(
        v.string('must be the name of the alarm on the transient failures'),
        v.regex(ALARM_NAME, 'must be an alarm name (1 to 255 characters)'),
      ),
      topicArn: v.optional(topicArnSchema),
      coolDownSeconds: v.optional(integerIn(1, 86_400)),
      halfOpenConcurrency: v.optional(integerIn(2, 1_000)),
      fullConcurrency: v.optional(integerIn(3, 1_000)),
      probeSeconds: v.optional(integerIn(1, 86_400)),
    },
    (issue) =>
      issue.expected === 'never'
        ? `is not a known option (${String(issue.input)})`
        : issue.expected === '"mappingUuid"'
          ? 'is required: the breaker needs an event source mapping to control'
          : unknownKey(issue),
  );
}

/**
 * Every problem with a breaker configuration, one readable line each (empty when it is valid).
 *
 * @example
 * breakerConfigProblems({ alarmName: 'orders' });
 * // ['mappingUuid: is required: the breaker needs an event source mapping to control']
 */
export function breakerConfigProblems(input: unknown): string[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return [`must be an object { mappingUuid, alarmName, ... } (got ${JSON.stringify(input)})`];
  breakerConfigSchema ??= buildBreakerConfigSchema();
  const problems = schemaProblems(breakerConfigSchema, input);
  const { halfOpenConcurrency = BREAKER_DEFAULTS.halfOpenConcurrency, fullConcurrency } =
    input as BreakerConfig;
  if (
    typeof fullConcurrency === 'number' &&
    typeof halfOpenConcurrency === 'number' &&
    fullConcurrency <= halfOpenConcurrency
  )
    problems.push(
      `fullConcurrency: must be above halfOpenConcurrency (${halfOpenConcurrency}), or the breaker cannot tell half-open from closed (got ${fullConcurrency})`,
    );
  return problems;
}

/**
 * Validates a configuration (throwing one InvalidOptionsError listing every problem) and applies defaults.
 *
 * @example
 * const config = resolveBreakerConfig({ mappingUuid, alarmName: 'orders-transient-failures' });
 * config.coolDownSeconds; // 300
 */
export function resolveBreakerConfig(
  input: unknown,
  subject = 'breaker configuration',
): ResolvedBreakerConfig {
  const problems = breakerConfigProblems(input);
  if (problems.length > 0) throw new InvalidOptionsError(subject, problems);
  const config = input as BreakerConfig;
  return {
    mappingUuid: config.mappingUuid,
    alarmName: config.alarmName,
    topicArn: config.topicArn,
    coolDownSeconds: config.coolDownSeconds ?? BREAKER_DEFAULTS.coolDownSeconds,
    halfOpenConcurrency: config.halfOpenConcurrency ?? BREAKER_DEFAULTS.halfOpenConcurrency,
    fullConcurrency: config.fullConcurrency,
    probeSeconds: config.probeSeconds ?? BREAKER_DEFAULTS.probeSeconds,
  };
}

/**
 * The environment entry that configures the breaker controller. Validates first, so a construct fails at
 * synth rather than the controller at its cold start.
 *
 * @example
 * new lambda.Function(this, 'BreakerController', {
 *   environment: breakerConfigEnvironment({ mappingUuid: mapping.eventSourceMappingId, alarmName }),
 *   ...
 * });
 */
export function breakerConfigEnvironment(config: BreakerConfig): Record<string, string> {
  resolveBreakerConfig(config);
  return { [BREAKER_CONFIG_ENV_VAR]: JSON.stringify({ version: 1, ...config }) };
}

/**
 * Reads the controller's configuration from SQS_FAILSAFE_BREAKER_CONFIG. Missing, not JSON or invalid:
 * one InvalidOptionsError listing every problem, thrown at cold start, before the controller touches
 * the mapping.
 *
 * @example
 * const config = readBreakerConfig(); // at module level: a bad deployment fails its cold start
 */
export function readBreakerConfig(env: NodeJS.ProcessEnv = process.env): ResolvedBreakerConfig {
  const subject = envVarSubject(BREAKER_CONFIG_ENV_VAR);
  const parsed = readJsonEnvVar(env, BREAKER_CONFIG_ENV_VAR);
  if (parsed === undefined)
    throw new InvalidOptionsError(subject, [
      'is not set: the breaker controller needs { mappingUuid, alarmName, ... } (see docs/outage-protection.md)',
    ]);
  return resolveBreakerConfig(parsed, subject);
}
