/**
 * Chromium on a machine with a POSIX locale reports `navigator.language` as `en-US@posix`, which
 * `Intl.NumberFormat` rejects; uPlot formats its axes with that language and would throw as it loads.
 * This falls back to the browser's default locale then. Called before the charts load.
 */
export function ensureSupportedLocale(): void {
  try {
    new Intl.NumberFormat(navigator.language);
  } catch {
    Object.defineProperty(navigator, 'language', { value: Intl.NumberFormat().resolvedOptions().locale });
  }
}
