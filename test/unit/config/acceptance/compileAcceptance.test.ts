import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { compileAcceptance } from '../../../codegen/compileAcceptance.js';

const isEven = (value: number) => value % 2 === 0;
const compile = (schema: v.GenericSchema, predicates: Record<string, unknown> = { isEven }) =>
  compileAcceptance({
    exports: { ACCEPTS: { it: schema } },
    predicates: { specifier: './predicates.js', exports: predicates },
  });

/** Runs the compiled source (TypeScript: esbuild strips the types), with the real helpers. */
async function accepts(schema: v.GenericSchema): Promise<(input: unknown) => boolean> {
  const { transform } = await import('esbuild');
  const helpers = await import('../../../../lib/config/acceptance/acceptanceHelpers.js');
  const source = compile(schema)
    .replace(/^import \* as p .*$/m, 'const p = { isEven: (v) => v % 2 === 0 };')
    .replace(/^import \{[^}]*\} from '.\/acceptanceHelpers.js';$/m, '');
  const { code } = await transform(source, { loader: 'ts', format: 'cjs' });
  const module = { exports: {} as { ACCEPTS: { it: (input: unknown) => boolean } } };
  const names = Object.keys(helpers);
  new Function('module', 'exports', ...names, code)(
    module,
    module.exports,
    ...names.map((name) => helpers[name as keyof typeof helpers]),
  );
  return module.exports.ACCEPTS.it;
}

describe('compileAcceptance', () => {
  it('refuses a schema type it does not know, by name and place, rather than skipping its rule', () => {
    expect(() => compile(v.strictObject({ id: v.union([v.string(), v.number()]) }))).toThrow(
      /cannot compile schema type 'union' \(at ACCEPTS\.it\.id\)/,
    );
    expect(() => compile(v.array(v.pipe(v.string(), v.email())))).toThrow(
      /cannot compile action 'email' \(at ACCEPTS\.it\[\]\)/,
    );
    expect(() => compile(v.pipe(v.string(), v.regex(/a/g)))).toThrow(/global or sticky regex/);
  });

  it('refuses a check whose function the predicates module does not export, naming the place and the module', () => {
    expect(() =>
      compile(
        v.strictObject({
          n: v.pipe(
            v.number(),
            v.check((value) => value > 1),
          ),
        }),
      ),
    ).toThrow(/check at ACCEPTS\.it\.n calls a function that '\.\/predicates\.js' does not export/);
  });

  it('names each constant after its content, so that changing one rule leaves the others as they were', () => {
    // A rule that needs a constant of its own (the picklist) comes first: numbered names would all shift.
    const before = compile(v.strictObject({ a: v.number(), b: v.string(), c: v.boolean() }));
    const after = compile(v.strictObject({ a: v.picklist(['x', 'y']), b: v.string(), c: v.boolean() }));
    const linesOf = (source: string) => source.split('\n').filter((line) => line.startsWith('const '));
    const unchanged = linesOf(after).filter((line) => linesOf(before).includes(line));
    const others = linesOf(before).filter((line) => /'string'|'boolean'/.test(line));
    expect(others).toHaveLength(2);
    expect(unchanged).toEqual(expect.arrayContaining(others));
  });

  it('checks every index of an array, an empty slot as undefined, as valibot does (tried: [ , ] passed)', async () => {
    const check = await accepts(v.array(v.number()));
    // biome-ignore lint/suspicious/noSparseArray: the case under test
    const sparse = [1, , 2];
    expect([check([1, 2]), check(sparse), check(new Array(2)), check([undefined])]).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(v.is(v.array(v.number()), sparse)).toBe(false);
  });

  it('runs the actions of a piped optional on undefined, as valibot does', async () => {
    const schema = v.strictObject({ k: v.pipe(v.optional(v.number()), v.minValue(1) as never) });
    const check = await accepts(schema);
    expect([check({ k: undefined }), v.is(schema, { k: undefined })]).toEqual([false, false]);
    expect([check({ k: 2 }), v.is(schema, { k: 2 })]).toEqual([true, true]);
  });

  it('refuses a lazy schema, whose getter may depend on the input', () => {
    expect(() => compile(v.lazy(() => v.string()))).toThrow(/cannot compile schema type 'lazy'/);
  });

  it('calls a check through the predicates module', async () => {
    const even = await accepts(v.pipe(v.number(), v.check(isEven)));
    expect([even(2), even(3), even('2')]).toEqual([true, false, false]);
  });

  it('wants a key that is not optional to be present, even when its schema takes undefined', async () => {
    const schema = v.strictObject({ anything: v.unknown(), maybe: v.optional(v.string()) });
    const check = await accepts(schema);
    expect([check({}), check({ anything: undefined }), check({ anything: 1, other: 2 })]).toEqual([
      false,
      true,
      false,
    ]);
    expect([v.is(schema, {}), v.is(schema, { anything: undefined })]).toEqual([false, true]);
  });

  it('takes numbers as valibot does: NaN refused, ranges inclusive', async () => {
    const check = await accepts(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3)));
    expect([Number.NaN, 0, 1, 2.5, 3, 4, '2'].map(check)).toEqual([
      false,
      false,
      true,
      false,
      true,
      false,
      false,
    ]);
  });
});
