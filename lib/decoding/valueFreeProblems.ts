import type { StandardSchemaV1 } from '@standard-schema/spec';

/**
 * Decode and validation errors without the body's content. JSON.parse quotes the start of the body it
 * cannot read, and validators quote the value they reject (`Invalid email: Received "SSN-123-45-6789"`);
 * those texts reach the DLQ metadata, the outcome events and the logs, so unless the user asked for bodies
 * (`notifications.includeBody`) each is reduced to where the problem is and what kind it is.
 */

/** V8's `<kind> in JSON at position 12 (line 1 column 13)`: the kind (static text, no quote) and where. */
const AT_POSITION = /^([A-Z][^"]*?)(?: in JSON)? (at position \d+(?: \(line \d+ column \d+\))?)$/;

/** What is wrong with a body JSON.parse refused, without quoting it: `unexpected character`, and where. */
export function jsonProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const located = AT_POSITION.exec(message);
  if (located !== null) return `${lowerFirst(located[1] as string)} ${located[2]}`;
  if (message === 'Unexpected end of JSON input') return 'unexpected end of input';
  // `Unexpected token 'S', "SSN-123-45-6789" is not valid JSON`: both the token and the excerpt are body.
  if (message.startsWith('Unexpected token')) return 'unexpected character';
  return 'not valid JSON';
}

/**
 * A validator's text that says what was expected but not what was received:
 * - valibot: `Invalid value: Expected >=1 but received -5` -> `Invalid value: Expected >=1`;
 * - zod: `Invalid input: expected number, received string` -> `Invalid input: expected number`, and an
 *   unrecognized key (a name from the body) -> `unrecognized key`;
 * - arktype: `must be positive (was -5)` -> `must be positive`.
 * Literals the schema itself declares (`Expected ("A" | "B")`) are kept: they come from code, not data.
 */
export function valueFreeIssue(issue: StandardSchemaV1.Issue): string {
  const { code } = issue as { code?: unknown };
  const text =
    code === 'unrecognized_keys'
      ? 'unrecognized key'
      : issue.message
          .replace(/\s*\(was\b.*\)\s*$/s, '')
          .replace(/(?:\s*[,:;]\s*|\s+)(?:but\s+)?received\b.*$/is, '')
          .replace(/^(Invalid [\w ]+):\s*$/, '$1')
          .trim();
  return withPath(issue, text === '' ? 'invalid' : text);
}

/** The validator's own text, values and all (only when the user asked for bodies). */
export function fullIssue(issue: StandardSchemaV1.Issue): string {
  return withPath(issue, issue.message);
}

function withPath(issue: StandardSchemaV1.Issue, text: string): string {
  if (!issue.path || issue.path.length === 0) return text;
  const path = issue.path
    .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
    .join('.');
  return `${path}: ${text}`;
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}
