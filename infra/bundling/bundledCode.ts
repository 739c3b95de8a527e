import { basename, dirname } from 'node:path';
import { AssetHashType, type BundlingOptions, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { bundleLambda } from './bundleLambda.js';
import { DEFAULT_NODE_RUNTIME, esbuildTarget } from './nodeRuntime.js';

/**
 * The handler every bundle exports: esbuild writes `index.mjs`, which Lambda finds for `index.handler`.
 *
 * @example
 * new lambda.Function(this, 'Reports', { code: bundledCode('src/reports/handler.ts'), handler: BUNDLED_HANDLER, ... });
 */
export const BUNDLED_HANDLER = 'index.handler';

/**
 * Bundles one handler entry file with the local esbuild (ESM, minified, source maps, code splitting: see
 * bundleLambda.ts) for the Node.js of the function's runtime (nodejs22.x or nodejs24.x, the default). NodejsFunction cannot split code because it forces `--outfile`, hence an asset
 * with a local bundler of its own.
 *
 * Docker is never used: the local bundler always bundles or throws, so CDK never falls back to the
 * placeholder image. The asset is hashed from the bundle output, so an unchanged bundle never redeploys.
 *
 * @example
 * new lambda.Function(this, 'Worker', { code: bundledCode(entry, runtime), handler: BUNDLED_HANDLER, runtime, ... });
 */
export function bundledCode(entry: string, runtime: lambda.Runtime = DEFAULT_NODE_RUNTIME): lambda.Code {
  return lambda.Code.fromAsset(dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('sqs-failsafe/local-esbuild-only'),
      local: new LocalEsbuildBundler(entry, esbuildTarget(runtime)),
    },
  });
}

/**
 * The local bundler. CDK serializes bundling options (own enumerable fields) into its asset cache key and,
 * when bundling is skipped, into the asset hash: `entryFile` keeps two entries of one directory apart, and
 * `target` one entry bundled for two runtimes, while the absolute path (a private field) stays out of
 * templates, so they are the same on every machine.
 */
class LocalEsbuildBundler implements ILocalBundling {
  readonly entryFile: string;
  readonly target: string;
  readonly #entry: string;

  constructor(entry: string, target: string) {
    this.#entry = entry;
    this.entryFile = basename(entry);
    this.target = target;
  }

  tryBundle(outputDir: string, _options: BundlingOptions): boolean {
    bundleLambda(this.#entry, outputDir, this.target);
    return true;
  }
}
