import { rm } from 'node:fs/promises';
import { basename, relative, resolve } from 'node:path';
import type { Metafile } from 'esbuild';
import { bundleLambda } from '../../infra/bundling/bundleLambda.js';
import { BENCH_OUT, ROOT } from '../support/paths.js';

export interface BundledFile {
  /** Path relative to the bundle directory: index.mjs, chunks/<name>.mjs, or a file bundled apart. */
  readonly file: string;
  readonly absolutePath: string;
  readonly bytes: number;
  /** The largest sources in the file, by package (or by repository folder for our own code). */
  readonly contents: readonly string[];
  /** Reached from the entry through static imports only, so read on every cold start. */
  readonly static: boolean;
}

export interface WorkerBundle {
  readonly directory: string;
  readonly entry: BundledFile;
  readonly chunks: readonly BundledFile[];
  readonly totalBytes: number;
  /** @aws-sdk modules the bundle imports (they are external: the runtime provides them). */
  readonly awsSdkImports: { readonly static: readonly string[]; readonly dynamic: readonly string[] };
}

/**
 * Bundles functions/worker/handler.ts exactly as it is deployed (infra/bundling/bundleLambda.ts)
 * and reads the metafile: sizes of the minified JavaScript (source maps are not loaded at run time and
 * are left out), and which files and external @aws-sdk imports the entry reaches statically.
 */
export async function bundleWorker(): Promise<WorkerBundle> {
  const directory = resolve(BENCH_OUT, 'worker');
  // Wiped first so that no stale chunk of an earlier build is counted.
  await rm(directory, { recursive: true, force: true });
  const metafile = bundleLambda(resolve(ROOT, 'functions/worker/handler.ts'), directory);

  const outputs = Object.entries(metafile.outputs).filter(([path]) => /\.[mc]?js$/.test(path));
  const entryPath = outputs.find(
    ([path, output]) => output.entryPoint !== undefined && path.endsWith('index.mjs'),
  )?.[0];
  if (entryPath === undefined) throw new Error('esbuild produced no entry point');
  const staticPaths = staticClosure(metafile, entryPath);

  const files = outputs.map(([path, output]): BundledFile => {
    // Metafile paths are relative to the directory esbuild ran in: the current one.
    const absolutePath = resolve(path);
    return {
      file: relative(directory, absolutePath),
      absolutePath,
      bytes: output.bytes,
      contents: largestSources(output),
      static: staticPaths.has(path),
    };
  });
  const awsSdk = (paths: Iterable<string>, kind: 'static' | 'all') =>
    [...paths].flatMap((path) =>
      (metafile.outputs[path]?.imports ?? [])
        .filter((entry) => entry.external && entry.path.startsWith('@aws-sdk/'))
        .filter((entry) => kind === 'all' || entry.kind !== 'dynamic-import')
        .map((entry) => entry.path),
    );
  const staticSdk = awsSdk(staticPaths, 'static');
  const allSdk = awsSdk(
    outputs.map(([path]) => path),
    'all',
  );

  const entry = files.find((file) => file.absolutePath === resolve(entryPath)) as BundledFile;
  return {
    directory,
    entry,
    chunks: files.filter((file) => file !== entry).sort((a, b) => a.file.localeCompare(b.file)),
    totalBytes: files.reduce((sum, file) => sum + file.bytes, 0),
    awsSdkImports: {
      static: [...new Set(staticSdk)],
      dynamic: [...new Set(allSdk.filter((path) => !staticSdk.includes(path)))],
    },
  };
}

/** Output files Node reads when it imports the entry: followed through static imports, not `import()`. */
function staticClosure(metafile: Metafile, entryPath: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entryPath];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (seen.has(path)) continue;
    seen.add(path);
    for (const entry of metafile.outputs[path]?.imports ?? []) {
      if (!entry.external && entry.kind === 'import-statement') pending.push(entry.path);
    }
  }
  return seen;
}

function largestSources(output: Metafile['outputs'][string]): string[] {
  const byOrigin = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const origin = originOf(input);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + bytesInOutput);
  }
  return [...byOrigin.entries()]
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([origin]) => origin);
}

/** node_modules/@scope/name/... -> @scope/name; lib/batch/x.ts -> lib/. */
function originOf(input: string): string {
  // Inputs, like outputs, are relative to the working directory; origins are named from the repository.
  const parts = relative(ROOT, resolve(input)).split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at >= 0) {
    const name = parts[at + 1] ?? input;
    return name.startsWith('@') ? `${name}/${parts[at + 2]}` : name;
  }
  return parts.length > 1 ? `${parts[0]}/` : basename(input);
}
