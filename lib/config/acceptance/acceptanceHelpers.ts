/**
 * What the compiled acceptance checks (batchConfigAcceptance.ts) share, kept out of the generated file so
 * that each check is a line of it. Each mirrors the valibot schema of the same name, or is stricter.
 */

/** valibot's number(): any number but NaN. */
export const isNumber = (value: unknown): boolean => typeof value === 'number' && !Number.isNaN(value);

export interface ObjectEntries {
  readonly checks: Readonly<Record<string, (value: unknown) => boolean>>;
  readonly required: readonly string[];
}

/**
 * valibot's strictObject(): no key but the entries', the required ones present, each value accepted.
 * Stricter than valibot, which takes an array for an object: refusing one only costs the slower check.
 */
export function strictObject(value: unknown, entries: ObjectEntries): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) if (!Object.hasOwn(entries.checks, key)) return false;
  for (const key of entries.required) if (!(key in value)) return false;
  for (const key in entries.checks)
    if (!(entries.checks[key] as (value: unknown) => boolean)((value as Record<string, unknown>)[key]))
      return false;
  return true;
}
