import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Metafile } from 'esbuild';
import { FAILURE_LAYER_IMPORT, lambdaBundleOptions } from './lambdaBundleOptions.js';
import { loadEsbuild } from './loadEsbuild.js';

/** The module that imports the failure layer, as source (this repository) or compiled (the npm package). */
const LAYER_LOADER = /(^|[\\/])lib[\\/]failureLayer[\\/]loadFailureLayer\.[jt]s$/;

/**
 * Bundles one handler entry into `outdir` as Lambda runs it (lambdaBundleOptions), and, when the handler
 * reaches the runtime's failure layer (every consumer built with createBatchHandler does), writes the layer
 * beside the code that imports it as a file bundled on its own: `failureLayer.js`, with a package.json that
 * makes `.js` an ES module.
 *
 * Why apart: bundled in one build with code splitting, every module that the layer and the entry both
 * import (a sleep, a text sanitiser, the AWS client cache: what the redrive engine and the CLI share with
 * it) would become a chunk that the entry imports statically, and each extra file read at cold start costs
 * more than the code it holds (docs/benchmarks.md, issue 16). Bundled apart, the layer has its own copy of
 * those small, stateless modules; what must be one instance (error classes) it takes from the entry
 * (lib/failureLayer/partsForFailureLayer.ts), and test/infra/bundling.test.ts lists what may be copied.
 *
 * Synchronous, since CDK bundles synchronously (ILocalBundling.tryBundle). Returns both builds' metafile.
 *
 * @example
 * bundleLambda('functions/worker/handler.ts', 'cdk.out/asset.worker', 'node24');
 */
export function bundleLambda(entry: string, outdir: string, target?: string): Metafile {
  const esbuild = loadEsbuild();
  const { metafile } = esbuild.buildSync(lambdaBundleOptions(entry, outdir, target));
  const layerSource = failureLayerSource(metafile);
  if (layerSource === undefined) return metafile;

  // The entry's settings, for one file: no code splitting, nothing of the entry's own layout.
  const {
    entryPoints: _entry,
    outdir: _outdir,
    outExtension: _ext,
    chunkNames: _chunks,
    ...shared
  } = lambdaBundleOptions(layerSource, outdir, target);
  const layerOptions = { ...shared, splitting: false };
  const merged: Metafile = { inputs: { ...metafile.inputs }, outputs: { ...metafile.outputs } };
  for (const [path, output] of Object.entries(metafile.outputs)) {
    if (!output.imports.some((imported) => imported.path === FAILURE_LAYER_IMPORT)) continue;
    // Beside the file whose import() names it: the entry, or a chunk when the handler loads the runtime lazily.
    const outfile = join(dirname(resolve(path)), FAILURE_LAYER_IMPORT);
    const layer = esbuild.buildSync({ ...layerOptions, entryPoints: [layerSource], outfile }).metafile;
    Object.assign(merged.inputs, layer.inputs);
    Object.assign(merged.outputs, layer.outputs);
  }
  writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
  return merged;
}

/**
 * The failure layer's source file, found from the module that imports it, so that it is the same copy of
 * the runtime as the rest of the bundle. Another module importing the reserved name is refused: its file
 * would be replaced by the layer.
 */
function failureLayerSource(metafile: Metafile): string | undefined {
  const importers = Object.entries(metafile.inputs)
    .filter(([, input]) => input.imports.some((imported) => imported.path === FAILURE_LAYER_IMPORT))
    .map(([path]) => path);
  if (importers.length === 0) return undefined;
  const stranger = importers.find((path) => !LAYER_LOADER.test(path));
  if (stranger !== undefined) {
    throw new Error(
      `sqs-failsafe: ${stranger} imports '${FAILURE_LAYER_IMPORT}', a name the bundler keeps for the ` +
        "runtime's failure layer. Rename that module (and its import) and synthesize again.",
    );
  }
  const loader = resolve(importers[0] as string);
  const source = ['failureLayer.ts', 'failureLayer.js']
    .map((file) => join(dirname(loader), file))
    .find((file) => existsSync(file));
  if (source === undefined) throw new Error(`sqs-failsafe: the failure layer is missing beside ${loader}.`);
  return source;
}
