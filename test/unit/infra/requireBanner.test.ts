import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaBundleOptions } from '../../../infra/bundling/lambdaBundleOptions.js';

/**
 * Every Lambda bundle carries a `require` for CommonJS dependencies (an ESM bundle has none). It is made
 * on first use, so a cold start that never needs it does not import node:module for it
 * (docs/benchmarks.md, the cold-start suite).
 */
describe('the require of a Lambda bundle', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'require-banner-'));
    const dependency = join(directory, 'node_modules', 'cjs-dependency');
    await mkdir(dependency, { recursive: true });
    await writeFile(join(dependency, 'package.json'), '{"name":"cjs-dependency","main":"index.js"}');
    await writeFile(
      join(dependency, 'index.js'),
      "const { createHash } = require('node:crypto');\n" +
        "module.exports = () => [createHash('sha256').update('x').digest('hex').length, require.resolve('node:path')];\n",
    );
    await writeFile(
      join(directory, 'handler.mjs'),
      "import digest from 'cjs-dependency';\nexport const handler = () => digest();\n",
    );
    await writeFile(join(directory, 'plain.mjs'), 'export const handler = () => 1;\n');
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('serves a CommonJS dependency its builtins, require.resolve included', async () => {
    const out = join(directory, 'out-cjs');
    await build(lambdaBundleOptions(join(directory, 'handler.mjs'), out));
    const { handler } = await import(pathToFileURL(join(out, 'index.mjs')).href);
    expect(handler()).toEqual([64, 'node:path']);
  });

  it('imports nothing for it at load time', async () => {
    const out = join(directory, 'out-plain');
    await build(lambdaBundleOptions(join(directory, 'plain.mjs'), out));
    const code = await readFile(join(out, 'index.mjs'), 'utf8');
    expect(code).not.toMatch(/^import/m);
    expect(code).not.toContain('node:module"');
    expect(code).not.toContain("from'node:module'");
  });
});
