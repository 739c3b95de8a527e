import type * as v from 'valibot';
import { attemptsHaveAPlace, type BatchConfig, type BatchConfigParts } from './batchConfig.js';
import { batchConfigSchemas } from './batchConfigSchemas.js';
import { batchOptionsExtension } from './batchOptionsExtension.js';
import { isPlainObject } from './schemaPredicates.js';
import { schemaProblems } from './schemaProblems.js';

/**
 * Every problem with a configuration (`config`: SQS_FAILSAFE_CONFIG; `options`: the code options), one
 * readable line each naming the key, from the valibot schemas. Only a configuration that the compiled
 * checks refuse gets here (batchConfigCheck.ts), so a Lambda bundle keeps this module and valibot's share
 * of the work out of the cold start: infra/bundling/bundleLambda.ts writes it to a file of its own, loaded
 * on first use (batchConfigCheck.ts requires it then).
 */
export function listProblems(kind: 'config' | 'options' | 'attempts', input: unknown): string[] {
  // The code options merged over SQS_FAILSAFE_CONFIG, each valid on its own.
  if (kind === 'attempts') return attemptProblems(input as BatchConfig);
  built[kind] ??= batchConfigSchemas(kind === 'options' ? batchOptionsExtension() : undefined);
  const parts = built[kind];
  const problems = schemaProblems(parts.top, input);
  problems.push(
    ...retryProblems((input as { retry?: unknown }).retry, parts),
    ...objectOrFalseProblems(
      input,
      'dependencyBreaker',
      parts.dependencyBreaker,
      '{ consecutiveFailures, ... }',
    ),
    ...objectOrFalseProblems(input, 'idempotency', parts.idempotency, '{ tableName, keyPath, ... }'),
  );
  if (problems.length === 0) problems.push(...attemptProblems(input as BatchConfig));
  return problems;
}

const built: { config?: BatchConfigParts<v.GenericSchema>; options?: BatchConfigParts<v.GenericSchema> } = {};

function retryProblems(retry: unknown, parts: BatchConfigParts<v.GenericSchema>): string[] {
  if (retry === undefined || retry === false) return [];
  const problems = schemaProblems(parts.retry, retry, 'retry');
  const budget = (retry as { budget?: unknown } | null)?.budget;
  if (typeof budget === 'object' && budget !== null)
    problems.push(...schemaProblems(parts.retryBudget, budget, 'retry.budget'));
  else if (budget !== undefined && budget !== false)
    problems.push(
      `retry.budget: must be false or an object { ratio, windowSeconds, minRetriesPerSecond } (got ${JSON.stringify(budget)})`,
    );
  return problems;
}

/** An optional feature given as `false` (off) or an object, each of whose problems is listed. */
function objectOrFalseProblems(
  input: unknown,
  key: string,
  schema: v.GenericSchema,
  shape: string,
): string[] {
  const value = (input as Record<string, unknown> | null)?.[key];
  if (value === undefined || value === false) return [];
  if (isPlainObject(value)) return schemaProblems(schema, value, key);
  return [`${key}: must be false or an object ${shape} (got ${JSON.stringify(value)})`];
}

/** Why attempts counted have nowhere to live (batchConfig.ts, attemptsHaveAPlace), in words. */
function attemptProblems(config: BatchConfig): string[] {
  if (attemptsHaveAPlace(config)) return [];
  if (config.deadLetter?.queueUrl.endsWith('.fifo'))
    return [
      'attemptLedger: required with deadLetter.maxAttempts on a FIFO queue, where a failed message must stay ' +
        'in its group: give { tableName } of a table with partition key "id" (String), or leave maxAttempts out',
    ];
  return [
    "attemptLedger: required with redelivery 'visibility' and deadLetter.maxAttempts, since the message " +
      'stays in the queue: give { tableName } of a table with partition key "id" (String), or use redelivery \'copy\'',
  ];
}
