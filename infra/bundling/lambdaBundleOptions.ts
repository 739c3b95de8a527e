import type { BuildOptions } from 'esbuild';

/**
 * How every function of the product is bundled, for deployment and for the benchmark alike: ESM, minified,
 * source maps, for the function's Node.js (`node22` or `node24`, see nodeRuntime.ts), and code splitting so that what a handler loads lazily with `import()` (the
 * Powertools Logger, the SQS and SNS layer) becomes a separate chunk that a healthy invocation never reads.
 * The AWS SDK v3 comes with the nodejs22.x and nodejs24.x runtimes and stays out of the bundle.
 */
export function lambdaBundleOptions(
  entry: string,
  outdir: string,
  target = 'node24',
): BuildOptions & { metafile: true } {
  return {
    entryPoints: { index: entry },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    external: ['@aws-sdk/*'],
    mainFields: ['module', 'main'],
    // CommonJS dependencies that call require() on builtins need a require in an ESM bundle.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
  };
}
