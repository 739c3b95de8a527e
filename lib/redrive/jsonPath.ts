/**
 * A deliberately small JSON path: `$` followed by `.name`, `[index]` or `["quoted name"]` steps, e.g.
 * `$.order.lines[0].sku` or `$["content-type"]`. No wildcards, slices or expressions: a filter names one
 * value and compares it, which keeps matching predictable and free of a dependency.
 */
export type JsonPathStep = string | number;

export type ParsedJsonPath =
  | { readonly ok: true; readonly steps: readonly JsonPathStep[]; readonly rest: string }
  | { readonly ok: false; readonly problem: string };

const NAME = /^[A-Za-z0-9_$-]+/;
const INDEX = /^\[(\d+)\]/;
const QUOTED = /^\["((?:[^"\\]|\\.)*)"\]/;

/** Reads a path from the start of `text`; `rest` is what follows it (the `=value` of a filter). */
export function parseJsonPath(text: string): ParsedJsonPath {
  if (!text.startsWith('$')) return { ok: false, problem: `a JSON path starts with "$" (got "${text}")` };
  const steps: JsonPathStep[] = [];
  let rest = text.slice(1);
  for (;;) {
    if (rest.startsWith('.')) {
      const name = NAME.exec(rest.slice(1));
      if (name === null) return { ok: false, problem: `expected a name after "." in "${text}"` };
      steps.push(name[0]);
      rest = rest.slice(1 + name[0].length);
      continue;
    }
    const index = INDEX.exec(rest);
    if (index !== null) {
      steps.push(Number(index[1]));
      rest = rest.slice(index[0].length);
      continue;
    }
    const quoted = QUOTED.exec(rest);
    if (quoted !== null) {
      steps.push(JSON.parse(`"${quoted[1]}"`) as string);
      rest = rest.slice(quoted[0].length);
      continue;
    }
    break;
  }
  if (steps.length === 0) return { ok: false, problem: `"${text}" names no value (write $.field)` };
  return { ok: true, steps, rest };
}

/** The value at the path, or undefined when any step is missing. */
export function readJsonPath(value: unknown, steps: readonly JsonPathStep[]): unknown {
  let current = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
      if (!Object.hasOwn(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}
