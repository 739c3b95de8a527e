import { expect } from 'vitest';
import { InvalidOptionsError } from '../../lib/index.js';

/** Runs `create`, which must throw an InvalidOptionsError, and returns the problems it lists. */
export function problemsOf(create: () => unknown): readonly string[] {
  let caught: unknown;
  try {
    create();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidOptionsError);
  return (caught as InvalidOptionsError).problems;
}
