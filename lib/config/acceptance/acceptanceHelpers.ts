import { isPlainObject } from '../schemaPredicates.js';

/**
 * What the compiled acceptance checks (batchConfigAcceptance.ts) share, kept out of the generated file so
 * that each check is a line of it. Each mirrors the valibot schema of the same name, or is stricter.
 */

/** valibot's number(): any number but NaN. */
export const isNumber = (value: unknown): boolean => typeof value === 'number' && !Number.isNaN(value);

export const isInteger = Number.isInteger;

/**
 * valibot's array(): every index up to the length, an empty slot of a sparse array read as undefined
 * (Array.prototype.every would skip it).
 */
export function isArrayOf(value: unknown, check: (item: unknown) => boolean): boolean {
  if (!Array.isArray(value)) return false;
  for (let index = 0; index < value.length; index += 1) if (!check(value[index])) return false;
  return true;
}
export const isFiniteNumber = Number.isFinite;

/**
 * valibot's strictObject(): no key but the entries', the `required` ones present, each value accepted by
 * its check; an undefined value of a key that is not required is accepted (valibot's optional()).
 * Stricter than valibot, which takes an array for an object: refusing one only costs the slower check.
 */
export function strictObject(
  value: unknown,
  checks: Readonly<Record<string, (value: unknown) => boolean>>,
  required: readonly string[] = [],
): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) if (!Object.hasOwn(checks, key)) return false;
  for (const key of required) if (!(key in value)) return false;
  for (const key in checks) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry === undefined && !required.includes(key)) continue;
    if (!(checks[key] as (value: unknown) => boolean)(entry)) return false;
  }
  return true;
}
