import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleLambda } from '../../infra/bundling/bundleLambda.js';
import { BENCH_OUT, ROOT } from './paths.js';

export type Library = typeof import('../../lib/index.js');

/**
 * The runtime as a deployed function runs it: lib/index.ts bundled with the product's own esbuild settings.
 * Importing lib/ through tsx instead would time tsx's transform too: it keeps function names by wrapping
 * every closure the runtime creates per batch in a `__name()` call, a cost no deployed bundle pays.
 * Middy and Powertools are timed as their published JavaScript, so ours is timed as built JavaScript too.
 */
export async function loadShippedLibrary(): Promise<Library> {
  const directory = resolve(BENCH_OUT, 'lib');
  await rm(directory, { recursive: true, force: true });
  bundleLambda(resolve(ROOT, 'lib/index.ts'), directory);
  return (await import(pathToFileURL(resolve(directory, 'index.mjs')).href)) as Library;
}
