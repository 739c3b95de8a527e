import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** A page's script and styles, ready to inline into its HTML. */
export interface BrowserBundle {
  readonly script: string;
  readonly style: string;
}

/** A browser page's entry, and where `npm run build` puts its bundle in the package. */
export interface BrowserPage {
  /** The TypeScript entry (`.../page/main.ts`). */
  readonly entry: URL;
  /** The folder of the built bundle, next to the compiled module that serves it (under dist/). */
  readonly builtDirectory: URL;
  /** The bundle's file names: `<name>.js` and `<name>.css`. */
  readonly name: string;
}

/**
 * The pages the CLI serves or writes (the console, the run report) are bundled with esbuild, their npm
 * imports included (uPlot; nothing from a CDN, so they work offline). The published package carries the
 * bundle, built by `npm run build`; run from the repository's TypeScript sources, the page is bundled in
 * memory on first use, which takes well under a second. Returns a loader that does either, once.
 *
 * @example
 * const loadReportPage = browserBundleLoader({ entry, builtDirectory, name: 'chartPage' });
 * const { script, style } = await loadReportPage();
 */
export function browserBundleLoader(page: BrowserPage): () => Promise<BrowserBundle> {
  let loaded: Promise<BrowserBundle> | undefined;
  return () => {
    loaded ??= (async () => {
      const script = new URL(`${page.name}.js`, page.builtDirectory);
      if (existsSync(script)) {
        return {
          script: await readFile(script, 'utf8'),
          style: await readFile(new URL(`${page.name}.css`, page.builtDirectory), 'utf8'),
        };
      }
      return bundleBrowserPage(page);
    })();
    return loaded;
  };
}

/** Bundles a page's sources (minified, one script, one stylesheet). */
export async function bundleBrowserPage(page: BrowserPage): Promise<BrowserBundle> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { [page.name]: fileURLToPath(page.entry) },
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

/** `npm run build`: writes a page's bundle where its loader finds it in the package. */
export async function writeBrowserBundle(
  page: BrowserPage,
  directory: URL = page.builtDirectory,
): Promise<void> {
  const { script, style } = await bundleBrowserPage(page);
  await mkdir(directory, { recursive: true });
  await writeFile(new URL(`${page.name}.js`, directory), script);
  await writeFile(new URL(`${page.name}.css`, directory), style);
}
