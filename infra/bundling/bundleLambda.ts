import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import type { BuildResult, Metafile } from 'esbuild';
import { FAILURE_LAYER_IMPORT, lambdaBundleOptions } from './lambdaBundleOptions.js';
import { loadEsbuild } from './loadEsbuild.js';

/** The module that imports the failure layer, as source (this repository) or compiled (the npm package). */
const LAYER_LOADER = /(^|[\\/])lib[\\/]failureLayer[\\/]loadFailureLayer\.[jt]s$/;

const NODE_BUILTINS = new Set(builtinModules);

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
 * those small modules (functions of their arguments, and a client cache of its own); what must be one
 * instance (error classes) it takes from the entry (lib/failureLayer/partsForFailureLayer.ts), and
 * test/infra/bundling.test.ts lists what may be copied.
 *
 * A bundle holding two copies of the runtime (two versions of sqs-failsafe) would have two loaders import
 * one `./failureLayer.js`, which can hold only one of them: it is built the old way, in one build with code
 * splitting, where each copy gets its own layer chunk.
 *
 * Synchronous, since CDK bundles synchronously (ILocalBundling.tryBundle). Returns the builds' metafile.
 *
 * @example
 * bundleLambda('functions/worker/handler.ts', 'cdk.out/asset.worker', 'node24');
 */
export function bundleLambda(entry: string, outdir: string, target?: string): Metafile {
  const esbuild = loadEsbuild();
  const built = esbuild.buildSync({ ...lambdaBundleOptions(entry, outdir, target), write: false });
  const layerSources = failureLayerSources(built.metafile);
  if (layerSources.size > 1)
    return esbuild.buildSync(lambdaBundleOptions(entry, outdir, target, 'in-build')).metafile;
  writeOutputs(built);
  const [layerSource] = layerSources;
  if (layerSource === undefined) return built.metafile;

  // The entry's settings, for one file: no code splitting, nothing of the entry's own layout.
  const {
    entryPoints: _entry,
    outdir: _outdir,
    outExtension: _ext,
    chunkNames: _chunks,
    ...shared
  } = lambdaBundleOptions(layerSource, outdir, target);
  const layerOptions = { ...shared, splitting: false };
  const merged: Metafile = { inputs: { ...built.metafile.inputs }, outputs: { ...built.metafile.outputs } };
  for (const [path, output] of Object.entries(built.metafile.outputs)) {
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

function writeOutputs({ outputFiles }: BuildResult): void {
  for (const file of outputFiles ?? []) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
  }
}

/**
 * The failure layer's source file for each copy of the runtime in the bundle, found from the module that
 * imports it, so that it is the same copy as the rest of that runtime. Refuses any other import left
 * outside the bundle than the SDK, Node's own modules and the layer: esbuild also leaves out an import that
 * merely resolves to a `failureLayer.js` in the working directory, and a module of the user's that takes
 * the layer's name would be replaced by it.
 */
function failureLayerSources(metafile: Metafile): Set<string> {
  const sources = new Set<string>();
  for (const [importer, input] of Object.entries(metafile.inputs)) {
    for (const { path, external } of input.imports) {
      if (!external || path.startsWith('@aws-sdk/') || path.startsWith('node:') || NODE_BUILTINS.has(path))
        continue;
      if (path !== FAILURE_LAYER_IMPORT || !LAYER_LOADER.test(importer)) {
        throw new Error(
          `sqs-failsafe: ${importer} imports '${asWritten(metafile, importer, path)}', which the bundler leaves out: ` +
            `'${FAILURE_LAYER_IMPORT}' is the name it keeps for the runtime's failure layer. ` +
            'Rename that module (and its import) and synthesize again.',
        );
      }
      const loader = resolve(importer);
      const source = ['failureLayer.ts', 'failureLayer.js']
        .map((file) => join(dirname(loader), file))
        .find((file) => existsSync(file));
      if (source === undefined)
        throw new Error(`sqs-failsafe: the failure layer is missing beside ${loader}.`);
      sources.add(source);
    }
  }
  return sources;
}

/**
 * An external import as its source wrote it. The layer's name is kept verbatim; an import that esbuild
 * left out because it resolved to the working directory's file is given relative to the output file that
 * holds the importer, which is not where a user would look for it.
 */
function asWritten(metafile: Metafile, importer: string, path: string): string {
  if (!path.startsWith('.') || path === FAILURE_LAYER_IMPORT) return path;
  const output = Object.entries(metafile.outputs).find(([, candidate]) => importer in candidate.inputs)?.[0];
  if (output === undefined) return path;
  const written = relative(dirname(resolve(importer)), resolve(dirname(resolve(output)), path));
  return written.startsWith('.') ? written : `./${written}`;
}
