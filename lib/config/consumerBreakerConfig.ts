import * as v from 'valibot';
import { MAX_ALARM_NAME_LENGTH } from '../aws/serviceLimits.js';
import { InvalidOptionsError } from '../errors.js';
import { envVarSubject, readJsonEnvVar } from './readJsonEnvVar.js';
import { integerIn, schemaProblems, unknownKey } from './schemaProblems.js';
import { topicArnSchema, versionSchema } from './sharedSchemas.js';

/**
 * The consumer breaker's configuration (the controller that pauses the event source mapping while a
 * dependency is down), as plain JSON in one environment variable. This module owns its type, its schema,
 * its defaults and its problems. The CDK construct sets it on the controller function (which the local
 * runtime deploys as synthesized); elsewhere consumerBreakerConfigEnvironment writes it. The controller
 * validates it at its cold start.
 */
export const CONSUMER_BREAKER_CONFIG_ENV_VAR = 'SQS_FAILSAFE_BREAKER_CONFIG';

export interface ConsumerBreakerConfig {
  readonly version?: 1;
  /** UUID of the consumer's event source mapping: the one thing the breaker pauses and resumes. */
  readonly mappingUuid: string;
  /** The alarm on the consumer's transient failures; events of any other alarm are ignored. */
  readonly alarmName: string;
  /** Where `consumer.paused` and `consumer.resumed` events go. @default none published */
  readonly topicArn?: string;
  /** How long the consumer stays paused before the half-open probe, 1..86,400 s. @default 300 */
  readonly coolDownSeconds?: number;
  /**
   * Maximum concurrency while half-open (and the marker of a pause made by the breaker), 2..1000
   * (AWS's own minimum is 2). @default 2
   */
  readonly halfOpenConcurrency?: number;
  /**
   * The maximum concurrency the mapping is deployed with, restored when the breaker closes; must be above
   * halfOpenConcurrency, 3..1000. @default none: the mapping has no maximum
   */
  readonly fullConcurrency?: number;
  /**
   * How long half-open must run before the alarm state decides (ALARM: pause again; otherwise close),
   * 1..86,400 s. Keep it at least the alarm's period x evaluation periods, so the alarm has seen the
   * half-open traffic. @default 300
   */
  readonly probeSeconds?: number;
}

export const CONSUMER_BREAKER_DEFAULTS = {
  coolDownSeconds: 300,
  halfOpenConcurrency: 2,
  probeSeconds: 300,
} as const;

/** The configuration with every default applied. */
export interface ResolvedConsumerBreakerConfig {
  readonly mappingUuid: string;
  readonly alarmName: string;
  readonly topicArn: string | undefined;
  readonly coolDownSeconds: number;
  readonly halfOpenConcurrency: number;
  readonly fullConcurrency: number | undefined;
  readonly probeSeconds: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** CloudWatch alarm names: 1..255 printable characters. */
const ALARM_NAME = new RegExp(`^[^\\p{Cc}]{1,${MAX_ALARM_NAME_LENGTH}}$`, 'u');

/**
 * Built on first use: the controller is its only reader, and a schema built at import time would be built
 * (and bundled) in every consumer that imports the package's entry point too.
 */
let consumerBreakerConfigSchema: ReturnType<typeof buildConsumerBreakerConfigSchema> | undefined;

function buildConsumerBreakerConfigSchema() {
  return v.strictObject(
    {
      version: versionSchema(),
      mappingUuid: v.pipe(
        v.string('must be the UUID of the event source mapping the breaker pauses'),
        v.regex(UUID, 'must be the UUID of the event source mapping the breaker pauses'),
      ),
      alarmName: v.pipe(
        v.string('must be the name of the alarm on the transient failures'),
        v.regex(ALARM_NAME, 'must be an alarm name (1 to 255 characters)'),
      ),
      topicArn: v.optional(topicArnSchema()),
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
 * consumerBreakerConfigProblems({ alarmName: 'orders' });
 * // ['mappingUuid: is required: the breaker needs an event source mapping to control']
 */
export function consumerBreakerConfigProblems(input: unknown): string[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return [`must be an object { mappingUuid, alarmName, ... } (got ${JSON.stringify(input)})`];
  consumerBreakerConfigSchema ??= buildConsumerBreakerConfigSchema();
  const problems = schemaProblems(consumerBreakerConfigSchema, input);
  const { halfOpenConcurrency = CONSUMER_BREAKER_DEFAULTS.halfOpenConcurrency, fullConcurrency } =
    input as ConsumerBreakerConfig;
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
 * const config = resolveConsumerBreakerConfig({ mappingUuid, alarmName: 'orders-transient-failures' });
 * config.coolDownSeconds; // 300
 */
export function resolveConsumerBreakerConfig(
  input: unknown,
  subject = 'breaker configuration',
): ResolvedConsumerBreakerConfig {
  const problems = consumerBreakerConfigProblems(input);
  if (problems.length > 0) throw new InvalidOptionsError(subject, problems);
  const config = input as ConsumerBreakerConfig;
  return {
    mappingUuid: config.mappingUuid,
    alarmName: config.alarmName,
    topicArn: config.topicArn,
    coolDownSeconds: config.coolDownSeconds ?? CONSUMER_BREAKER_DEFAULTS.coolDownSeconds,
    halfOpenConcurrency: config.halfOpenConcurrency ?? CONSUMER_BREAKER_DEFAULTS.halfOpenConcurrency,
    fullConcurrency: config.fullConcurrency,
    probeSeconds: config.probeSeconds ?? CONSUMER_BREAKER_DEFAULTS.probeSeconds,
  };
}

/**
 * The environment entry that configures the breaker controller. Validates first, so a construct fails at
 * synth rather than the controller at its cold start.
 *
 * @example
 * new lambda.Function(this, 'ConsumerBreakerController', {
 *   environment: consumerBreakerConfigEnvironment({ mappingUuid: mapping.eventSourceMappingId, alarmName }),
 *   ...
 * });
 */
export function consumerBreakerConfigEnvironment(config: ConsumerBreakerConfig): Record<string, string> {
  resolveConsumerBreakerConfig(config);
  return { [CONSUMER_BREAKER_CONFIG_ENV_VAR]: JSON.stringify({ version: 1, ...config }) };
}

/**
 * Reads the controller's configuration from SQS_FAILSAFE_BREAKER_CONFIG. Missing, not JSON or invalid:
 * one InvalidOptionsError listing every problem, thrown at cold start, before the controller touches
 * the mapping.
 *
 * @example
 * const config = readConsumerBreakerConfig(); // at module level: a bad deployment fails its cold start
 */
export function readConsumerBreakerConfig(
  env: NodeJS.ProcessEnv = process.env,
): ResolvedConsumerBreakerConfig {
  const subject = envVarSubject(CONSUMER_BREAKER_CONFIG_ENV_VAR);
  const parsed = readJsonEnvVar(env, CONSUMER_BREAKER_CONFIG_ENV_VAR);
  if (parsed === undefined)
    throw new InvalidOptionsError(subject, [
      'is not set: the breaker controller needs { mappingUuid, alarmName, ... } (see docs/outage-protection.md)',
    ]);
  return resolveConsumerBreakerConfig(parsed, subject);
}
