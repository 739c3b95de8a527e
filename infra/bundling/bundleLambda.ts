import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import type { BuildResult, Metafile } from 'esbuild';
import { FAILURE_LAYER_IMPORT, lambdaBundleOptions, PROBLEM_LIST_FILE } from './lambdaBundleOptions.js';
import { loadEsbuild } from './loadEsbuild.js';

/** The module that imports the failure layer, as source (this repository) or compiled (the npm package). */
const LAYER_LOADER = /(^|[\\/])lib[\\/]failureLayer[\\/]loadFailureLayer\.[jt]s$/;

const NODE_BUILTINS = new Set(builtinModules);

/** The module that loads the problem list (lib/config/configProblemList.ts) from PROBLEM_LIST_FILE. */
const PROBLEM_LIST_LOADER = /(^|[\\/])lib[\\/]config[\\/]batchConfigCheck\.[jt]s$/;

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
 * The configuration's problem list (lib/config/configProblemList.ts: valibot and the schemas) is written
 * apart the same way, as `configProblemList.cjs` beside the code that loads it, which the entry's build is
 * told the name of (SQS_FAILSAFE_PROBLEM_LIST_FILE in lambdaBundleOptions.ts): a cold start runs the
 * compiled checks, and only a configuration they refuse loads the file, synchronously, to list its
 * problems. Its copies of the configuration's modules are constants and functions of their arguments.
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
  const problemListLoaders = problemListLoadersIn(built.metafile);
  const problemListSources = new Set(problemListLoaders.values());
  if (layerSources.size > 1 || problemListSources.size > 1)
    return esbuild.buildSync(lambdaBundleOptions(entry, outdir, target, 'in-build')).metafile;
  writeOutputs(built);

  const merged: Metafile = { inputs: { ...built.metafile.inputs }, outputs: { ...built.metafile.outputs } };
  /** Bundles `source` on its own into `file` beside each output that loads it. */
  const writeApart = (source: string, loaders: readonly string[], file: string, format: 'esm' | 'cjs') => {
    // The entry's settings, for one file: no code splitting, nothing of the entry's own layout.
    const {
      entryPoints: _entry,
      outdir: _outdir,
      outExtension: _ext,
      chunkNames: _chunks,
      banner,
      ...shared
    } = lambdaBundleOptions(source, outdir, target);
    // The banner declares the `require` an ES module lacks, and that a CommonJS module already has.
    const options = { ...shared, splitting: false, format, banner: format === 'esm' ? banner : {} };
    for (const loader of loaders) {
      // Beside the file that loads it: the entry, or a chunk when the handler loads the runtime lazily.
      const outfile = join(dirname(resolve(loader)), file);
      const apart = esbuild.buildSync({ ...options, entryPoints: [source], outfile }).metafile;
      Object.assign(merged.inputs, apart.inputs);
      Object.assign(merged.outputs, apart.outputs);
    }
  };
  const outputsWhere = (holds: (output: Metafile['outputs'][string]) => boolean) =>
    Object.entries(built.metafile.outputs)
      .filter(([path, output]) => /\.m?js$/.test(path) && holds(output))
      .map(([path]) => path);

  const [layerSource] = layerSources;
  if (layerSource !== undefined) {
    const importers = outputsWhere((output) =>
      output.imports.some((imported) => imported.path === FAILURE_LAYER_IMPORT),
    );
    writeApart(layerSource, importers, FAILURE_LAYER_IMPORT, 'esm');
    writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
  }
  const [problemListSource] = problemListSources;
  if (problemListSource !== undefined) {
    const loaders = outputsWhere((output) =>
      Object.keys(output.inputs).some((input) => problemListLoaders.has(input)),
    );
    writeApart(problemListSource, loaders, PROBLEM_LIST_FILE, 'cjs');
  }
  return merged;
}

/**
 * The runtime's problem-list loaders in the bundle (a copy of the runtime each), with the problem list
 * beside each, as an absolute path. A module of the user's at the same path is not one: the runtime's has
 * its compiled checks and its problem list beside it.
 */
function problemListLoadersIn(metafile: Metafile): Map<string, string> {
  const loaders = new Map<string, string>();
  for (const input of Object.keys(metafile.inputs)) {
    if (
      !PROBLEM_LIST_LOADER.test(input) ||
      sourceBeside(input, 'acceptance/batchConfigAcceptance') === undefined
    )
      continue;
    const source = sourceBeside(input, 'configProblemList');
    if (source !== undefined) loaders.set(input, source);
  }
  return loaders;
}

/** The module `name` beside `importer`, as source (this repository) or compiled (the npm package). */
function sourceBeside(importer: string, name: string): string | undefined {
  return ['ts', 'js'].map((ext) => join(dirname(resolve(importer)), `${name}.${ext}`)).find(existsSync);
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
      const source = sourceBeside(importer, 'failureLayer');
      if (source === undefined)
        throw new Error(`sqs-failsafe: the failure layer is missing beside ${resolve(importer)}.`);
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
