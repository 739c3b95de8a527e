import type { StandardSchemaV1 } from '@standard-schema/spec';
import { BodyValidationError } from '../errors.js';

/** Runs any Standard Schema validator; its output (not the input) is what the handler receives. */
export function validateWithSchema(
  schema: StandardSchemaV1,
  value: unknown,
  messageId: string,
): unknown | Promise<unknown> {
  const result = schema['~standard'].validate(value);
  return result instanceof Promise
    ? result.then((settled) => unwrapResult(settled, messageId))
    : unwrapResult(result, messageId);
}

function unwrapResult(result: StandardSchemaV1.Result<unknown>, messageId: string): unknown {
  if (result.issues === undefined) return result.value;
  throw new BodyValidationError(messageId, result.issues.map(describeIssue));
}

function describeIssue(issue: StandardSchemaV1.Issue): string {
  if (!issue.path || issue.path.length === 0) return issue.message;
  const path = issue.path
    .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    .join('.');
  return `${path}: ${issue.message}`;
}
