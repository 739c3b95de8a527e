import * as v from 'valibot';

/**
 * Validates `input` and returns every problem as one readable line naming the option, what is allowed and
 * what was given, so an InvalidOptionsError can list them all at once.
 */
export function schemaProblems(schema: v.GenericSchema, input: unknown, prefix = ''): string[] {
  const result = v.safeParse(schema, input, { abortEarly: false });
  if (result.success) return [];
  return result.issues.map((issue) => {
    const path = [prefix, v.getDotPath(issue)].filter(Boolean).join('.');
    const given = issue.type === 'strict_object' ? '' : ` (got ${preview(issue.input)})`;
    return `${path || 'options'}: ${issue.message}${given}`;
  });
}

function preview(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return String(value);
  }
}

/** An integer in [min, max], with a message that states the range. */
export function integerIn(min: number, max: number) {
  const range = `an integer from ${min} to ${max}`;
  return v.pipe(
    v.number(`must be ${range}`),
    v.integer(`must be ${range}`),
    v.minValue(min, `must be ${range}`),
    v.maxValue(max, `must be ${range}`),
  );
}

/** A finite number in [min, max]. */
export function numberIn(min: number, max: number) {
  const range = `a number from ${min} to ${max}`;
  return v.pipe(
    v.number(`must be ${range}`),
    v.finite(`must be ${range}`),
    v.minValue(min, `must be ${range}`),
    v.maxValue(max, `must be ${range}`),
  );
}

/** Strict objects report a missing required key and an unknown key with the same issue type. */
export const unknownKey = (issue: v.StrictObjectIssue) =>
  issue.expected === 'never' ? `is not a known option (${String(issue.input)})` : 'is required';
