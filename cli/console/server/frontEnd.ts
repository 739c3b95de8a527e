import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The page's script and styles, ready to inline into its HTML. */
export interface FrontEnd {
  readonly script: string;
  readonly style: string;
}

/** Where `npm run build` writes the bundle, next to the compiled server (dist/cli/console/page/). */
const BUILT_DIRECTORY = new URL('../page/', import.meta.url);
const SOURCE_ENTRY = new URL('../page/main.ts', import.meta.url);

let loaded: Promise<FrontEnd> | undefined;

/**
 * The console page, bundled at build time with esbuild (uPlot included; nothing from a CDN, so it works
 * offline). The published package carries the bundle; run from the repository's TypeScript sources
 * (`npm start -- --console`, tests), it is bundled in memory on first use, which takes well under a second.
 */
export function loadFrontEnd(): Promise<FrontEnd> {
  loaded ??= (async () => {
    const script = new URL('console.js', BUILT_DIRECTORY);
    if (existsSync(script)) {
      return {
        script: await readFile(script, 'utf8'),
        style: await readFile(new URL('console.css', BUILT_DIRECTORY), 'utf8'),
      };
    }
    return bundleFrontEnd();
  })();
  return loaded;
}

/** Bundles the page's sources (minified, one script, one stylesheet). */
export async function bundleFrontEnd(): Promise<FrontEnd> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { console: fileURLToPath(SOURCE_ENTRY) },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: 'page',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const text = (extension: string) =>
    result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? '';
  return { script: text('.js'), style: text('.css') };
}

/** `npm run build`: writes the bundle where loadFrontEnd finds it in the package. */
export async function writeFrontEnd(directory: URL): Promise<void> {
  const { script, style } = await bundleFrontEnd();
  await mkdir(directory, { recursive: true });
  await writeFile(new URL('console.js', directory), script);
  await writeFile(new URL('console.css', directory), style);
}
