import * as v from 'valibot';
import type { BatchConfigExtension } from './batchConfigSchemas.js';
import { isLogger, isNonNullObject, isOutcomeStage, isStandardSchema } from './schemaPredicates.js';
import { unknownKey } from './schemaProblems.js';

const HOOK_NAMES = ['onSuccess', 'onFailure', 'onRetry', 'onDeadLetter', 'onRetryScheduled'] as const;

/**
 * What code options add to the batch configuration's schemas: what JSON cannot hold. Everything else is
 * checked by the configuration's own schemas (batchConfigSchemas), with the same rules and messages. Built
 * on call: a cold start with valid options runs the compiled form instead.
 */
export function batchOptionsExtension(): BatchConfigExtension {
  return {
    top: {
      body: v.optional(v.picklist(['json', 'text'], 'must be "json" or "text"')),
      schema: v.optional(
        v.custom(isStandardSchema, 'must be a Standard Schema (zod, valibot, arktype, ...)'),
      ),
      throwOnBatchFailure: v.optional(v.boolean('must be true or false')),
      hooks: v.optional(
        v.strictObject(
          Object.fromEntries(HOOK_NAMES.map((name) => [name, v.optional(v.function('must be a function'))])),
          unknownKey,
        ),
      ),
      logger: v.optional(
        v.custom(isLogger, 'must have debug, info, warn and error methods (a Powertools Logger does)'),
      ),
      metrics: v.optional(v.boolean('must be true or false')),
      aws: v.optional(v.custom(isNonNullObject, 'must be an object of SDK clients ({ sqs, sns, dynamodb })')),
      configFromEnvironment: v.optional(v.boolean('must be true or false')),
      stages: v.optional(
        v.array(v.custom(isOutcomeStage, 'must be a stage ({ name, run })'), 'must be an array of stages'),
      ),
    },
    retry: { retryOn: v.optional(v.function('must be a function (error, record) => boolean')) },
    dependencyBreaker: {
      dependencyOf: v.optional(v.function('must be a function (error, record) => string | undefined')),
      dependenciesOf: v.optional(v.function('must be a function (message, record) => string[]')),
    },
  };
}
