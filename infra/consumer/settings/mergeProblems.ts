import type { SettingProblem } from './InvalidConsumerSettingsError.js';

/** Whether two prop paths name the same setting or one contains the other (`a.b` and `a.b[1]`). */
function related(a: string, b: string): boolean {
  const contains = (outer: string, inner: string) =>
    inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return contains(a, b) || contains(b, a);
}

/**
 * The problems of several checks as one list, each setting reported once: a later check's problem about a
 * setting an earlier check already reported is dropped. Checks go from the most specific (the construct's own
 * ranges, which say what each prop allows) to the most general (the runtime's schema, then the setup rules,
 * which compare settings that are each in range), so a value out of range is not also reported as breaking a
 * relation it could not be compared in.
 *
 * @example
 * mergeProblems([{ prop: 'retentionPeriod', ... }], [{ prop: 'retentionPeriod', ... }]) // the first only
 */
export function mergeProblems(...checks: readonly (readonly SettingProblem[])[]): SettingProblem[] {
  const merged: SettingProblem[] = [];
  for (const problems of checks) {
    const earlier = [...merged];
    for (const problem of problems) {
      if (earlier.some((other) => related(other.prop, problem.prop))) continue;
      if (merged.some((other) => other.prop === problem.prop && other.allowed === problem.allowed)) continue;
      merged.push(problem);
    }
  }
  return merged;
}
