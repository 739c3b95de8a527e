import type { StandardSchemaV1 } from '@standard-schema/spec';
import { BodyValidationError } from '../errors.js';
import { fullIssue, valueFreeIssue } from './valueFreeProblems.js';

/**
 * Runs any Standard Schema validator; its output (not the input) is what the handler receives. Issues are
 * described by path and kind, without the rejected values, unless `withValues`.
 */
export function validateWithSchema(
  schema: StandardSchemaV1,
  value: unknown,
  messageId: string,
  withValues = false,
): unknown | Promise<unknown> {
  const result = schema['~standard'].validate(value);
  return result instanceof Promise
    ? result.then((settled) => unwrapResult(settled, messageId, withValues))
    : unwrapResult(result, messageId, withValues);
}

function unwrapResult(
  result: StandardSchemaV1.Result<unknown>,
  messageId: string,
  withValues: boolean,
): unknown {
  if (result.issues === undefined) return result.value;
  throw new BodyValidationError(messageId, result.issues.map(withValues ? fullIssue : valueFreeIssue));
}
