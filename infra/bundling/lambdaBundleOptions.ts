import type { BuildOptions } from 'esbuild';

/**
 * A `require` for bundled CommonJS code, created on first call or property read (`require.resolve`):
 * process.getBuiltinModule (Node 22.3+) reaches node:module without importing it at load time.
 */
const REQUIRE_ON_FIRST_USE =
  'const require=new Proxy(function(){},{apply:(_,t,a)=>__rq().apply(t,a),get:(_,k)=>__rq()[k]});' +
  "function __rq(){return __rq.r??=process.getBuiltinModule('node:module').createRequire(import.meta.url)}";

/**
 * How the runtime imports its failure layer (lib/failureLayer/loadFailureLayer.ts). The bundle keeps this
 * import as written, and bundleLambda.ts writes the layer, bundled on its own, where it points.
 */
export const FAILURE_LAYER_IMPORT = './failureLayer.js';

/**
 * The file bundleLambda.ts writes lib/config/configProblemList.ts to, beside the code that loads it on first
 * use (lib/config/batchConfigCheck.ts, which reads the name from SQS_FAILSAFE_PROBLEM_LIST_FILE).
 */
export const PROBLEM_LIST_FILE = 'configProblemList.cjs';

/**
 * How every function of the product is bundled, for deployment and for the benchmark alike: ESM, minified,
 * source maps, for the function's Node.js (`node22` or `node24`, see nodeRuntime.ts), and code splitting so
 * that what a handler loads lazily with `import()` (the Powertools Logger and Idempotency) becomes a
 * separate chunk that a healthy invocation never reads. The AWS SDK v3 comes with the nodejs22.x and
 * nodejs24.x runtimes and stays out of the bundle.
 *
 * With `failureLayer: 'apart'` the runtime's failure layer is left out (FAILURE_LAYER_IMPORT), and the
 * entry is told the file name of the configuration's problem list (SQS_FAILSAFE_PROBLEM_LIST_FILE), for
 * bundleLambda.ts to bundle both on their own: use these options through bundleLambda, which writes them.
 */
export function lambdaBundleOptions(
  entry: string,
  outdir: string,
  target = 'node24',
  failureLayer: 'apart' | 'in-build' = 'apart',
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
    external: failureLayer === 'apart' ? ['@aws-sdk/*', FAILURE_LAYER_IMPORT] : ['@aws-sdk/*'],
    define:
      failureLayer === 'apart' ? { SQS_FAILSAFE_PROBLEM_LIST_FILE: JSON.stringify(PROBLEM_LIST_FILE) } : {},
    mainFields: ['module', 'main'],
    // Node 22 and 24 have unicode property escapes (\p{...}), but esbuild's table of them does not say so for
    // every property, and it rewrites such a regular expression literal as `new RegExp(...)`, which it can
    // then never drop as unused: valibot's emoji pattern, used by nothing here, cost 0.1 ms of every cold
    // start (docs/benchmarks.md, issue 16).
    supported: { 'regexp-unicode-property-escapes': true },
    // CommonJS dependencies that call require() on builtins need a require in an ESM bundle. It is made on
    // first use: importing node:module and creating a require on every cold start cost about 0.4 ms of a
    // 5 ms import in the cold-start benchmark, and most bundles never call it (the worker's does not).
    banner: { js: REQUIRE_ON_FIRST_USE },
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
  };
}
