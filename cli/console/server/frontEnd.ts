import {
  type BrowserBundle,
  type BrowserPage,
  browserBundleLoader,
  bundleBrowserPage,
  writeBrowserBundle,
} from '../../support/browserBundle.js';

/** The page's script and styles, ready to inline into its HTML. */
export type FrontEnd = BrowserBundle;

/** The console page: its entry, and its bundle next to the compiled server (dist/cli/console/page/). */
const CONSOLE_PAGE: BrowserPage = {
  entry: new URL('../page/main.ts', import.meta.url),
  builtDirectory: new URL('../page/', import.meta.url),
  name: 'console',
};

/**
 * The console page, bundled at build time with esbuild (uPlot included; nothing from a CDN, so it works
 * offline), or in memory on first use when run from the repository's sources (see browserBundle.ts).
 */
export const loadFrontEnd: () => Promise<FrontEnd> = browserBundleLoader(CONSOLE_PAGE);

/** Bundles the page's sources (minified, one script, one stylesheet). */
export function bundleFrontEnd(): Promise<FrontEnd> {
  return bundleBrowserPage(CONSOLE_PAGE);
}

/** `npm run build`: writes the bundle where loadFrontEnd finds it in the package. */
export function writeFrontEnd(directory: URL): Promise<void> {
  return writeBrowserBundle(CONSOLE_PAGE, directory);
}
