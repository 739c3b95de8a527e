/**
 * One bad input a user could give, and what must come of it: a clear error (or, where the input is allowed
 * but risky, a warning) that names what to change. The tables in this folder are the tests' cases and the
 * source of the bad-input table in docs/construct.md (`npm run docs:bad-inputs`), so the two cannot drift.
 */
export interface BadInputCase<Input> {
  /** What was tried, as a user would write it. */
  readonly tried: string;
  readonly input: Input;
  /** What the message must name: the prop, context key, variable key or flag to change. */
  readonly names: string;
  /** @default 'error' */
  readonly outcome?: 'error' | 'warning';
}

/** Where a bad input is given, as the docs' table names it. */
export interface BadInputSurface {
  readonly surface: string;
  /** When the input is refused. */
  readonly refusedAt: string;
  readonly cases: readonly BadInputCase<unknown>[];
}
